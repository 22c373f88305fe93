package io.bobbin.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Async;
import io.bobbin.Continuation;
import io.bobbin.ContinuationException;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import io.bobbin.serial.Bytes.Job;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Values in and out of a continuation, as with Python's {@code send()}: {@code suspend(value)} hands a
 * value out and returns the one {@code send} passes in; {@code lastValue()} keeps the latest one handed
 * out.
 */
class SendTest {
    static final List<Object> OUT = new ArrayList<>();

    @BeforeEach
    void clear() {
        OUT.clear();
    }

    @Suspendable
    static void echo() {
        Object in = Continuation.suspend("first");
        OUT.add(in);
        in = Continuation.suspend("got " + in);
        OUT.add(in);
    }

    @Test
    void suspendHandsAValueOutAndReturnsTheValueTheNextSendPassesIn() {
        Continuation c = new Continuation(SendTest::echo);
        assertNull(c.lastValue(), "nothing handed out before it runs");
        assertEquals("first", c.send("ignored: the first send starts the body"));
        assertEquals("first", c.lastValue());
        assertEquals(List.of(), OUT);
        assertEquals("got 1", c.send(1));
        assertEquals(List.of(1), OUT);
        assertNull(c.send(2), "the body ended: nothing handed out");
        assertTrue(c.isDone());
        assertNull(c.lastValue(), "nothing after the end");
        assertEquals(List.of(1, 2), OUT);
    }

    @Test
    void resumeMakesThePendingSuspendReturnNull() {
        Continuation c = new Continuation(SendTest::echo);
        c.resume();
        assertEquals("first", c.lastValue());
        c.resume();
        assertEquals("got null", c.lastValue());
        c.resume();
        assertEquals(java.util.Arrays.asList(null, null), OUT);
    }

    @Test
    void aPlainSuspendIgnoresTheSentValueAndHandsOutNull() {
        Continuation c = new Continuation(() -> {
            Continuation.suspend("out");
            Continuation.suspend();
            OUT.add(Continuation.suspend(null));
        });
        assertEquals("out", c.send(null));
        assertNull(c.send("dropped"), "a plain suspend() hands out null");
        assertNull(c.lastValue());
        assertNull(c.send("dropped too"), "suspend(null) hands out null");
        c.send("kept");
        assertEquals(List.of("kept"), OUT);
    }

    @Test
    void sendFollowsResumesRules() {
        Continuation done = new Continuation(() -> {});
        done.send(null);
        assertEquals("The continuation is done", assertThrows(IllegalStateException.class, () -> done.send(1)).getMessage());

        Continuation self = new Continuation(() -> OUT.add(assertThrows(IllegalStateException.class,
                () -> Continuation.current().send(1)).getMessage()));
        self.send(null);
        assertEquals(List.of("The continuation is already running"), OUT);

        Continuation unchecked = new Continuation(() -> {
            Continuation.suspend("before");
            throw new IllegalArgumentException("bad value");
        });
        unchecked.send(null);
        assertEquals("bad value", assertThrows(IllegalArgumentException.class, () -> unchecked.send(1)).getMessage());
        assertTrue(unchecked.isDone());
        assertNull(unchecked.lastValue());

        Continuation checked = new Continuation(() -> {
            Object in = Continuation.suspend("before");
            throw new IOException("io " + in);
        });
        checked.send(null);
        ContinuationException e = assertThrows(ContinuationException.class, () -> checked.send(7));
        assertEquals("io 7", e.getCause().getMessage());
    }

    @Test
    void suspendWithAValueOutsideAnyContinuationThrows() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Continuation.suspend("x"));
        assertEquals("Continuation.suspend(Object) called outside of any continuation", e.getMessage());
    }

    @Test
    void suspendWithAValueThroughAFrameThatIsNotInstrumentedThrowsNamingIt() {
        Continuation c = new Continuation(() -> {
            try {
                List.of(1).forEach(x -> Continuation.suspend(x)); // a plain Consumer: not a suspension point
            } catch (IllegalStateException e) {
                OUT.add(e.getMessage());
            }
            OUT.add("went on");
        });
        c.resume();
        assertTrue(c.isDone(), "nothing was suspended");
        String message = (String) OUT.get(0);
        assertTrue(message.startsWith("Cannot suspend: the frame at fault is " + SendTest.class.getName() + ".lambda$"), message);
        assertTrue(message.contains(SendTest.class.getName() + ".lambda$"), message);
        assertEquals("went on", OUT.get(1));
    }

    @Test
    void suspendWithAValueUnderAMonitorThrowsNamingTheMethod() {
        Continuation c = new Continuation(() -> {
            try {
                underMonitor();
            } catch (IllegalStateException e) {
                OUT.add(e.getMessage());
            }
        });
        c.resume();
        assertTrue(c.isDone());
        String message = (String) OUT.get(0);
        assertTrue(message.contains(SendTest.class.getName() + ".underMonitor holds a monitor"), message);
    }

    @Suspendable
    static void underMonitor() {
        synchronized (OUT) {
            Continuation.suspend("never");
        }
    }

    // ---- every shape of frame --------------------------------------------------------------

    interface Shape {
        @Suspendable
        long area(long scale);

        @Suspendable
        default long twice(long scale) {
            long a = area(scale);
            return a + (Long) Continuation.suspend("twice " + a);
        }
    }

    static final class Square implements Shape {
        final long side;

        Square(long side) {
            this.side = side;
        }

        @Override
        @Suspendable
        public long area(long scale) {
            long a = side * side;
            return scale * (Long) Continuation.suspend("area " + a);
        }
    }

    @FunctionalInterface
    interface Fn {
        @Suspendable
        int apply(int x);
    }

    @Suspendable
    static int viaMethodReference(int x) {
        return x + (Integer) Continuation.suspend("ref " + x);
    }

    @Suspendable
    static String shapes() {
        StringBuilder log = new StringBuilder();
        double weight = 0.5;
        // an interface default method calling an instance method, with values on the operand stack
        long t = 1000 + new Square(3).twice(2);
        log.append(t).append(' ');
        // a loop
        int sum = 0;
        for (int i = 0; i < 3; i++) {
            sum += (Integer) Continuation.suspend("loop " + i);
        }
        log.append(sum).append(' ');
        // try / finally
        try {
            log.append(Continuation.suspend("try"));
        } finally {
            log.append('/').append(Continuation.suspend("finally"));
        }
        // a lambda and a method reference
        Fn lambda = x -> x * (Integer) Continuation.suspend("lambda " + x);
        Fn ref = SendTest::viaMethodReference;
        log.append(' ').append(lambda.apply(ref.apply(4)));
        return log.append(' ').append(weight).toString();
    }

    @Test
    void valuesGoInAndOutOfEveryShapeOfFrame() {
        Continuation c = new Continuation(() -> OUT.add(shapes()));
        List<Object> handedOut = new ArrayList<>();
        Object[] answers = {5L, 7L, 1, 2, 3, "T", "F", 10, 3};
        handedOut.add(c.send(null));
        for (Object a : answers) {
            handedOut.add(c.send(a));
        }
        assertTrue(c.isDone());
        assertEquals(java.util.Arrays.asList("area 9", "twice 10", "loop 0", "loop 1", "loop 2", "try", "finally",
                "ref 4", "lambda 14", null), handedOut);
        // area: 2 * 5 = 10; twice: 10 + 7 = 17, + 1000; loop: 1 + 2 + 3; 4 + 10 = 14, * 3 = 42
        assertEquals(List.of("1017 6 T/F 42 0.5"), OUT);
    }

    // ---- threads, nesting, tasks, serialization ------------------------------------------------

    @Test
    @Timeout(30)
    void valuesCrossThreadsWithTheResume() throws Exception {
        Continuation c = new Continuation(() -> {
            int[] box = {0};
            for (int i = 0; i < 100; i++) {
                box[0] += (Integer) Continuation.suspend(new int[] {i, box[0]});
            }
            Continuation.suspend(box);
        });
        ExecutorService a = Executors.newSingleThreadExecutor();
        ExecutorService b = Executors.newSingleThreadExecutor();
        try {
            assertEquals(0, ((int[]) a.submit(() -> c.send(null)).get())[0]);
            for (int i = 0; i < 100; i++) {
                int k = i;
                ExecutorService on = i % 2 == 0 ? b : a;
                Object out = on.submit(() -> c.send(k + 1)).get();
                // the other thread reads what this one's resume handed out
                Object seen = (i % 2 == 0 ? a : b).submit(c::lastValue).get();
                assertSame(out, seen);
            }
            assertEquals(5050, ((int[]) c.lastValue())[0]);
        } finally {
            a.shutdownNow();
            b.shutdownNow();
            assertTrue(a.awaitTermination(10, TimeUnit.SECONDS) && b.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void nestedContinuationsHandTheirOwnValues() {
        Continuation outer = new Continuation(() -> {
            Continuation inner = new Continuation(() -> {
                Object x = Continuation.suspend("inner out");
                OUT.add("inner got " + x);
            });
            Object fromInner = inner.send(null);
            Object in = Continuation.suspend("outer out, inner said " + fromInner);
            inner.send(in + " forwarded");
            OUT.add("outer lastValue " + Continuation.current().lastValue());
        });
        assertEquals("outer out, inner said inner out", outer.send(null));
        assertNull(outer.send("x"));
        assertEquals(List.of("inner got x forwarded", "outer lastValue null"), OUT);
    }

    @Test
    void inATaskSuspendWithAValueYieldsAndReturnsNull() throws Exception {
        List<String> order = new ArrayList<>();
        Object r = EventLoop.run(() -> {
            Task<Void> other = Async.spawn(() -> {
                order.add("other runs");
                return null;
            });
            order.add("main yields");
            Object in = Continuation.suspend("handed to nobody");
            order.add("main back, lastValue " + Continuation.current().lastValue());
            other.join();
            return in;
        });
        assertNull(r);
        assertEquals(List.of("main yields", "other runs", "main back, lastValue null"), order);
    }

    @Test
    void theLastValueIsWrittenWithASuspendedContinuation() {
        Continuation c = new Continuation((Job) () -> {
            Object a = Continuation.suspend(new StringBuilder("written with it"));
            Object b = Continuation.suspend(a + "!");
            OUT.add(b);
        });
        c.send(null);
        Continuation copy = Bytes.copy(c);
        assertEquals("written with it", String.valueOf(copy.lastValue()));
        assertFalse(copy.lastValue() == c.lastValue(), "a copy of the value, read with the continuation");
        assertEquals("sent!", copy.send("sent"));
        Continuation again = Bytes.copy(copy);
        assertEquals("sent!", again.lastValue());
        assertNull(again.send("end"));
        assertEquals(List.of("end"), OUT);
        assertNull(Bytes.copy(again).lastValue());
    }
}
