package io.bobbin.sync;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rules of {@link Mutex}, one test each. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MutexTest {

    @Test
    void aFreeMutexIsTakenAtOnceWithoutSuspending() throws Exception {
        List<String> log = new ArrayList<>();
        Mutex m = new Mutex();
        EventLoop.run(() -> {
            Async.spawn(() -> log.add("other task ran"));
            m.lock(); // a suspension would let the other task run first
            log.add("locked");
            assertTrue(m.isLocked());
            m.unlock();
            assertFalse(m.isLocked());
            Async.yieldNow();
            return null;
        });
        assertEquals(List.of("locked", "other task ran"), log);
    }

    @Test
    void waitersAreServedFirstComeFirstServed() throws Exception {
        List<String> log = new ArrayList<>();
        Mutex m = new Mutex();
        EventLoop.run(() -> {
            m.lock();
            List<Task<Object>> waiters = new ArrayList<>();
            for (String name : List.of("w1", "w2", "w3", "w4")) {
                waiters.add(Async.spawn(() -> {
                    m.lock();
                    log.add(name);
                    Async.yieldNow(); // holds it across a suspension
                    m.unlock();
                    return null;
                }));
            }
            Async.yieldNow();
            assertEquals(4, m.waiting());
            log.add("main unlocks");
            m.unlock();
            Async.joinAll(waiters);
            return null;
        });
        assertEquals(List.of("main unlocks", "w1", "w2", "w3", "w4"), log);
    }

    @Test
    void lockByTheHolderThrowsIllegalStateExceptionAndSoDoesTryLock() throws Exception {
        Mutex m = new Mutex();
        EventLoop.run(() -> {
            m.lock();
            IllegalStateException e = Thrown.by(IllegalStateException.class, () -> {
                m.lock();
                return null;
            });
            assertTrue(e.getMessage().startsWith("Mutex.lock(): task ") && e.getMessage().contains("not reentrant"), e.getMessage());
            Thrown.by(IllegalStateException.class, m::tryLock);
            assertTrue(m.isLocked(), "still held once");
            m.unlock();
            assertFalse(m.isLocked());
            return null;
        });
        m.lock(); // a plain thread is a holder too
        IllegalStateException e = assertThrows(IllegalStateException.class, m::lock);
        assertTrue(e.getMessage().startsWith("Mutex.lock(): thread " + Thread.currentThread().getName()), e.getMessage());
        m.unlock();
    }

    @Test
    void unlockByAnyoneButTheHolderThrowsIllegalStateException() throws Exception {
        Mutex m = new Mutex();
        IllegalStateException free = assertThrows(IllegalStateException.class, m::unlock);
        assertTrue(free.getMessage().contains("it is not locked"), free.getMessage());
        EventLoop.run(() -> {
            m.lock();
            Task<Object> other = Async.spawn(() -> {
                m.unlock();
                return null;
            });
            IllegalStateException e = Thrown.by(IllegalStateException.class, other::join);
            assertTrue(e.getMessage().startsWith("Mutex.unlock(): task ") && e.getMessage().contains("(held by task "), e.getMessage());
            assertTrue(m.isLocked());
            m.unlock();
            return null;
        });
        m.lock();
        AtomicReference<Throwable> fromThread = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                m.unlock();
            } catch (Throwable e) {
                fromThread.set(e);
            }
        });
        t.start();
        t.join();
        assertTrue(fromThread.get() instanceof IllegalStateException);
        assertTrue(m.isLocked());
        m.unlock();
    }

    @Test
    void withLockReleasesOnEveryExit() throws Exception {
        Mutex m = new Mutex();
        EventLoop.run(() -> {
            assertEquals("v", m.withLock(() -> {
                assertTrue(m.isLocked());
                Async.yieldNow();
                return "v";
            }));
            assertFalse(m.isLocked());
            Thrown.by(IllegalArgumentException.class, () -> m.withLock(() -> {
                throw new IllegalArgumentException("boom");
            }));
            assertFalse(m.isLocked());
            Task<Object> holder = Async.spawn(() -> m.withLock(() -> {
                Async.sleep(Duration.ofDays(1));
                return null;
            }));
            Async.yieldNow();
            assertTrue(m.isLocked());
            holder.cancel();
            Thrown.by(CancellationException.class, holder::join);
            assertFalse(m.isLocked(), "released by the cancellation");
            return null;
        });
        assertThrows(NullPointerException.class, () -> m.withLock(null));
    }

    @Test
    void aCancelledLockNeverHoldsTheMutexAndLeavesNothingBehind() throws Exception {
        List<String> log = new ArrayList<>();
        Mutex m = new Mutex();
        EventLoop.run(() -> {
            m.lock();
            Task<Object> cancelled = Async.spawn(() -> {
                m.lock();
                log.add("cancelled one locked");
                return null;
            });
            Task<Object> next = Async.spawn(() -> {
                m.lock();
                log.add("next locked");
                m.unlock();
                return null;
            });
            Async.yieldNow();
            assertEquals(2, m.waiting());
            cancelled.cancel();
            Thrown.by(CancellationException.class, cancelled::join);
            assertEquals(1, m.waiting(), "the cancelled waiter left the queue");
            m.unlock(); // goes to the next waiter, not to the cancelled one
            next.join();
            assertFalse(m.isLocked());
            assertEquals(0, m.waiting());
            return null;
        });
        assertEquals(List.of("next locked"), log);
    }

    @Test
    void aTimedOutLockLeavesNothingBehind() throws Exception {
        Mutex m = new Mutex();
        EventLoop.run(() -> {
            m.lock();
            Task<Object> late = Async.spawn(() -> Async.withTimeout(Duration.ofMillis(10), () -> {
                m.lock();
                return "locked";
            }));
            Thrown.by(TimeoutException.class, late::join);
            assertEquals(0, m.waiting());
            m.unlock();
            assertFalse(m.isLocked());
            assertTrue(m.tryLock());
            m.unlock();
            return null;
        });
    }

    @Test
    void aLockHandedOverBeforeTheCancellationIsKeptAndTheCancellationComesAtTheNextSuspensionPoint() throws Exception {
        List<String> log = new ArrayList<>();
        Mutex m = new Mutex();
        EventLoop.run(() -> {
            m.lock();
            Task<Object> waiter = Async.spawn(() -> {
                m.lock();
                log.add("locked, holder is me: " + m.isLocked());
                try {
                    Async.yieldNow();
                    log.add("not cancelled");
                } catch (CancellationException e) {
                    log.add("cancelled at the next suspension point");
                } finally {
                    m.unlock(); // it holds it: this must not throw
                }
                return null;
            });
            Async.yieldNow();
            m.unlock(); // handed to the waiter, which is woken...
            waiter.cancel(); // ...and cancelled before it runs again
            waiter.join();
            assertFalse(m.isLocked());
            return null;
        });
        assertEquals(List.of("locked, holder is me: true", "cancelled at the next suspension point"), log);
    }

    @Test
    void aPlainThreadBlocksUntilATaskUnlocks() throws Exception {
        Mutex m = new Mutex();
        List<String> log = new ArrayList<>();
        CountDownLatch threadWaits = new CountDownLatch(1);
        Thread[] t = new Thread[1];
        EventLoop.run(() -> {
            m.lock();
            t[0] = new Thread(() -> {
                threadWaits.countDown();
                m.lock();
                synchronized (log) {
                    log.add("thread locked");
                }
                m.unlock();
            });
            t[0].start();
            Async.blocking(() -> {
                threadWaits.await();
                return null;
            });
            while (m.waiting() == 0) {
                Async.sleep(Duration.ofMillis(1));
            }
            synchronized (log) {
                log.add("task unlocks");
            }
            m.unlock();
            return null;
        });
        t[0].join();
        assertEquals(List.of("task unlocks", "thread locked"), log);
        assertFalse(m.isLocked());
    }

    @Test
    void anInterruptedPlainThreadStopsWaitingWithCancellationAndKeepsItsInterruptStatus() throws Exception {
        Mutex m = new Mutex();
        m.lock();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                m.lock();
            } catch (Throwable e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        while (m.waiting() == 0) {
            Thread.sleep(1);
        }
        t.interrupt();
        t.join();
        assertTrue(thrown.get() instanceof CancellationException, "" + thrown.get());
        assertTrue(flag.get());
        assertEquals(0, m.waiting());
        m.unlock();
        assertFalse(m.isLocked(), "not handed to the interrupted thread");
    }

    @Test
    void aWaitOnTheLoopsThreadOutsideATaskThrowsButTakingAFreeMutexWorks() throws Exception {
        Mutex m = new Mutex();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        EventLoop.run(() -> {
            CompletableFuture<Boolean> done = new CompletableFuture<>();
            EventLoop.current().callSoon(() -> {
                m.lock(); // free: no wait, works in a callback
                m.unlock();
                done.complete(m.tryLock());
            });
            assertTrue(Async.await(done));
            // held by the loop's thread (the callback): a task's lock waits, a callback's would throw
            CompletableFuture<Void> second = new CompletableFuture<>();
            EventLoop.current().callSoon(() -> {
                try {
                    m.lock(); // its own thread holds it: not reentrant
                } catch (Throwable e) {
                    thrown.set(e);
                }
                m.unlock();
                second.complete(null);
            });
            Async.await(second);
            return null;
        });
        assertTrue(thrown.get() instanceof IllegalStateException, "" + thrown.get());
        Mutex held = new Mutex();
        AtomicReference<Throwable> waitThrown = new AtomicReference<>();
        EventLoop.run(() -> {
            held.lock();
            CompletableFuture<Void> done = new CompletableFuture<>();
            EventLoop.current().callSoon(() -> {
                try {
                    held.lock();
                } catch (Throwable e) {
                    waitThrown.set(e);
                }
                done.complete(null);
            });
            Async.await(done);
            held.unlock();
            return null;
        });
        assertTrue(waitThrown.get().getMessage().startsWith("Mutex.lock() was called on the thread of"), "" + waitThrown.get());
        assertEquals(0, held.waiting());
        assertFalse(held.isLocked());
    }

    @Test
    void anUnlockHappensBeforeTheNextLockAcrossLoopsAndThreads() throws Exception {
        Mutex m = new Mutex();
        int[] box = new int[1]; // plain, unsynchronized
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            m.lock();
            box[0] = 41;
            Task<Integer> reader = b.spawn(() -> m.withLock(() -> box[0] + 1));
            Task<Object> other = a.spawn(() -> null);
            other.join();
            Thread.sleep(20);
            m.unlock();
            assertEquals(42, reader.join());
        }
    }
}
