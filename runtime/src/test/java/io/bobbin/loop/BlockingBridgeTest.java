package io.bobbin.loop;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingBridgeTest {

    @Test
    void blockingReturnsTheResultAndRethrowsTheExceptionAsItIs() throws Exception {
        EventLoop.run(() -> {
            assertEquals(6, Async.blocking(() -> 2 * 3));
            IOException io = new IOException("disk");
            assertSame(io, Thrown.by(IOException.class, () -> Async.blocking(() -> {
                throw io;
            })));
            AssertionError err = new AssertionError("an error");
            assertSame(err, Thrown.by(AssertionError.class, () -> Async.blocking(() -> {
                throw err;
            })));
            return null;
        });
    }

    @Test
    void itsCompletionWakesTheLoopSittingInSelectWithNoTimer() throws Exception {
        // the only task waits on the pool; no timer exists, so the loop blocks in select() until the
        // pool's completion writes to the wakeup channel
        long[] wakeups = new long[1];
        String r = EventLoop.run(() -> {
            String v = Async.blocking(() -> {
                Thread.sleep(200);
                return "done";
            });
            wakeups[0] = EventLoop.current().stats().wakeups();
            return v;
        });
        assertEquals("done", r);
        assertTrue(wakeups[0] >= 1, "wakeups: " + wakeups[0]);
    }

    @Test
    void awaitTakesTheSamePathAndUnwraps() throws Exception {
        EventLoop.run(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ignored) {
                    // test thread
                }
                f.complete("from elsewhere");
            }).start();
            assertEquals("from elsewhere", Async.await(f));
            IOException io = new IOException("x");
            CompletableFuture<String> failed = CompletableFuture.supplyAsync(() -> {
                throw new CompletionException(io);
            });
            assertSame(io, Thrown.by(IOException.class, () -> Async.await(failed)));
            assertSame(io, Thrown.by(IOException.class, () -> Async.await(failed.thenApply(x -> x))));
            assertEquals("done", Async.await(CompletableFuture.completedFuture("done")));
            return null;
        });
    }

    @Test
    void thePoolGrowsWhileWorkWaitsAndIdleThreadsRetire() throws Exception {
        int n = 12;
        EventLoop.builder().name("grow").blockingKeepAlive(Duration.ofMillis(100)).run(() -> {
            CyclicBarrier all = new CyclicBarrier(n); // passes only if n jobs run at once
            List<Task<String>> ts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ts.add(Async.spawn(() -> Async.blocking(() -> {
                    all.await(20, TimeUnit.SECONDS);
                    Thread t = Thread.currentThread();
                    assertTrue(t.isDaemon());
                    return t.getName();
                })));
            }
            for (Task<String> t : ts) {
                assertTrue(t.join().startsWith("grow-blocking-"));
            }
            assertTrue(EventLoop.current().stats().blockingThreads() >= n);
            for (int i = 0; i < 200 && EventLoop.current().stats().blockingThreads() > 0; i++) {
                Async.sleep(Duration.ofMillis(25));
            }
            assertEquals(0, EventLoop.current().stats().blockingThreads(), "idle threads retired");
            return null;
        });
    }

    @Test
    void thePoolStopsGrowingAtItsLimit() throws Exception {
        EventLoop.builder().maxBlockingThreads(2).run(() -> {
            CountDownLatch release = new CountDownLatch(1);
            List<Task<Object>> ts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ts.add(Async.spawn(() -> Async.blocking(() -> release.await(20, TimeUnit.SECONDS))));
            }
            Async.sleep(Duration.ofMillis(100));
            assertEquals(2, EventLoop.current().stats().blockingThreads());
            release.countDown();
            for (Task<Object> t : ts) {
                assertEquals(true, t.join());
            }
            return null;
        });
    }

    @Test
    void aBurstOfOutsideEventsCostsOneWakeupByte() throws Exception {
        try (EventLoop loop = EventLoop.start()) {
            CountDownLatch inCallback = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                inCallback.countDown();
                try {
                    release.await(); // the loop is busy: it drains nothing meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(inCallback.await(10, TimeUnit.SECONDS));
            long written = loop.stats().wakeups();
            long coalesced = loop.stats().coalescedWakeups();
            CountDownLatch ran = new CountDownLatch(1000);
            for (int i = 0; i < 1000; i++) {
                loop.execute(ran::countDown);
            }
            assertEquals(written + 1, loop.stats().wakeups());
            assertEquals(coalesced + 999, loop.stats().coalescedWakeups());
            release.countDown();
            assertTrue(ran.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aStageThatRefusesCallbacksFailsTheAwaitAndTheTaskGoesOn() throws Exception {
        assertEquals("went on", EventLoop.run(() -> {
            CompletableFuture<String> refusing = new CompletableFuture<>() {
                @Override
                public CompletableFuture<String> whenComplete(java.util.function.BiConsumer<? super String, ? super Throwable> action) {
                    throw new UnsupportedOperationException("no callbacks");
                }
            };
            Thrown.by(UnsupportedOperationException.class, () -> Async.await(refusing));
            Async.yieldNow(); // the task is not left in a waiting state
            Async.sleep(Duration.ofMillis(1));
            return "went on";
        }));
    }
}
