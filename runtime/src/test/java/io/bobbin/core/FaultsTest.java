package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A suspension that cannot be done correctly throws, names the frame at fault, and leaves nothing broken. */
class FaultsTest {
    static final List<String> trace = new ArrayList<>();

    @Suspendable
    static String throughForEach() {
        List<Integer> seen = new ArrayList<>();
        try {
            // The lambda implements java.util.function.Consumer: it is not instrumented.
            List.of(1, 2, 3).forEach(i -> {
                seen.add(i);
                Continuation.suspend();
            });
            return "not reached";
        } catch (IllegalStateException e) {
            Drive.pause(); // the continuation is intact: it can still suspend here
            return seen + " " + e.getMessage();
        }
    }

    @Test
    void suspendingThroughAnUninstrumentedLambdaThrowsAndNamesIt() {
        Drive.Outcome<String> o = Drive.run(FaultsTest::throughForEach);
        assertEquals(1, o.suspensions);
        assertTrue(o.value.startsWith("[1] "), o.value); // forEach stopped at once: nothing ran on
        assertTrue(o.value.contains("io.bobbin.core.FaultsTest.lambda$throughForEach$"), o.value);
        assertTrue(o.value.contains("not instrumented"), o.value);
        assertTrue(o.value.contains("the frame at fault is io.bobbin.core.FaultsTest.lambda$throughForEach$"), o.value);
        assertTrue(o.value.contains("use a plain for loop instead of forEach or a stream"), o.value);
    }

    @Suspendable
    static int suspendableTarget() {
        trace.add("target before");
        Drive.pause();
        trace.add("target after");
        return 1;
    }

    @Suspendable
    static String throughReflection() throws Exception {
        Method m = FaultsTest.class.getDeclaredMethod("suspendableTarget");
        try {
            m.invoke(null);
            return "not reached";
        } catch (java.lang.reflect.InvocationTargetException e) {
            return e.getCause().getMessage();
        }
    }

    @Test
    void suspendingThroughReflectionThrowsAndNamesMethodInvoke() {
        trace.clear();
        Drive.Outcome<String> o = Drive.run(FaultsTest::throughReflection);
        assertEquals(0, o.suspensions);
        assertTrue(o.value.contains("io.bobbin.core.FaultsTest.suspendableTarget was called by"), o.value);
        assertTrue(o.value.contains("java.lang.reflect.Method.invoke"), o.value);
        assertTrue(o.value.contains("the frame at fault is java.lang.reflect.Method.invoke"), o.value);
        assertTrue(o.value.contains("io.bobbin.SuspendableInvoker.invoke(method, target, args...)"), o.value);
        assertEquals(List.of("target before"), trace);
    }

    static final Object LOCK = new Object();

    @Suspendable
    static String underMonitor() {
        synchronized (LOCK) {
            trace.add("in lock");
            Drive.pause();
            trace.add("not reached");
        }
        return "not reached";
    }

    @Suspendable
    static synchronized void synchronizedMethod() {
        Drive.pause();
    }

    @Test
    void suspendingWhileHoldingAMonitorThrowsAndReleasesIt() throws Exception {
        trace.clear();
        Continuation c = new Continuation(FaultsTest::underMonitor);
        IllegalStateException e = assertThrows(IllegalStateException.class, c::resume);
        assertTrue(c.isDone());
        assertTrue(e.getMessage().contains("io.bobbin.core.FaultsTest.underMonitor holds a monitor"), e.getMessage());
        assertTrue(e.getMessage().contains("the frame at fault is io.bobbin.core.FaultsTest.underMonitor (FaultsTest.java:"),
                e.getMessage());
        assertEquals(List.of("in lock"), trace);
        assertFalse(Thread.holdsLock(LOCK));
        assertMonitorFree(LOCK);

        Continuation s = new Continuation(FaultsTest::synchronizedMethod);
        IllegalStateException e2 = assertThrows(IllegalStateException.class, s::resume);
        assertTrue(e2.getMessage().contains("io.bobbin.core.FaultsTest.synchronizedMethod holds a monitor"), e2.getMessage());
        assertMonitorFree(FaultsTest.class);
    }

    /** Another thread can take the monitor at once. */
    private static void assertMonitorFree(Object lock) throws InterruptedException {
        boolean[] took = new boolean[1];
        Thread t = new Thread(() -> {
            synchronized (lock) {
                took[0] = true;
            }
        });
        t.start();
        t.join(5000);
        assertTrue(took[0]);
    }

    @Test
    void aMonitorHeldByTheCallerOfResumeIsNotTheContinuationsConcern() {
        synchronized (LOCK) {
            Drive.Outcome<Integer> o = Drive.run(() -> Drive.pauseThen(3));
            assertEquals(3, (int) o.value);
            assertEquals(1, o.suspensions);
        }
    }

    @Test
    void synchronizedCodeThatDoesNotSuspendRunsNormally() {
        Drive.Outcome<Integer> o = Drive.run(() -> {
            int n;
            synchronized (LOCK) {
                n = 5;
            }
            Drive.pause();
            return n;
        });
        assertEquals(5, (int) o.value);
    }

    /** Not suspendable: its call to the suspendable method is not a suspension point. */
    static void plainCaller() {
        suspendableTarget();
    }

    @Test
    void aSuspendableMethodCalledFromAPlainMethodCannotSuspend() {
        trace.clear();
        // A lambda, not FaultsTest::plainCaller: a method reference would make plainCaller suspendable.
        Continuation c = new Continuation(() -> plainCaller());
        IllegalStateException e = assertThrows(IllegalStateException.class, c::resume);
        assertTrue(e.getMessage().contains("suspendableTarget was called by io.bobbin.core.FaultsTest.plainCaller"),
                e.getMessage());
        assertTrue(e.getMessage().startsWith("Cannot suspend: the frame at fault is io.bobbin.core.FaultsTest.plainCaller"
                + " (FaultsTest.java:"), e.getMessage());
        assertTrue(e.getMessage().contains("Mark io.bobbin.core.FaultsTest.plainCaller @Suspendable"), e.getMessage());
        // the frames around it follow, the one at fault marked: not a chain whose last frame reads as the culprit
        assertTrue(e.getMessage().contains("Frames, innermost first: io.bobbin.core.FaultsTest.suspendableTarget (FaultsTest.java:"),
                e.getMessage());
        assertTrue(e.getMessage().matches(".*\\) <- io\\.bobbin\\.core\\.FaultsTest\\.plainCaller \\(FaultsTest\\.java:\\d+\\)"
                + " \\[at fault\\] <- .*"), e.getMessage());
    }

    static final class InitializedWhileArmed {
        static String refused;
        static final int VALUE = compute();

        @Suspendable
        static int compute() {
            try {
                Continuation.suspend(); // in a static initializer: cannot be done
            } catch (IllegalStateException e) {
                refused = e.getMessage();
            }
            return 42;
        }

        @Suspendable
        static int get() {
            return VALUE; // the call that arms, and triggers the initializer
        }
    }

    @Test
    void aStaticInitializerTriggeredByASuspendableCallCannotSuspend() {
        Drive.Outcome<Integer> o = Drive.run(InitializedWhileArmed::get);
        assertEquals(42, (int) o.value);
        assertEquals(0, o.suspensions);
        assertTrue(InitializedWhileArmed.refused.contains("InitializedWhileArmed.compute was called by"
                + " io.bobbin.core.FaultsTest$InitializedWhileArmed.<clinit>"), InitializedWhileArmed.refused);
        assertTrue(InitializedWhileArmed.refused.contains(
                "the frame at fault is io.bobbin.core.FaultsTest$InitializedWhileArmed.<clinit>"), InitializedWhileArmed.refused);
        assertTrue(InitializedWhileArmed.refused.contains("A static initializer cannot suspend"), InitializedWhileArmed.refused);
    }

    public interface Bag {
        @Suspendable
        boolean retainAll(java.util.Collection<?> c);
    }

    /** Its retainAll, suspendable through Bag, is inherited from java.util.AbstractCollection: not instrumented. */
    static final class JdkBag extends java.util.AbstractCollection<String> implements Bag {
        final List<String> items = new ArrayList<>(List.of("a", "b", "c"));
        String refused;

        @Override
        @Suspendable
        public java.util.Iterator<String> iterator() {
            try {
                Continuation.suspend(); // called by AbstractCollection.retainAll: cannot be done
            } catch (IllegalStateException e) {
                refused = e.getMessage();
            }
            return items.iterator();
        }

        @Override
        public int size() {
            return items.size();
        }
    }

    @Test
    void anUninstrumentedImplementationOfASuspendableMethodPassesNoArmOn() {
        JdkBag bag = new JdkBag();
        Drive.Outcome<Boolean> o = Drive.run(() -> {
            Bag b = bag;
            return b.retainAll(List.of("b"));
        });
        assertTrue(o.value);
        assertEquals(List.of("b"), bag.items);
        assertEquals(0, o.suspensions);
        assertTrue(bag.refused.contains("JdkBag.iterator was called by java.util.AbstractCollection.retainAll"), bag.refused);
        assertTrue(bag.refused.contains("the frame at fault is java.util.AbstractCollection.retainAll"), bag.refused);
        assertTrue(bag.refused.contains("a JDK method, which is not instrumented"), bag.refused);
        assertTrue(bag.refused.contains("override it in your class"), bag.refused);
    }

    /** Its constructor calls a suspendable method that suspends. */
    static final class Built {
        final String refused;

        Built() {
            String r = null;
            try {
                suspendableTarget();
            } catch (IllegalStateException e) {
                r = e.getMessage();
            }
            refused = r;
        }
    }

    @Suspendable
    static String buildIt() {
        return new Built().refused;
    }

    @Test
    void aConstructorCannotSuspendAndTheMessageSaysSo() {
        trace.clear();
        Drive.Outcome<String> o = Drive.run(FaultsTest::buildIt);
        assertEquals(0, o.suspensions);
        assertTrue(o.value.startsWith("Cannot suspend: the frame at fault is io.bobbin.core.FaultsTest$Built.<init>"
                + " (FaultsTest.java:"), o.value);
        assertTrue(o.value.contains("a constructor, which is not instrumented"), o.value);
        assertTrue(o.value.contains("A constructor cannot suspend: make the call that suspends before it"), o.value);
    }

    @Suspendable
    static String throughAStream() {
        try {
            return java.util.stream.Stream.of(1, 2).map(i -> {
                Continuation.suspend();
                return "not reached";
            }).findFirst().orElse("empty");
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    @Test
    void aLambdaRunByAStreamIsAtFaultAndThePlainLoopIsTheFix() {
        Drive.Outcome<String> o = Drive.run(FaultsTest::throughAStream);
        assertEquals(0, o.suspensions);
        assertTrue(o.value.startsWith("Cannot suspend: the frame at fault is io.bobbin.core.FaultsTest.lambda$throughAStream$"),
                o.value);
        assertTrue(o.value.contains("the body of a lambda, which is not instrumented"), o.value);
        assertTrue(o.value.contains("The lambda is run by java.util.stream."), o.value);
        assertTrue(o.value.contains("use a plain for loop instead of forEach or a stream"), o.value);
    }

    /** Suspendable by its mark, but called through Runnable.run, which is not. */
    static final class MarkedRunnable implements Runnable {
        @Override
        @Suspendable
        public void run() {
            suspendableTarget();
        }
    }

    @Suspendable
    static String throughAPlainInterface() {
        Runnable r = new MarkedRunnable();
        try {
            r.run();
            return "not reached";
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    @Test
    void anInstrumentedCallerCallingThroughAPlainInterfaceIsAtFault() {
        trace.clear();
        Drive.Outcome<String> o = Drive.run(FaultsTest::throughAPlainInterface);
        assertEquals(0, o.suspensions);
        assertTrue(o.value.startsWith("Cannot suspend: the frame at fault is io.bobbin.core.FaultsTest.throughAPlainInterface"
                + " (FaultsTest.java:"), o.value);
        assertTrue(o.value.contains("which is instrumented, but its call to io.bobbin.core.FaultsTest$MarkedRunnable.run"
                + " is not a suspension point"), o.value);
        assertTrue(o.value.contains("an interface or superclass method not marked @Suspendable"), o.value);
    }

    @Test
    void aMarkedMethodTheAgentLeftAloneIsNamedAsMarkedButNotInstrumented() {
        trace.clear();
        Drive.Outcome<String> o = Drive.run(LeftAlone::viaMarked);
        assertEquals(0, o.suspensions);
        assertTrue(o.value.startsWith("Cannot suspend: the frame at fault is io.bobbin.core.LeftAlone.marked (LeftAlone.java:"),
                o.value);
        assertTrue(o.value.contains("which is marked @Suspendable but was not instrumented"), o.value);
        assertTrue(o.value.contains("The agent did not transform its class io.bobbin.core.LeftAlone: the class was loaded"
                + " before the agent started and was not retransformed, or the agent left it as it was"), o.value);
    }
}
