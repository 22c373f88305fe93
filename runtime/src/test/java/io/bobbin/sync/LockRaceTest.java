package io.bobbin.sync;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races on {@link Mutex}, {@link Semaphore} and {@link Event} between tasks of two loops on threads
 * of their own and plain threads, bounded in rounds and in time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LockRaceTest {
    /** Not atomic, not volatile: only the mutex makes its increments add up. */
    private long counter;

    @Test
    void aMutexGuardsANonAtomicCounterFromTasksOfTwoLoopsAndTwoPlainThreads() throws Exception {
        Mutex m = new Mutex();
        int perTask = 5_000;
        int perThread = 20_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            List<Task<Object>> tasks = new ArrayList<>();
            for (EventLoop loop : List.of(a, b)) {
                for (int k = 0; k < 4; k++) {
                    int me = k;
                    tasks.add(loop.spawn(() -> {
                        for (int i = 0; i < perTask; i++) {
                            if ((i + me) % 3 == 0 && m.tryLock()) {
                                counter++;
                                m.unlock();
                                continue;
                            }
                            m.lock();
                            long c = counter;
                            if (i % 64 == me) {
                                Async.yieldNow(); // held across a suspension: the loop's other tasks queue up
                            }
                            counter = c + 1;
                            m.unlock();
                        }
                        return null;
                    }));
                }
            }
            List<Thread> threads = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                Thread t = new Thread(() -> {
                    try {
                        for (int i = 0; i < perThread; i++) {
                            m.lock();
                            counter++;
                            m.unlock();
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            Async.joinAll(tasks);
            for (Thread t : threads) {
                t.join();
            }
        }
        assertNull(failure.get());
        m.lock(); // a happens-before edge to this thread
        assertEquals(8L * perTask + 2L * perThread, counter);
        m.unlock();
        assertFalse(m.isLocked());
        assertEquals(0, m.waiting());
    }

    @Test
    void cancellationsAndTimeoutsRacingWithTheHandOffNeverLeaveTheMutexHeldOrAWaiterBehind() throws Exception {
        Mutex m = new Mutex();
        AtomicInteger held = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlap = new AtomicInteger();
        SplittableRandom rnd = new SplittableRandom(5);
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            for (int round = 0; round < 150; round++) {
                List<Task<Object>> tasks = new ArrayList<>();
                for (int k = 0; k < 8; k++) {
                    long limit = rnd.nextInt(150_000);
                    tasks.add((k % 2 == 0 ? a : b).spawn(() -> {
                        Boolean got = Async.withTimeoutOrNull(Duration.ofNanos(limit), () -> {
                            m.lock();
                            return true;
                        });
                        if (got == null) {
                            gaveUp.incrementAndGet();
                            return null;
                        }
                        held.incrementAndGet();
                        try {
                            if (inside.incrementAndGet() != 1) {
                                overlap.incrementAndGet();
                            }
                            Async.sleep(Duration.ofNanos(limit / 4));
                        } finally {
                            inside.decrementAndGet();
                            m.unlock();
                        }
                        return null;
                    }));
                }
                for (Task<Object> t : tasks) {
                    if (rnd.nextInt(4) == 0) {
                        for (int s = rnd.nextInt(3000); s > 0; s--) {
                            Thread.onSpinWait();
                        }
                        t.cancel();
                    }
                }
                for (Task<Object> t : tasks) {
                    try {
                        t.join();
                    } catch (CancellationException e) {
                        // cancelled: waiting, holding (then it unlocked in its finally) or before it started
                    }
                }
                assertFalse(m.isLocked(), "round " + round + ": " + m);
                assertEquals(0, m.waiting(), "round " + round);
            }
        }
        assertEquals(0, overlap.get(), "two holders at once");
        assertTrue(held.get() > 0 && gaveUp.get() > 0, "both outcomes happened: held " + held + ", gave up " + gaveUp);
    }

    @Test
    void cancellationsRacingWithReleasesNeverLoseOrInventAPermit() throws Exception {
        Semaphore s = new Semaphore(2);
        SplittableRandom rnd = new SplittableRandom(9);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            for (int round = 0; round < 300; round++) {
                List<Task<Object>> tasks = new ArrayList<>();
                for (int k = 0; k < 8; k++) {
                    tasks.add((k % 2 == 0 ? a : b).spawn(() -> s.withPermit(() -> {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        try {
                            Async.yieldNow();
                        } finally {
                            inside.decrementAndGet();
                        }
                        return null;
                    })));
                }
                for (Task<Object> t : tasks) {
                    if (rnd.nextInt(3) == 0) {
                        for (int i = rnd.nextInt(3000); i > 0; i--) {
                            Thread.onSpinWait();
                        }
                        t.cancel();
                    }
                }
                for (Task<Object> t : tasks) {
                    try {
                        t.join();
                    } catch (CancellationException e) {
                        // fine
                    }
                }
                assertEquals(2, s.availablePermits(), "round " + round);
                assertEquals(0, s.waiting(), "round " + round);
            }
        }
        assertTrue(most.get() <= 2, "at most 2 holders, saw " + most.get());
    }

    @Test
    void setRacingWithCancelledAndTimedOutWaitersWakesEveryOneStillWaiting() throws Exception {
        SplittableRandom rnd = new SplittableRandom(13);
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            for (int round = 0; round < 300; round++) {
                Event e = new Event();
                List<Task<Boolean>> tasks = new ArrayList<>();
                for (int k = 0; k < 8; k++) {
                    long limit = rnd.nextInt(100_000);
                    tasks.add((k % 2 == 0 ? a : b).spawn(() -> Async.withTimeoutOrNull(Duration.ofNanos(limit), () -> {
                        e.await();
                        return true;
                    }) != null));
                }
                for (int i = rnd.nextInt(20_000); i > 0; i--) {
                    Thread.onSpinWait();
                }
                e.set();
                for (Task<Boolean> t : tasks) {
                    t.join(); // every task ends: woken, or timed out
                }
                assertEquals(0, e.waiting(), "round " + round);
            }
        }
    }

    @Test
    void twoTasksOfTwoLoopsContendingRoundAfterRoundBothAlwaysGetThrough() throws Exception {
        Mutex m = new Mutex();
        Semaphore s = new Semaphore(1);
        int[] count = new int[1];
        int rounds = 10_000;
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            for (int round = 0; round < rounds; round++) {
                // two tasks running at once on two threads, each locking once: if an unlock missed the
                // other one queueing (the fast paths' race), nobody would unlock for it again and its
                // join would hang until the test's timeout
                Task<Object> x = a.spawn(() -> {
                    m.lock();
                    count[0]++;
                    m.unlock();
                    s.acquire();
                    s.release();
                    return null;
                });
                Task<Object> y = b.spawn(() -> {
                    m.lock();
                    count[0]++;
                    m.unlock();
                    s.acquire();
                    s.release();
                    return null;
                });
                x.join();
                y.join();
            }
        }
        m.lock();
        assertEquals(2 * rounds, count[0]);
        m.unlock();
        assertEquals(1, s.availablePermits());
    }
}
