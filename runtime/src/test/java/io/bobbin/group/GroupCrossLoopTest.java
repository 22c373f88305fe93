package io.bobbin.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.EventLoopGroup;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Joins, cancellations and waits between tasks of different loops of a group, and cancelling tasks still queued. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCrossLoopTest {

    @Test
    void aTaskJoinsATaskOfAnotherLoop() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(2)) {
            EventLoop a = group.loops().get(0);
            EventLoop b = group.loops().get(1);
            Task<String> onB = b.spawn(() -> {
                Async.sleep(Duration.ofMillis(20));
                return "from " + EventLoop.current().name();
            });
            Task<String> onA = a.spawn(() -> onB.join() + ", joined on " + EventLoop.current().name());
            assertEquals("from " + b.name() + ", joined on " + a.name(), onA.join());
        }
    }

    @Test
    void aJoinAcrossLoopsRethrowsTheFailureAsItIs() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            Task<Void> failing = group.loops().get(1).spawn(() -> {
                Async.yieldNow();
                throw boom;
            });
            Task<Throwable> joiner = group.loops().get(0).spawn(() -> {
                try {
                    failing.join();
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            assertSame(boom, joiner.join());
        }
    }

    @Test
    void aTaskCancelsATaskOfAnotherLoopWhichRunsItsFinallyOnItsOwnLoop() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(2)) {
            EventLoop a = group.loops().get(0);
            EventLoop b = group.loops().get(1);
            CountDownLatch sleeping = new CountDownLatch(1);
            AtomicReference<EventLoop> finallyOn = new AtomicReference<>();
            Task<Void> sleeper = b.spawn(() -> {
                try {
                    sleeping.countDown();
                    Async.sleep(Duration.ofSeconds(30));
                    return null;
                } finally {
                    Async.yieldNow(); // a finally may suspend again
                    finallyOn.set(EventLoop.current());
                }
            });
            assertTrue(sleeping.await(10, TimeUnit.SECONDS));
            Task<String> canceller = a.spawn(() -> {
                boolean asked = sleeper.cancel();
                try {
                    sleeper.join();
                    return "joined";
                } catch (CancellationException e) {
                    return "cancelled, asked " + asked;
                }
            });
            assertEquals("cancelled, asked true", canceller.join());
            assertTrue(sleeper.isCancelled());
            assertSame(b, finallyOn.get());
            assertFalse(sleeper.cancel(), "a second cancel asks for nothing");
        }
    }

    @Test
    void asyncWaitsWorkAcrossLoops() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(2)) {
            EventLoop a = group.loops().get(0);
            EventLoop b = group.loops().get(1);
            CompletableFuture<String> handOver = new CompletableFuture<>();
            Task<String> waiter = a.spawn(() -> {
                String v = Async.await(handOver); // completed by a task of the other loop
                assertSame(a, EventLoop.current());
                String pooled = Async.blocking(() -> {
                    assertEquals(null, EventLoop.current());
                    return Thread.currentThread().getName();
                });
                assertSame(a, EventLoop.current(), "back on its own loop after the pool");
                return v + " / " + pooled.startsWith(a.name() + "-blocking-");
            });
            Task<Void> completer = b.spawn(() -> {
                Async.sleep(Duration.ofMillis(20));
                handOver.complete("from " + EventLoop.current().name());
                return null;
            });
            completer.join();
            assertEquals("from " + b.name() + " / true", waiter.join());
        }
    }

    @Test
    void aGroupTaskCancelledWhileQueuedNeverRunsAndEndsCancelled() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(2)) {
            CountDownLatch held = new CountDownLatch(2);
            CountDownLatch unblock = new CountDownLatch(1);
            List<Task<Void>> hogs = new ArrayList<>();
            for (EventLoop loop : group.loops()) { // hold every loop's thread: nothing can take the task
                hogs.add(loop.spawn(() -> {
                    held.countDown();
                    unblock.await(30, TimeUnit.SECONDS);
                    return null;
                }));
            }
            assertTrue(held.await(10, TimeUnit.SECONDS));
            AtomicBoolean ran = new AtomicBoolean();
            Task<String> queued = group.spawn(() -> {
                ran.set(true);
                return "ran";
            });
            assertTrue(queued.cancel());
            assertFalse(queued.cancel());
            assertFalse(queued.isDone(), "it ends when a loop takes it, not before");
            unblock.countDown();
            CancellationException e = assertThrows(CancellationException.class, queued::join);
            assertTrue(e.getMessage().endsWith("was cancelled before it started"), e.getMessage());
            assertTrue(queued.isCancelled());
            assertFalse(ran.get());
            for (Task<Void> h : hogs) {
                h.join();
            }
        }
    }

    /** Cancel racing with placement, take-over and start: every task ends, and one cancelled before it started never ran. */
    @Test
    void cancelRacingWithPlacementLosesNoTaskAndRunsNoCancelledOne() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(3)) {
            for (int round = 0; round < 20; round++) {
                int n = 200;
                List<Task<Integer>> tasks = new ArrayList<>();
                AtomicInteger[] ran = new AtomicInteger[n];
                for (int i = 0; i < n; i++) {
                    AtomicInteger r = ran[i] = new AtomicInteger();
                    tasks.add(group.spawn(() -> {
                        r.incrementAndGet();
                        Async.yieldNow();
                        return 1;
                    }));
                }
                boolean[] asked = new boolean[n];
                Thread canceller = new Thread(() -> {
                    for (int i = n - 1; i >= 0; i--) {
                        if (ThreadLocalRandom.current().nextBoolean()) {
                            asked[i] = tasks.get(i).cancel();
                        }
                    }
                });
                canceller.start();
                canceller.join();
                for (int i = 0; i < n; i++) {
                    Task<Integer> t = tasks.get(i);
                    try {
                        assertEquals(1, t.join());
                        assertEquals(1, ran[i].get());
                    } catch (CancellationException e) {
                        assertTrue(asked[i], "only a task asked to cancel ends cancelled");
                        if (e.getMessage().endsWith("before it started")) {
                            assertEquals(0, ran[i].get(), "a task cancelled before it started never runs");
                        } else {
                            assertEquals(1, ran[i].get());
                        }
                    }
                    assertTrue(t.isDone());
                }
            }
        }
    }

    @Test
    void groupSpawnFromATaskOfAnotherLoopAndJoinFromPlainCode() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(2)) {
            Integer sum = EventLoop.run(() -> {
                EventLoop mine = EventLoop.current();
                List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 1; i <= 20; i++) {
                    int k = i;
                    tasks.add(group.spawn(() -> {
                        assertNotSame(mine, EventLoop.current());
                        Async.sleep(Duration.ofMillis(k % 3));
                        return k;
                    }));
                }
                int s = 0;
                for (Task<Integer> t : tasks) {
                    s += t.join();
                }
                return s;
            });
            assertEquals(210, sum);
            assertEquals(7, group.spawn(() -> 7).join(), "plain code blocks in join");
        }
    }
}
