package io.bobbin.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Closing a group: every loop, every finally, every thread. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCloseTest {

    static List<Thread> threadsNamed(String prefix) {
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix) && t.isAlive()) {
                found.add(t);
            }
        }
        return found;
    }

    @Test
    void closingABusyGroupLosesNoFinally() throws Exception {
        for (int round = 0; round < 3; round++) {
            AtomicInteger started = new AtomicInteger();
            AtomicInteger finallies = new AtomicInteger();
            AtomicInteger children = new AtomicInteger();
            List<Task<Void>> tasks = new ArrayList<>();
            EventLoopGroup group = EventLoopGroup.start(3);
            CountDownLatch running = new CountDownLatch(50);
            CountDownLatch childrenRunning = new CountDownLatch(10);
            for (int i = 0; i < 600; i++) {
                int k = i;
                tasks.add(group.spawn(() -> {
                    started.incrementAndGet();
                    running.countDown();
                    try {
                        if (k % 5 == 0) { // children of its own, on its loop, each with a finally too
                            for (int c = 0; c < 3; c++) {
                                Async.spawn(() -> {
                                    started.incrementAndGet();
                                    children.incrementAndGet();
                                    childrenRunning.countDown();
                                    try {
                                        Async.sleep(Duration.ofSeconds(30));
                                    } finally {
                                        finallies.incrementAndGet();
                                    }
                                    return null;
                                });
                            }
                        }
                        while (true) {
                            switch (k % 3) {
                                case 0: Async.yieldNow(); break;
                                case 1: Async.sleep(Duration.ofMillis(1)); break;
                                default: Async.blocking(() -> null); break;
                            }
                        }
                    } finally {
                        Async.sleep(Duration.ofMillis(1)); // a finally that suspends
                        Async.yieldNow();
                        finallies.incrementAndGet();
                    }
                }));
            }
            assertTrue(running.await(20, TimeUnit.SECONDS));
            assertTrue(childrenRunning.await(20, TimeUnit.SECONDS));
            String prefix = group.loops().get(0).name().replace("-loop-1", "-");
            group.close();
            assertEquals(started.get(), finallies.get(), "every task that started ran its finally");
            assertTrue(children.get() > 0);
            for (EventLoop loop : group.loops()) {
                assertTrue(loop.isClosed(), loop + " closed");
            }
            assertEquals(List.of(), threadsNamed(prefix), "no loop or pool thread of the group is left");
            int neverStarted = 0;
            for (Task<Void> t : tasks) {
                assertTrue(t.isDone());
                assertTrue(t.isCancelled());
                if (t.exceptionNow().getMessage().endsWith("before it started")) {
                    neverStarted++;
                }
            }
            assertEquals(600 + children.get() - neverStarted, started.get());
        }
    }

    @Test
    void spawnOnAClosedGroupIsRefused() {
        EventLoopGroup group = EventLoopGroup.start(2);
        group.close();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> group.spawn(() -> 1));
        assertTrue(e.getMessage().matches("bobbin-group-\\d+ has ended; spawn on a group that runs"), e.getMessage());
        group.close(); // twice: nothing more
        assertTrue(group.toString().endsWith(", 2 loops, closed]"), group.toString());
    }

    @Test
    void closeFromATaskOfTheGroupStartsTheShutdownAndReturns() throws Exception {
        EventLoopGroup group = EventLoopGroup.start(2);
        Task<String> closer = group.spawn(() -> {
            group.close(); // only starts it: waiting here would wait for itself
            try {
                Async.sleep(Duration.ofSeconds(30));
                return "slept";
            } catch (CancellationException e) {
                return "cancelled by the close";
            }
        });
        assertEquals("cancelled by the close", closer.join());
        for (EventLoop loop : group.loops()) {
            assertTrue(loop.awaitTermination(Duration.ofSeconds(20)));
        }
        group.close(); // from outside, after the fact: returns at once
    }

    @Test
    void aLoopClosedOnItsOwnLeavesTheOthersToTakeTheGroupsTasks() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(2)) {
            EventLoop first = group.loops().get(0);
            first.close();
            assertTrue(first.isClosed());
            for (int i = 0; i < 20; i++) {
                assertEquals(group.loops().get(1), group.spawn(EventLoop::current).join());
            }
            assertFalse(group.loops().get(1).isClosed());
        }
    }
}
