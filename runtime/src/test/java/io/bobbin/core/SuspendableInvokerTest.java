package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import io.bobbin.SuspendableInvoker;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reflective calls that a continuation can suspend inside. */
class SuspendableInvokerTest {
    static final List<String> log = new ArrayList<>();

    @Suspendable
    static long add(int a, long b, double c) {
        Drive.pause();
        return a + b + (long) c;
    }

    @Suspendable
    private String greet(String name) {
        Drive.pause();
        return "hi " + name + Drive.pauseThen(2);
    }

    @Suspendable
    void record(String s) {
        log.add(s + " before");
        Drive.pause();
        log.add(s + " after");
    }

    @Suspendable
    static void fail() throws Exception {
        Drive.pause();
        throw new java.io.IOException("disk");
    }

    /** Not suspendable: reached with plain reflection. */
    static String plain(String s) {
        return s + s;
    }

    static Method method(String name, Class<?>... types) throws NoSuchMethodException {
        return SuspendableInvokerTest.class.getDeclaredMethod(name, types);
    }

    @Test
    void staticInstancePrivateAndVoidMethodsSuspendInside() throws Exception {
        Method add = method("add", int.class, long.class, double.class);
        Drive.Outcome<Object> o = Drive.run(() -> SuspendableInvoker.invoke(add, null, 1, 2L, 3.5));
        assertEquals(6L, o.value);
        assertEquals(1, o.suspensions);

        SuspendableInvokerTest self = new SuspendableInvokerTest();
        Method greet = method("greet", String.class);
        Drive.Outcome<Object> g = Drive.run(() -> SuspendableInvoker.invoke(greet, self, "bob"));
        assertEquals("hi bob2", g.value);
        assertEquals(2, g.suspensions);

        log.clear();
        Method record = method("record", String.class);
        Drive.Outcome<Object> r = Drive.run(() -> SuspendableInvoker.invoke(record, self, "x"));
        assertNull(r.value);
        assertEquals(1, r.suspensions);
        assertEquals(List.of("x before", "x after"), log);
    }

    @Test
    void exceptionsComeOutUnwrapped() throws Exception {
        Method fail = method("fail");
        Continuation c = new Continuation(() -> SuspendableInvoker.invoke(fail, null));
        c.resume();
        io.bobbin.ContinuationException e = assertThrows(io.bobbin.ContinuationException.class, c::resume);
        assertEquals("disk", e.getCause().getMessage());
        assertTrue(e.getCause() instanceof java.io.IOException);
    }

    @Test
    void methodsThatAreNotSuspendableAreCalledPlainly() throws Exception {
        Method plain = method("plain", String.class);
        assertEquals("abab", SuspendableInvoker.invoke(plain, null, "ab"));
        assertEquals("cdcd", Drive.run(() -> SuspendableInvoker.invoke(plain, null, "cd")).value);
    }

    @Test
    void outsideAContinuationItIsAPlainCall() throws Exception {
        assertEquals(6L, SuspendableInvoker.invoke(method("add", int.class, long.class, double.class), null, 1, 2L, 3.0));
        assertThrows(IllegalArgumentException.class, () -> SuspendableInvoker.invoke(method("plain", String.class), null));
    }

    static final class Elsewhere {
        /** Not marked, and in another class than the reference to it: not suspendable. */
        static void unmarked() {
            Drive.pause();
        }
    }

    @Test
    void aMethodReferenceToAnUnmarkedMethodOfAnotherClassCannotSuspend() {
        Continuation c = new Continuation(Elsewhere::unmarked);
        IllegalStateException e = assertThrows(IllegalStateException.class, c::resume);
        assertTrue(e.getMessage().contains("io.bobbin.core.Drive.pause was called by"
                + " io.bobbin.core.SuspendableInvokerTest$Elsewhere.unmarked"), e.getMessage());
        assertSame(null, Continuation.current());
    }
}
