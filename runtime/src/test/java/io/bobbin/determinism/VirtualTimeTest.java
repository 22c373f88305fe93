package io.bobbin.determinism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code EventLoop.Builder.virtualTime()}: the clock starts at 0, stands still while anything can
 * progress, jumps to the earliest timer when nothing can, never while blocking work is in flight, and
 * every deadline of the loop (sleep, callLater, withTimeout, the unobserved-failure grace) follows it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualTimeTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final long DAY = TimeUnit.DAYS.toNanos(1);

    private static EventLoop.Builder virtual() {
        return EventLoop.builder().virtualTime();
    }

    private static long time() {
        return EventLoop.current().time();
    }

    @Test
    void aTaskSleepingADayEndsInWellUnderASecondAtExactlyOneDayOfVirtualTime() throws Exception {
        long t0 = System.nanoTime();
        long[] seen = virtual().run(() -> {
            long before = time();
            Async.sleep(Duration.ofDays(1));
            return new long[] {before, time()};
        });
        long real = System.nanoTime() - t0;
        assertEquals(0, seen[0], "the clock starts at 0");
        assertEquals(DAY, seen[1], "it jumped exactly to the sleeper's deadline");
        assertTrue(real < TimeUnit.SECONDS.toNanos(5), "a virtual day took " + real / 1_000_000 + " ms of real time");
    }

    @Test
    void theClockStandsStillWhileTasksAreReadyAndWhileTheLoopsThreadWorks() throws Exception {
        long[] seen = virtual().run(() -> {
            Task<Void> yielder = Async.spawn(() -> {
                for (int i = 0; i < 1000; i++) {
                    Async.yieldNow();
                }
                return null;
            });
            Thread.sleep(50); // real time passes on the loop's thread: not on its clock
            long afterWork = time();
            yielder.join();
            long afterYields = time();
            Async.sleep(Duration.ofMillis(5));
            return new long[] {afterWork, afterYields, time()};
        });
        assertEquals(0, seen[0]);
        assertEquals(0, seen[1]);
        assertEquals(TimeUnit.MILLISECONDS.toNanos(5), seen[2]);
    }

    @Test
    void aHundredThousandSleepersWithRandomDeadlinesWakeInTheExactOrderOfTheirDeadlines() throws Exception {
        int n = 100_000;
        Random random = new Random(2024);
        long[] deadline = new long[n];
        for (int i = 0; i < n; i++) {
            // many equal deadlines too: 1..50,000 microseconds apart, spread over at most 50 ms
            deadline[i] = TimeUnit.MICROSECONDS.toNanos(1 + random.nextInt(50_000));
        }
        int[] wokeId = new int[n];
        long[] wokeAt = new long[n];
        int[] count = new int[1];
        long t0 = System.nanoTime();
        virtual().run(() -> {
            List<Task<Void>> sleepers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int id = i;
                sleepers.add(Async.spawn(() -> {
                    Async.sleep(Duration.ofNanos(deadline[id])); // spawned at virtual 0: the deadline is exact
                    wokeId[count[0]] = id;
                    wokeAt[count[0]++] = time();
                    return null;
                }));
            }
            for (Task<Void> t : sleepers) {
                t.join();
            }
            return null;
        });
        long real = System.nanoTime() - t0;
        assertEquals(n, count[0]);
        // expected: by deadline, and among equal deadlines in the order the sleepers started (their ids)
        Integer[] expected = new Integer[n];
        Arrays.setAll(expected, i -> i);
        Arrays.sort(expected, (a, b) -> deadline[a] != deadline[b] ? Long.compare(deadline[a], deadline[b]) : Integer.compare(a, b));
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i].intValue(), wokeId[i], "wakeup #" + i);
            assertEquals(deadline[wokeId[i]], wokeAt[i], "wakeup #" + i + " came at its deadline exactly");
        }
        assertTrue(real < TimeUnit.SECONDS.toNanos(30), "took " + real / 1_000_000 + " ms");
    }

    @Test
    void withTimeoutExpiresOnTheVirtualClock() throws Exception {
        long t0 = System.nanoTime();
        List<String> log = virtual().run(() -> {
            List<String> l = new ArrayList<>();
            try {
                Async.withTimeout(Duration.ofHours(1), () -> {
                    Async.sleep(Duration.ofHours(2));
                    return "slept";
                });
                l.add("no timeout");
            } catch (TimeoutException e) {
                l.add("timeout at " + time());
            }
            String v = Async.withTimeout(Duration.ofHours(2), () -> {
                Async.sleep(Duration.ofHours(1));
                return "done at " + time();
            });
            l.add(v);
            Async.sleep(Duration.ofHours(5)); // the second call's timer is gone: nothing fires at 4 h
            l.add("end at " + time());
            return l;
        });
        assertEquals(List.of("timeout at " + HOUR, "done at " + 2 * HOUR, "end at " + 7 * HOUR), log);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void callLaterCallbacksAndSleepersRunInTheOrderOfTheirVirtualDeadlines() throws Exception {
        List<String> log = virtual().run(() -> {
            List<String> l = new ArrayList<>();
            EventLoop loop = EventLoop.current();
            loop.callLater(Duration.ofSeconds(30), () -> l.add("c30@" + loop.time()));
            loop.callLater(Duration.ofSeconds(10), () -> l.add("c10a@" + loop.time()));
            loop.callLater(Duration.ofSeconds(20), () -> l.add("c20@" + loop.time()));
            loop.callLater(Duration.ofSeconds(10), () -> l.add("c10b@" + loop.time()));
            loop.callLater(Duration.ofSeconds(40), () -> l.add("never")).cancel();
            Task<Void> sleeper = Async.spawn(() -> {
                Async.sleep(Duration.ofSeconds(15));
                l.add("s15@" + time());
                return null;
            });
            Async.sleep(Duration.ofSeconds(35));
            l.add("main@" + time());
            sleeper.join();
            Async.sleep(Duration.ofSeconds(10)); // the cancelled callback's timer is gone
            l.add("end@" + time());
            return l;
        });
        long s = TimeUnit.SECONDS.toNanos(1);
        assertEquals(List.of("c10a@" + 10 * s, "c10b@" + 10 * s, "s15@" + 15 * s, "c20@" + 20 * s, "c30@" + 30 * s,
                "main@" + 35 * s, "end@" + 45 * s), log);
    }

    @Test
    void theClockDoesNotJumpWhileBlockingWorkIsInFlight() throws Exception {
        List<String> log = new ArrayList<>();
        virtual().run(() -> {
            EventLoop loop = EventLoop.current();
            Task<Void> sleeper = Async.spawn(() -> {
                Async.sleep(Duration.ofSeconds(1));
                log.add("sleeper woke at " + time());
                return null;
            });
            Async.yieldNow(); // the sleeper's timer is set
            long[] seenByWork = Async.blocking(() -> {
                long start = loop.time();
                Thread.sleep(300); // real time: nothing else is ready, yet the clock must wait for this
                return new long[] {start, loop.time()};
            });
            log.add("work saw " + seenByWork[0] + ".." + seenByWork[1] + ", done at " + time());
            sleeper.join();
            log.add("end at " + time());
            return null;
        });
        long s = TimeUnit.SECONDS.toNanos(1);
        assertEquals(List.of("work saw 0..0, done at 0", "sleeper woke at " + s, "end at " + s), log);
    }

    @Test
    void theClockNeverJumpsBeforeEveryBlockingResultIsBackUnderStress() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int jobs = 1 + random.nextInt(4);
            long[] nanos = new long[jobs];
            for (int j = 0; j < jobs; j++) {
                nanos[j] = random.nextInt(300_000); // up to 0.3 ms of real work each
            }
            int r = round;
            List<String> log = virtual().run(() -> {
                List<String> l = new ArrayList<>();
                List<Task<Void>> tasks = new ArrayList<>();
                tasks.add(Async.spawn(() -> {
                    Async.sleep(Duration.ofNanos(1)); // wakes only once the clock jumps
                    l.add("sleeper at " + time());
                    return null;
                }));
                for (int j = 0; j < jobs; j++) {
                    int id = j;
                    tasks.add(Async.spawn(() -> {
                        Async.blocking(() -> {
                            long end = System.nanoTime() + nanos[id];
                            while (System.nanoTime() < end) {
                                Thread.onSpinWait();
                            }
                            return null;
                        });
                        l.add("job back at " + time());
                        return null;
                    }));
                }
                for (Task<Void> t : tasks) {
                    t.join();
                }
                return l;
            });
            List<String> expected = new ArrayList<>();
            for (int j = 0; j < jobs; j++) {
                expected.add("job back at 0");
            }
            expected.add("sleeper at 1");
            assertEquals(expected, log, "round " + r);
        }
    }

    @Test
    void blockingWorkThatWasCancelledNoLongerHoldsTheClockEvenWhileItsThreadIsBusy() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean workEnded = new AtomicBoolean();
        List<String> log = new ArrayList<>();
        try {
            virtual().run(() -> {
                Task<String> worker = Async.spawn(() -> Async.blocking(() -> {
                    started.countDown();
                    while (true) { // deaf to interrupts: the thread stays busy after the cancellation
                        try {
                            if (release.await(10, TimeUnit.MILLISECONDS)) {
                                break;
                            }
                        } catch (InterruptedException ignored) {
                            // keep going
                        }
                    }
                    workEnded.set(true);
                    return "finished";
                }));
                Task<Void> sleeper = Async.spawn(() -> {
                    Async.sleep(Duration.ofMinutes(1));
                    log.add("sleeper woke at " + time() + ", work ended: " + workEnded.get());
                    return null;
                });
                while (started.getCount() > 0) {
                    Async.yieldNow(); // the clock stands still while this task is ready
                }
                assertEquals(0, time());
                worker.cancel();
                try {
                    worker.join();
                } catch (CancellationException e) {
                    log.add("worker cancelled at " + time());
                }
                sleeper.join();
                release.countDown(); // the pool's thread may end now, before the loop closes
                return null;
            });
        } finally {
            release.countDown();
        }
        assertEquals(List.of("worker cancelled at 0", "sleeper woke at " + TimeUnit.MINUTES.toNanos(1) + ", work ended: false"), log);
    }

    @Test
    void ioReadinessAndAwaitedStagesDoNotHoldTheClockBack() throws Exception {
        Pipe pipe = Pipe.open();
        CompletableFuture<String> never = new CompletableFuture<>();
        try {
            pipe.source().configureBlocking(false);
            long t0 = System.nanoTime();
            long end = virtual().run(() -> {
                Task<Void> reader = Async.spawn(() -> {
                    Async.readable(pipe.source());
                    return null;
                });
                Task<String> awaiter = Async.spawn(() -> Async.await(never));
                Async.sleep(Duration.ofHours(1));
                long at = time();
                reader.cancel();
                awaiter.cancel();
                return at;
            });
            assertEquals(HOUR, end);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void theGraceBeforeAnUnjoinedFailureIsReportedFollowsTheVirtualClock() throws Exception {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.bobbin.EventLoop");
        List<String> reports = new ArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public synchronized void publish(java.util.logging.LogRecord r) {
                reports.add(r.getThrown() == null ? r.getMessage() : r.getThrown().getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(h);
        try {
            List<String> log = virtual().run(() -> {
                List<String> l = new ArrayList<>();
                Async.spawn(() -> {
                    throw new IllegalStateException("nobody joins this (expected in this test)");
                });
                Async.sleep(Duration.ofMillis(999));
                synchronized (h) {
                    l.add("at " + time() + ": " + reports);
                }
                Async.sleep(Duration.ofMillis(2));
                synchronized (h) {
                    l.add("at " + time() + ": " + reports);
                }
                return l;
            });
            long ms = TimeUnit.MILLISECONDS.toNanos(1);
            assertEquals(List.of("at " + 999 * ms + ": []",
                    "at " + 1001 * ms + ": [nobody joins this (expected in this test)]"), log);
        } finally {
            jul.removeHandler(h);
        }
    }

    @Test
    void withoutVirtualTimeTheLoopKeepsTheSystemClock() throws Exception {
        long slept = EventLoop.run(() -> {
            long t = time();
            Async.sleep(Duration.ofMillis(30));
            return time() - t;
        });
        assertTrue(slept >= TimeUnit.MILLISECONDS.toNanos(30), "slept " + slept);
        assertFalse(EventLoop.builder().virtualTime().run(() -> time() != 0), "a virtual clock starts at 0");
    }
}
