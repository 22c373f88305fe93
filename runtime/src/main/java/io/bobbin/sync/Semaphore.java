package io.bobbin.sync;

import io.bobbin.Suspendable;
import io.bobbin.SuspendableCallable;
import io.bobbin.internal.sync.Waiter;
import io.bobbin.internal.util.WaiterQueue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;

/**
 * A counting semaphore for tasks and threads: tasks of any loop and plain threads may all use the
 * same one. A task that waits for a permit suspends; a plain thread blocks.
 *
 * <p>Permits are not owned: any task or thread may {@link #release()}, and releasing more than was
 * acquired raises the count above its initial value, as with {@link java.util.concurrent.Semaphore}.
 *
 * <p>Fair: waiters are served first come, first served, a released permit going straight to the
 * oldest waiter. Only a {@link #tryAcquire()} or {@code acquire()} arriving while a permit is free
 * takes it without queueing.
 *
 * <p>{@link #acquire()} is a cancellation point when it waits: a task cancelled (or timed out) while
 * it waits gets {@link CancellationException} and holds no permit; a permit handed to it before the
 * cancellation could withdraw it is kept (the cancellation comes at its next suspension point).
 *
 * <p>Threads: every method from any thread. Memory: a release happens-before the acquire it lets
 * through. Acquiring a free permit and releasing one nobody waits for are one compare-and-set each
 * and allocate nothing.
 */
public final class Semaphore {
    private static final VarHandle PERMITS;

    static {
        try {
            PERMITS = MethodHandles.lookup().findVarHandle(Semaphore.class, "permits", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Free permits. Changed by CAS. */
    private volatile int permits;
    /** The queue of waiters; its monitor is the semaphore's lock for everything but the fast paths. */
    private final WaiterQueue<Waiter> waiters = new WaiterQueue<>();
    /** {@code waiters.size()}, written under the lock, read by the fast paths. */
    private volatile int queued;
    private final Waiter.Withdrawal withdrawal = this::withdraw;

    /**
     * A semaphore with {@code permits} free permits.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public Semaphore(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("Semaphore(" + permits + "): the number of permits must be 0 or more");
        }
        this.permits = permits;
    }

    /**
     * Takes a permit, waiting while there is none.
     *
     * @throws IllegalStateException if it would wait on a loop's thread outside a task, or inside a
     *     generator or bare continuation nested in a task
     * @throws CancellationException if the calling task is cancelled or times out while it waits (or
     *     the waiting thread is interrupted, whose interrupt status is kept); it holds no permit then
     */
    @Suspendable
    public void acquire() {
        if (tryTake()) {
            return;
        }
        Waiter w = enqueue();
        if (w != null) {
            w.await(withdrawal);
        }
    }

    private Waiter enqueue() {
        synchronized (waiters) {
            if (tryTake()) {
                return null;
            }
            Waiter w = Waiter.forCurrent("Semaphore.acquire()");
            waiters.add(w);
            queued = waiters.size();
            if (tryTake()) { // released by a fast release that had not seen us yet
                waiters.remove(w);
                queued = waiters.size();
                return null;
            }
            return w;
        }
    }

    /** Takes a permit if one is free now; never waits. @return whether it took one */
    public boolean tryAcquire() {
        return tryTake();
    }

    private boolean tryTake() {
        for (int p; (p = permits) > 0; ) {
            if (PERMITS.compareAndSet(this, p, p - 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gives a permit back: to the oldest waiter if there is one, else to the count.
     *
     * @throws IllegalStateException if the count would go past {@link Integer#MAX_VALUE}
     */
    public void release() {
        if (queued == 0) {
            addPermit();
            if (queued == 0) {
                return;
            }
            drain(); // a waiter queued itself meanwhile: make sure it is not left waiting
            return;
        }
        Waiter next;
        synchronized (waiters) {
            next = grantOldest();
            if (next == null) {
                addPermit();
            }
            queued = waiters.size();
        }
        if (next != null) {
            next.wake();
        }
    }

    private void addPermit() {
        for (int p; ; ) {
            p = permits;
            if (p == Integer.MAX_VALUE) {
                throw new IllegalStateException("Semaphore.release(): the number of permits would go past "
                        + Integer.MAX_VALUE + "; release only what was acquired");
            }
            if (PERMITS.compareAndSet(this, p, p + 1)) {
                return;
            }
        }
    }

    /** Under the lock: the oldest waiter that accepts a permit (granted, out of the queue), or {@code null}. */
    private Waiter grantOldest() {
        for (Waiter w; (w = waiters.poll()) != null; ) {
            if (w.grant()) {
                return w;
            }
        }
        return null;
    }

    /** Hands free permits to waiters, oldest first, while there are both. */
    private void drain() {
        while (true) {
            Waiter next;
            synchronized (waiters) {
                if (waiters.isEmpty() || !tryTake()) {
                    return;
                }
                next = grantOldest();
                if (next == null) {
                    addPermit(); // every waiter had been cancelled: the permit goes back
                }
                queued = waiters.size();
            }
            if (next == null) {
                return;
            }
            next.wake();
        }
    }

    private void withdraw(Waiter w) {
        synchronized (waiters) {
            waiters.remove(w);
            queued = waiters.size();
        }
    }

    /** Free permits now (a moment's value). */
    public int availablePermits() {
        return permits;
    }

    /**
     * Runs {@code body} holding a permit: {@link #acquire()}, then {@code body}, then
     * {@link #release()} on every exit, and returns what {@code body} returns (or throws what it throws).
     */
    @Suspendable
    public <T> T withPermit(SuspendableCallable<T> body) throws Exception {
        if (body == null) {
            throw new NullPointerException("body");
        }
        acquire();
        try {
            return body.call();
        } finally {
            release();
        }
    }

    /** Waiters queued now; for tests ("a cancelled wait leaves nothing behind"). */
    int waiting() {
        synchronized (waiters) {
            return waiters.size();
        }
    }

    @Override
    public String toString() {
        return "Semaphore[" + permits + " free, " + queued + " waiting]";
    }
}
