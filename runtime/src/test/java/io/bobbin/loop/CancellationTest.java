package io.bobbin.loop;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CancellationTest {

    /** Spawns {@code waiter}, lets it reach its wait, cancels it, and checks it saw one CancellationException and ran its finally. */
    private static void cancelDuring(String kind, io.bobbin.SuspendableCallable<Object> wait) throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Task<Object> t = Async.spawn(() -> {
                try {
                    log.add("waiting");
                    wait.call();
                    log.add("not cancelled");
                } catch (CancellationException e) {
                    log.add("cancelled");
                    throw e;
                } finally {
                    log.add("finally");
                }
                return null;
            });
            Async.sleep(Duration.ofMillis(20));
            assertTrue(t.cancel(), kind);
            assertFalse(t.cancel(), kind + ": asked already");
            assertFalse(t.isDone(), kind + ": not ended before its body has");
            Thrown.by(CancellationException.class, t::join);
            assertTrue(t.isDone());
            assertTrue(t.isCancelled());
            assertFalse(t.cancel(), kind + ": ended");
            return null;
        });
        assertEquals(List.of("waiting", "cancelled", "finally"), log, kind);
    }

    @Test
    void cancelInSleep() throws Exception {
        cancelDuring("sleep", () -> {
            Async.sleep(Duration.ofDays(1));
            return null;
        });
    }

    @Test
    void cancelInJoin() throws Exception {
        cancelDuring("join", () -> {
            Task<Object> forever = Async.spawn(() -> {
                Async.sleep(Duration.ofDays(1));
                return null;
            });
            try {
                return forever.join();
            } finally {
                assertFalse(forever.isDone(), "cancelling a joiner leaves the joined task alone");
                forever.cancel();
            }
        });
    }

    @Test
    void cancelInReadable() throws Exception {
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            cancelDuring("readable", () -> {
                Async.readable(pipe.source());
                return null;
            });
            // the registration was left without a waiter: another task may wait on the channel now
            EventLoop.run(() -> {
                Task<Integer> reader = Async.spawn(() -> {
                    Async.readable(pipe.source());
                    return pipe.source().read(ByteBuffer.allocate(8));
                });
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                assertEquals(3, reader.join());
                return null;
            });
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void cancelInBlockingReleasesAtOnceAndInterruptsTheWorker() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        cancelDuring("blocking", () -> Async.blocking(() -> {
            started.countDown();
            try {
                Thread.sleep(TimeUnit.DAYS.toMillis(1));
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return null;
        }));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the worker was interrupted");
    }

    @Test
    void cancelInAwaitLeavesTheStageAlone() throws Exception {
        CompletableFuture<Object> stage = new CompletableFuture<>();
        cancelDuring("await", () -> Async.await(stage));
        assertFalse(stage.isDone());
        stage.complete("late"); // its late callback finds nobody waiting
    }

    @Test
    void cancelInYieldNow() throws Exception {
        cancelDuring("yieldNow", () -> {
            while (true) {
                Async.yieldNow();
            }
        });
    }

    @Test
    void cancellationArrivesOnceSoFinallyMaySuspendAndACaughtCancellationGivesAResult() throws Exception {
        EventLoop.run(() -> {
            Task<String> t = Async.spawn(() -> {
                try {
                    Async.sleep(Duration.ofDays(1));
                    return "slept";
                } catch (CancellationException e) {
                    Async.sleep(Duration.ofMillis(5)); // suspends again: no second cancellation
                    Async.yieldNow();
                    return "caught";
                }
            });
            Async.yieldNow();
            assertTrue(t.cancel());
            assertEquals("caught", t.join());
            assertFalse(t.isCancelled());
            return null;
        });
    }

    @Test
    void aTaskThatNeverStartedNeverRuns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        EventLoop.run(() -> {
            Task<Void> t = Async.spawn(() -> {
                ran.set(true);
                return null;
            });
            assertTrue(t.cancel());
            Thrown.by(CancellationException.class, t::join);
            assertTrue(t.isCancelled());
            return null;
        });
        assertFalse(ran.get());
    }

    @Test
    void cancelFromAnotherThread() throws Exception {
        try (EventLoop loop = EventLoop.start()) {
            CountDownLatch sleeping = new CountDownLatch(1);
            Task<String> t = loop.spawn(() -> {
                sleeping.countDown();
                try {
                    Async.sleep(Duration.ofDays(1));
                    return "slept";
                } catch (CancellationException e) {
                    return "cancelled";
                }
            });
            assertTrue(sleeping.await(5, TimeUnit.SECONDS));
            assertTrue(t.cancel());
            assertEquals("cancelled", t.join());
        }
    }

    @Test
    void cancellingTheMainTaskMakesRunThrow() {
        assertThrows(CancellationException.class, () -> EventLoop.run(() -> {
            Task<?> self = Async.currentTask();
            Async.spawn(() -> {
                self.cancel();
                return null;
            });
            Async.sleep(Duration.ofDays(1));
            return null;
        }));
    }

}
