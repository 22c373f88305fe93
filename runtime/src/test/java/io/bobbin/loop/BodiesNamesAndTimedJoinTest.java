package io.bobbin.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies that return nothing (no {@code return null;}), and which overload a lambda picks; named
 * tasks; {@code Task.join(Duration)}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BodiesNamesAndTimedJoinTest {
    static final List<String> log = new ArrayList<>();

    static String valueMethod() {
        return "value";
    }

    static void work() {
        log.add("work");
    }

    static void failNow(String message) throws IOException {
        throw new IOException(message);
    }

    // ---- which overload the common lambda shapes pick (the assignments are checked by the compiler) ----

    @Test
    void spawnTakesBodiesThatReturnAValueOrNothingAndEachShapePicksTheRightOne() throws Exception {
        log.clear();
        EventLoop.run(() -> {
            Task<Integer> constant = Async.spawn(() -> 42);
            Task<Void> block = Async.spawn(() -> {
                work();
            });
            Task<Void> voidCall = Async.spawn(() -> Async.sleep(Duration.ofMillis(1)));
            Task<String> valueCall = Async.spawn(() -> valueMethod());
            Task<Void> voidMethodCall = Async.spawn(() -> work());
            assertEquals(42, constant.join());
            assertNull(block.join());
            assertNull(voidCall.join());
            assertEquals("value", valueCall.join());
            assertNull(voidMethodCall.join());
            assertEquals(List.of("work", "work"), log);
        });
    }

    @Test
    void aBodyThatReturnsNothingFailsAndIsCancelledAsAnyOther() throws Exception {
        EventLoop.run(() -> {
            Task<Void> failing = Async.spawn(() -> {
                failNow("body failure");
            });
            assertEquals("body failure", Thrown.by(IOException.class, failing::join).getMessage());
            Task<Void> sleeper = Async.spawn(() -> Async.sleep(Duration.ofSeconds(30)));
            Async.yieldNow();
            assertTrue(sleeper.cancel());
            Thrown.by(CancellationException.class, sleeper::join);
            assertTrue(sleeper.isCancelled());
        });
    }

    @Test
    void blockingTakesWorkThatReturnsNothingAndMayThrowCheckedExceptions(@TempDir Path dir) throws Exception {
        EventLoop.run(() -> {
            Thread loopThread = Thread.currentThread();
            int constant = Async.blocking(() -> 42);
            String value = Async.blocking(() -> valueMethod());
            Async.blocking(() -> Thread.sleep(1)); // void, and throws InterruptedException: the void overload
            Thread[] ranOn = new Thread[1];
            Async.blocking(() -> {
                ranOn[0] = Thread.currentThread();
            });
            Path file = dir.resolve("f");
            Async.blocking(() -> Files.writeString(file, "x")); // returns a value: the Callable overload
            Async.blocking(() -> Files.delete(file)); // returns nothing
            assertEquals(42, constant);
            assertEquals("value", value);
            assertNotSame(loopThread, ranOn[0]);
            assertTrue(ranOn[0].getName().contains("-blocking-"), ranOn[0].getName());
            assertFalse(Files.exists(file));
            NoSuchFileException e = Thrown.by(NoSuchFileException.class, () -> {
                Async.blocking(() -> Files.delete(file)); // its checked exception comes out as it is
                return null;
            });
            assertEquals(file.toString(), e.getFile());
        });
        // plain code: on the calling thread
        Thread[] ranOn = new Thread[1];
        Async.blocking(() -> {
            ranOn[0] = Thread.currentThread();
        });
        assertSame(Thread.currentThread(), ranOn[0]);
    }

    @Test
    void runAndSpawnTakeMainsAndBodiesThatReturnNothing() throws Exception {
        log.clear();
        EventLoop.run(() -> {
            Async.sleep(Duration.ofMillis(1));
            log.add("run");
        });
        EventLoop.builder().name("built").run(() -> {
            log.add("builder " + EventLoop.current().name());
        });
        IOException e = assertThrows(IOException.class, () -> EventLoop.run(() -> {
            failNow("main failure");
        }));
        assertEquals("main failure", e.getMessage());
        try (EventLoop loop = EventLoop.start()) {
            Task<Void> t = loop.spawn(() -> {
                log.add("spawned on " + EventLoop.current().name());
            });
            assertNull(t.join());
            assertEquals(List.of("run", "builder built", "spawned on " + loop.name()), log);
        }
    }

    // ---- names ----------------------------------------------------------------------------------

    @Test
    void aNamedTaskShowsItsNameAfterItsLoopAndNumber() throws Exception {
        EventLoop.builder().name("names").run(() -> {
            Task<Integer> fetcher = Async.spawn("fetcher", () -> 1);
            Task<Void> pinger = Async.spawn("pinger", () -> Async.yieldNow());
            Task<Void> plain = Async.spawn(() -> Async.yieldNow());
            assertTrue(fetcher.toString().matches("names/task-\\d+ \\(fetcher\\)"), fetcher.toString());
            assertTrue(pinger.toString().matches("names/task-\\d+ \\(pinger\\)"), pinger.toString());
            assertTrue(plain.toString().matches("names/task-\\d+"), plain.toString());
            assertEquals(1, fetcher.join());
            pinger.join();
            plain.join();
            // the name is in the messages that name the task
            boolean[] started = new boolean[1];
            Task<Void> sleeper = Async.spawn("sleeper", () -> {
                started[0] = true;
                Async.sleep(Duration.ofSeconds(30));
            });
            while (!started[0]) {
                Async.yieldNow();
            }
            sleeper.cancel();
            CancellationException c = Thrown.by(CancellationException.class, sleeper::join);
            assertEquals("task " + sleeper + " was cancelled", c.getMessage());
            assertTrue(c.getMessage().endsWith(" (sleeper) was cancelled"), c.getMessage());
        });
        try (EventLoop loop = EventLoop.builder().name("started").start()) {
            Task<String> t = loop.spawn("worker", () -> "done");
            Task<Void> v = loop.spawn("void worker", () -> Async.yieldNow());
            assertEquals("done", t.join());
            assertNull(v.join());
            assertTrue(t.toString().matches("started/task-\\d+ \\(worker\\)"), t.toString());
            assertTrue(v.toString().matches("started/task-\\d+ \\(void worker\\)"), v.toString());
        }
    }

    @Test
    void aNameMustSaySomething() throws Exception {
        EventLoop.run(() -> {
            assertThrows(IllegalArgumentException.class, () -> Async.spawn(" ", () -> 1));
            assertThrows(IllegalArgumentException.class, () -> Async.spawn("", () -> Async.yieldNow()));
            assertThrows(NullPointerException.class, () -> Async.spawn((String) null, () -> 1));
            assertThrows(NullPointerException.class, () -> EventLoop.current().spawn((String) null, () -> Async.yieldNow()));
        });
    }

    @Test
    void aFailedNamedTaskThatNobodyJoinedIsLoggedWithItsName() throws Exception {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.bobbin.EventLoop");
        List<String> messages = new ArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public synchronized void publish(java.util.logging.LogRecord r) {
                messages.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(h);
        try {
            String[] name = new String[1];
            EventLoop.builder().name("logged").run(() -> {
                Task<Void> t = Async.spawn("importer", () -> {
                    failNow("expected in this test");
                });
                name[0] = t.toString();
                Async.yieldNow(); // it runs, and fails
            });
            synchronized (h) {
                assertEquals(List.of("task " + name[0] + " failed and nobody joined it"), messages);
                assertTrue(name[0].endsWith(" (importer)"), name[0]);
            }
        } finally {
            jul.removeHandler(h);
        }
    }

    // ---- join(Duration) -------------------------------------------------------------------------

    @Test
    void aTimedJoinReturnsTheOutcomeOfATaskThatEndsInTime() throws Exception {
        EventLoop.run(() -> {
            Task<String> quick = Async.spawn(() -> {
                Async.sleep(Duration.ofMillis(10));
                return "quick";
            });
            assertEquals("quick", quick.join(Duration.ofSeconds(10)));
            assertEquals("quick", quick.join(Duration.ZERO)); // ended: its outcome at once, whatever the limit
            Task<Void> failing = Async.spawn(() -> {
                throw new IOException("task failure");
            });
            assertEquals("task failure", Thrown.by(IOException.class, () -> failing.join(Duration.ofSeconds(10))).getMessage());
        });
    }

    @Test
    void aTimedJoinOfATaskThatHasNotEndedThrowsTimeoutExceptionAndLeavesTheTaskRunning() throws Exception {
        EventLoop.run(() -> {
            CompletableFuture<String> gate = new CompletableFuture<>();
            Task<String> slow = Async.spawn("slow", () -> Async.await(gate));
            long t0 = System.nanoTime();
            TimeoutException e = Thrown.by(TimeoutException.class, () -> slow.join(Duration.ofMillis(50)));
            long waited = System.nanoTime() - t0;
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(50), waited + " ns");
            assertEquals("task " + slow + " has not ended within PT0.05S; it goes on running (cancel() it to stop it)",
                    e.getMessage());
            assertFalse(slow.isDone());
            Thrown.by(TimeoutException.class, () -> slow.join(Duration.ZERO)); // a zero limit only looks
            gate.complete("late");
            assertEquals("late", slow.join()); // it went on, and ends normally
        });
    }

    @Test
    void aTaskThatEndsByItsOwnTimeoutExceptionHasItRethrownAsItIs() throws Exception {
        EventLoop.run(() -> {
            TimeoutException own = new TimeoutException("the task's own");
            Task<Void> t = Async.spawn(() -> {
                Async.sleep(Duration.ofMillis(10));
                throw own;
            });
            assertSame(own, Thrown.by(TimeoutException.class, () -> t.join(Duration.ofSeconds(10))));
        });
    }

    @Test
    void aCancelledTimedJoinerGetsCancellationExceptionAndTheJoinedTaskGoesOn() throws Exception {
        EventLoop.run(() -> {
            CompletableFuture<String> gate = new CompletableFuture<>();
            Task<String> target = Async.spawn(() -> Async.await(gate));
            Task<String> joiner = Async.spawn(() -> target.join(Duration.ofSeconds(30)));
            Async.sleep(Duration.ofMillis(10));
            assertTrue(joiner.cancel());
            Thrown.by(CancellationException.class, joiner::join);
            assertFalse(target.isDone());
            gate.complete("target");
            assertEquals("target", target.join());
            // an outer withTimeout passes through as itself, not as this join's timeout
            CompletableFuture<String> never = new CompletableFuture<>();
            Task<String> stuck = Async.spawn(() -> Async.await(never));
            TimeoutException outer = Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(20),
                    () -> stuck.join(Duration.ofSeconds(30))));
            assertEquals("the body did not end within PT0.02S", outer.getMessage());
            assertFalse(stuck.isDone());
            stuck.cancel();
        });
    }

    @Test
    void aTimedJoinInPlainCodeBlocksAtMostTheLimit() throws Exception {
        try (EventLoop loop = EventLoop.start()) {
            CompletableFuture<String> gate = new CompletableFuture<>();
            Task<String> t = loop.spawn(() -> Async.await(gate));
            TimeoutException e = assertThrows(TimeoutException.class, () -> t.join(Duration.ofMillis(50)));
            assertTrue(e.getMessage().startsWith("task " + t + " has not ended within PT0.05S"), e.getMessage());
            assertFalse(t.isDone());
            gate.complete("done");
            assertEquals("done", t.join(Duration.ofSeconds(10)));
            // on the loop's thread outside a task it is refused, as join() is
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    t.join(Duration.ofSeconds(1));
                    refused.complete(null);
                } catch (Throwable x) {
                    refused.complete(x);
                }
            });
            Throwable x = refused.get(10, TimeUnit.SECONDS);
            assertTrue(x instanceof IllegalStateException && x.getMessage().startsWith("Task.join() was called on the thread of"),
                    String.valueOf(x));
        }
    }
}
