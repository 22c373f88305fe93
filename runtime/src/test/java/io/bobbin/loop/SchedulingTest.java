package io.bobbin.loop;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.Continuation;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SchedulingTest {

    @Test
    void runReturnsMainsResultAndRethrowsItsExceptionAsItIs() throws Exception {
        assertEquals(42, EventLoop.run(() -> 42));
        java.io.IOException boom = new java.io.IOException("boom");
        java.io.IOException thrown = assertThrows(java.io.IOException.class, () -> EventLoop.run(() -> {
            throw boom;
        }));
        assertSame(boom, thrown);
    }

    @Test
    void spawnQueuesFifoAndNeverRunsAtOnce() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Task<Void> a = Async.spawn(() -> { log.add("a"); return null; });
            Task<Void> b = Async.spawn(() -> { log.add("b"); return null; });
            Task<Void> c = Async.spawn(() -> { log.add("c"); return null; });
            log.add("main");
            a.join();
            b.join();
            c.join();
            return null;
        });
        assertEquals(List.of("main", "a", "b", "c"), log);
    }

    @Test
    void yieldNowLetsEveryOtherReadyTaskRunOnce() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : new String[] {"x", "y", "z"}) {
                tasks.add(Async.spawn(() -> {
                    for (int i = 0; i < 3; i++) {
                        log.add(name + i);
                        Async.yieldNow();
                    }
                    return null;
                }));
            }
            for (Task<Void> t : tasks) {
                t.join();
            }
            return null;
        });
        assertEquals(List.of("x0", "y0", "z0", "x1", "y1", "z1", "x2", "y2", "z2"), log);
    }

    @Test
    void bareSuspendInATaskBehavesAsYieldNow() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Task<Void> a = Async.spawn(() -> {
                log.add("a1");
                Continuation.suspend();
                log.add("a2");
                return null;
            });
            Task<Void> b = Async.spawn(() -> {
                log.add("b1");
                Async.yieldNow();
                log.add("b2");
                return null;
            });
            a.join();
            b.join();
            assertSame(Continuation.current(), Continuation.current());
            return null;
        });
        assertEquals(List.of("a1", "b1", "a2", "b2"), log);
    }

    @Test
    void joinReturnsResultAndRethrowsAsItIs() throws Exception {
        EventLoop.run(() -> {
            Task<String> ok = Async.spawn(() -> "ok");
            IllegalStateException boom = new IllegalStateException("boom");
            Task<String> bad = Async.spawn(() -> { throw boom; });
            Task<String> checked = Async.spawn(() -> { throw new java.io.IOException("io"); });
            assertEquals("ok", ok.join());
            assertSame(boom, Thrown.by(IllegalStateException.class, bad::join));
            assertEquals("io", Thrown.by(java.io.IOException.class, checked::join).getMessage());
            assertTrue(ok.isDone());
            assertEquals("ok", ok.resultNow());
            assertSame(boom, bad.exceptionNow());
            assertFalse(bad.isCancelled());
            return null;
        });
    }

    @Test
    void joinFromPlainCodeAndFromAnotherLoop() throws Exception {
        try (EventLoop loop = EventLoop.start()) {
            Task<Integer> t = loop.spawn(() -> {
                Async.sleep(Duration.ofMillis(20));
                return 7;
            });
            assertEquals(7, t.join()); // plain code: blocks
            Task<Integer> u = loop.spawn(() -> {
                Async.sleep(Duration.ofMillis(20));
                return 8;
            });
            assertEquals(9, EventLoop.run(() -> u.join() + 1)); // a task of another loop
        }
    }

    @Test
    void completionCallbacksAndFutures() throws Exception {
        List<String> log = new ArrayList<>();
        CompletableFuture<Integer> f = EventLoop.run(() -> {
            Task<Integer> t = Async.spawn(() -> {
                Async.sleep(Duration.ofMillis(5));
                return 5;
            });
            t.whenDone(x -> log.add("done " + x.resultNow()));
            CompletableFuture<Integer> cf = t.toCompletableFuture();
            assertFalse(cf.isDone());
            assertEquals(5, t.join());
            t.whenDone(x -> log.add("late " + x.resultNow())); // at once, on this thread
            return cf;
        });
        assertEquals(5, f.get());
        assertEquals(List.of("done 5", "late 5"), log);
        CompletableFuture<Object> cancelled = EventLoop.run(() -> {
            Task<Object> t = Async.spawn(() -> {
                Async.sleep(Duration.ofDays(1));
                return null;
            });
            Async.yieldNow();
            t.cancel();
            Thrown.by(CancellationException.class, t::join);
            return t.toCompletableFuture();
        });
        assertTrue(cancelled.isCancelled());
    }

    @Test
    void tasksNeverStartedAreDroppedAndRunningOnesCancelledWhenMainEnds() throws Exception {
        List<String> log = new ArrayList<>();
        Task<?>[] tasks = new Task<?>[2];
        EventLoop.run(() -> {
            tasks[0] = Async.spawn(() -> {
                try {
                    Async.sleep(Duration.ofDays(1));
                } finally {
                    log.add("finally");
                    Async.sleep(Duration.ofMillis(1)); // a finally block may suspend again
                    log.add("finally after sleep");
                }
                return null;
            });
            Async.yieldNow();
            tasks[1] = Async.spawn(() -> {
                log.add("never");
                return null;
            });
            return null;
        });
        assertEquals(List.of("finally", "finally after sleep"), log);
        assertTrue(tasks[0].isDone());
        assertTrue(tasks[0].isCancelled());
        assertTrue(tasks[1].isCancelled());
    }

    @Test
    void runFromATaskOrCallbackIsRefused() throws Exception {
        EventLoop.run(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> EventLoop.run(() -> 1));
            assertTrue(e.getMessage().contains("would block"), e.getMessage());
            return null;
        });
    }

    @Test
    void currentIsTheLoopInItsTasksAndNullOutside() throws Exception {
        assertNull(EventLoop.current());
        EventLoop[] seen = new EventLoop[2];
        EventLoop.run(() -> {
            seen[0] = EventLoop.current();
            seen[1] = Async.blocking(EventLoop::current);
            return null;
        });
        assertNotNull(seen[0]);
        assertNull(seen[1]);
        assertNull(EventLoop.current());
    }
}
