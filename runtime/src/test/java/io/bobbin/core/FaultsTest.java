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
    }
}
