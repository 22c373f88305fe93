package io.bobbin.loop;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.CallbackHandle;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimersTest {

    @Test
    void sleepLastsAtLeastItsDurationAndOthersRunMeanwhile() throws Exception {
        List<String> log = new ArrayList<>();
        long[] elapsed = new long[1];
        EventLoop.run(() -> {
            Task<Void> other = Async.spawn(() -> {
                log.add("other ran");
                return null;
            });
            long t0 = System.nanoTime();
            Async.sleep(Duration.ofMillis(50));
            elapsed[0] = System.nanoTime() - t0;
            log.add("woke");
            other.join();
            return null;
        });
        assertEquals(List.of("other ran", "woke"), log);
        assertTrue(elapsed[0] >= TimeUnit.MILLISECONDS.toNanos(50), "slept " + elapsed[0] + "ns");
    }

    @Test
    void sleepersWakeInDeadlineOrderAndEqualDeadlinesInFifoOrder() throws Exception {
        List<Integer> woke = new ArrayList<>();
        EventLoop.run(() -> {
            int[] delays = {60, 20, 40, 0, 20};
            List<Task<Void>> ts = new ArrayList<>();
            for (int i = 0; i < delays.length; i++) {
                int id = i;
                ts.add(Async.spawn(() -> {
                    Async.sleep(Duration.ofMillis(delays[id]));
                    woke.add(id);
                    return null;
                }));
            }
            for (Task<Void> t : ts) {
                t.join();
            }
            return null;
        });
        assertEquals(List.of(3, 1, 4, 2, 0), woke);
    }

    @Test
    void zeroOrNegativeSleepBehavesAsYieldNow() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Task<Void> a = Async.spawn(() -> {
                log.add("a");
                return null;
            });
            Async.sleep(Duration.ZERO);
            log.add("main after zero");
            Task<Void> b = Async.spawn(() -> {
                log.add("b");
                return null;
            });
            Async.sleep(Duration.ofMillis(-5));
            log.add("main after negative");
            a.join();
            b.join();
            return null;
        });
        assertEquals(List.of("a", "main after zero", "b", "main after negative"), log);
    }

    @Test
    void hundredThousandConcurrentSleepers() throws Exception {
        int n = 100_000;
        AtomicInteger woke = new AtomicInteger();
        int result = EventLoop.run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int id = i;
                tasks.add(Async.spawn(() -> {
                    Async.sleep(Duration.ofMillis(100 + id % 100));
                    woke.incrementAndGet();
                    return id;
                }));
            }
            long sum = 0;
            for (Task<Integer> t : tasks) {
                sum += t.join();
            }
            assertEquals((long) n * (n - 1) / 2, sum);
            return woke.get();
        });
        assertEquals(n, result);
    }

    @Test
    void callSoonRunsInFifoOrderWithReadyTasks() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            loop.callSoon(() -> log.add("cb1"));
            Task<Void> t = Async.spawn(() -> {
                log.add("task");
                return null;
            });
            loop.callSoon(() -> log.add("cb2"));
            CallbackHandle h = loop.callSoon(() -> log.add("cancelled"));
            assertTrue(h.cancel());
            assertFalse(h.cancel());
            assertTrue(h.isCancelled());
            t.join();
            Async.yieldNow();
            return null;
        });
        assertEquals(List.of("cb1", "task", "cb2"), log);
    }

    @Test
    void callLaterRunsAfterItsDelayAndCancelRemovesIt() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            long t0 = loop.time();
            long[] firedAt = new long[1];
            loop.callLater(Duration.ofMillis(40), () -> {
                firedAt[0] = loop.time();
                log.add("late");
            });
            loop.callLater(Duration.ofMillis(10), () -> log.add("early"));
            CallbackHandle never = loop.callLater(Duration.ofMillis(20), () -> log.add("never"));
            assertTrue(never.cancel());
            Async.sleep(Duration.ofMillis(80));
            assertTrue(firedAt[0] - t0 >= TimeUnit.MILLISECONDS.toNanos(40));
            return null;
        });
        assertEquals(List.of("early", "late"), log);
    }

    @Test
    void manyCancelledTimersLeaveNothingBehind() throws Exception {
        AtomicInteger fired = new AtomicInteger();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            List<CallbackHandle> hs = new ArrayList<>();
            for (int i = 0; i < 200_000; i++) {
                hs.add(loop.callLater(Duration.ofMillis(1 + i % 50), fired::incrementAndGet));
            }
            for (int i = 0; i < hs.size(); i += 2) {
                assertTrue(hs.get(i).cancel());
            }
            Async.sleep(Duration.ofMillis(120));
            return null;
        });
        assertEquals(100_000, fired.get());
    }

    @Test
    void timeIsMonotonicAndCallLaterFromAnotherThreadFires() throws Exception {
        try (EventLoop loop = EventLoop.start()) {
            long a = loop.time();
            long b = loop.time();
            assertTrue(b >= a && a >= 0);
            CountDownLatch done = new CountDownLatch(1);
            String[] thread = new String[1];
            loop.callLater(Duration.ofMillis(20), () -> {
                thread[0] = Thread.currentThread().getName();
                done.countDown();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(loop.name(), thread[0]);
            CallbackHandle h = loop.callLater(Duration.ofMillis(50), () -> fail("cancelled callback ran"));
            assertTrue(h.cancel());
            Thread.sleep(100);
        }
    }
}
