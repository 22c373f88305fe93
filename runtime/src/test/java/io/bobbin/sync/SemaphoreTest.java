package io.bobbin.sync;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rules of {@link Semaphore}, one test each. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SemaphoreTest {

    @Test
    void aNegativeCountIsRefusedAtOnceAndZeroIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertEquals("Semaphore(-1): the number of permits must be 0 or more", e.getMessage());
        assertEquals(0, new Semaphore(0).availablePermits());
        assertFalse(new Semaphore(0).tryAcquire());
    }

    @Test
    void aFreePermitIsTakenAtOnceWithoutSuspending() throws Exception {
        List<String> log = new ArrayList<>();
        Semaphore s = new Semaphore(2);
        EventLoop.run(() -> {
            Async.spawn(() -> log.add("other task ran"));
            s.acquire();
            s.acquire();
            log.add("two taken, " + s.availablePermits() + " left");
            assertFalse(s.tryAcquire());
            s.release();
            assertTrue(s.tryAcquire());
            Async.yieldNow();
            return null;
        });
        assertEquals(List.of("two taken, 0 left", "other task ran"), log);
    }

    @Test
    void waitersAreServedFirstComeFirstServedOnePermitEach() throws Exception {
        List<String> log = new ArrayList<>();
        Semaphore s = new Semaphore(0);
        EventLoop.run(() -> {
            List<Task<Object>> waiters = new ArrayList<>();
            for (String name : List.of("w1", "w2", "w3")) {
                waiters.add(Async.spawn(() -> {
                    s.acquire();
                    log.add(name);
                    return null;
                }));
            }
            Async.yieldNow();
            assertEquals(3, s.waiting());
            s.release();
            s.release();
            Async.yieldNow();
            log.add("two released");
            assertEquals(1, s.waiting());
            s.release();
            Async.joinAll(waiters);
            assertEquals(0, s.availablePermits(), "each went straight to a waiter");
            return null;
        });
        assertEquals(List.of("w1", "w2", "two released", "w3"), log);
    }

    @Test
    void releaseMayRaiseTheCountAboveItsStartButNotPastIntegerMaxValue() {
        Semaphore s = new Semaphore(1);
        s.release();
        s.release();
        assertEquals(3, s.availablePermits());
        Semaphore full = new Semaphore(Integer.MAX_VALUE);
        IllegalStateException e = assertThrows(IllegalStateException.class, full::release);
        assertTrue(e.getMessage().startsWith("Semaphore.release(): the number of permits would go past"), e.getMessage());
        assertEquals(Integer.MAX_VALUE, full.availablePermits());
    }

    @Test
    void withPermitReleasesOnEveryExit() throws Exception {
        Semaphore s = new Semaphore(1);
        EventLoop.run(() -> {
            assertEquals("v", s.withPermit(() -> {
                assertEquals(0, s.availablePermits());
                Async.yieldNow();
                return "v";
            }));
            assertEquals(1, s.availablePermits());
            Thrown.by(IllegalStateException.class, () -> s.withPermit(() -> {
                throw new IllegalStateException("boom");
            }));
            assertEquals(1, s.availablePermits());
            return null;
        });
        assertThrows(NullPointerException.class, () -> s.withPermit(null));
    }

    @Test
    void aCancelledAcquireHoldsNoPermitAndLeavesNothingBehind() throws Exception {
        Semaphore s = new Semaphore(0);
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Task<Object> cancelled = Async.spawn(() -> {
                s.acquire();
                log.add("cancelled one acquired");
                return null;
            });
            Task<Object> next = Async.spawn(() -> {
                s.acquire();
                log.add("next acquired");
                return null;
            });
            Async.yieldNow();
            cancelled.cancel();
            Thrown.by(CancellationException.class, cancelled::join);
            assertEquals(1, s.waiting());
            s.release();
            next.join();
            assertEquals(0, s.availablePermits());
            Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(5), () -> {
                s.acquire();
                return null;
            }));
            assertEquals(0, s.waiting());
            s.release();
            assertEquals(1, s.availablePermits(), "not handed to the timed-out waiter");
            return null;
        });
        assertEquals(List.of("next acquired"), log);
    }

    @Test
    void aPermitHandedOverBeforeTheCancellationIsKept() throws Exception {
        Semaphore s = new Semaphore(0);
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Task<Object> waiter = Async.spawn(() -> {
                s.acquire();
                log.add("acquired");
                try {
                    Async.yieldNow();
                } catch (CancellationException e) {
                    log.add("cancelled at the next suspension point");
                    s.release();
                }
                return null;
            });
            Async.yieldNow();
            s.release();
            waiter.cancel();
            waiter.join();
            assertEquals(1, s.availablePermits());
            return null;
        });
        assertEquals(List.of("acquired", "cancelled at the next suspension point"), log);
    }

    @Test
    void neverMoreHoldersThanPermitsAcrossTwoLoopsAndTwoThreads() throws Exception {
        Semaphore s = new Semaphore(3);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger entries = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int rounds = 2_000;
        Runnable check = () -> {
            int n = inside.incrementAndGet();
            most.accumulateAndGet(n, Math::max);
            entries.incrementAndGet();
            Thread.onSpinWait();
            inside.decrementAndGet();
        };
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            List<Task<Object>> tasks = new ArrayList<>();
            for (EventLoop loop : List.of(a, b)) {
                for (int k = 0; k < 3; k++) {
                    tasks.add(loop.spawn(() -> {
                        for (int i = 0; i < rounds; i++) {
                            s.withPermit(() -> {
                                check.run();
                                if ((entries.get() & 7) == 0) {
                                    Async.yieldNow();
                                }
                                return null;
                            });
                        }
                        return null;
                    }));
                }
            }
            List<Thread> threads = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                Thread t = new Thread(() -> {
                    try {
                        for (int i = 0; i < rounds; i++) {
                            s.acquire();
                            try {
                                check.run();
                            } finally {
                                s.release();
                            }
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            Async.joinAll(tasks);
            for (Thread t : threads) {
                t.join();
            }
        }
        assertNull(failure.get());
        assertEquals(8 * rounds, entries.get());
        assertTrue(most.get() <= 3, "at most 3 at once, saw " + most.get());
        assertEquals(3, s.availablePermits());
        assertEquals(0, s.waiting());
    }

    @Test
    void aWaitOnTheLoopsThreadOutsideATaskThrowsButTakingAFreePermitWorks() throws Exception {
        Semaphore s = new Semaphore(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        EventLoop.run(() -> {
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            EventLoop.current().callSoon(() -> {
                s.acquire(); // a free permit: no wait
                try {
                    s.acquire(); // none left: would wait
                } catch (Throwable e) {
                    thrown.set(e);
                }
                s.release();
                done.complete(null);
            });
            Async.await(done);
            return null;
        });
        assertTrue(thrown.get() instanceof IllegalStateException, "" + thrown.get());
        assertTrue(thrown.get().getMessage().startsWith("Semaphore.acquire() was called on the thread of"), thrown.get().getMessage());
        assertEquals(1, s.availablePermits());
        assertEquals(0, s.waiting());
    }
}
