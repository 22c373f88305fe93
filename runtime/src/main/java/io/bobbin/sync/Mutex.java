package io.bobbin.sync;

import io.bobbin.Suspendable;
import io.bobbin.SuspendableCallable;
import io.bobbin.internal.sync.Waiter;
import io.bobbin.internal.util.WaiterQueue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;

/**
 * A mutual-exclusion lock for tasks and threads: tasks of any loop (of a group, or separate loops)
 * and plain threads may all use the same mutex. A task that waits for it suspends (its loop runs
 * other tasks meanwhile); a plain thread blocks.
 *
 * <p>The holder is the task that locked it (or, outside a task, the thread). It is not reentrant:
 * {@link #lock()} by the holder throws {@link IllegalStateException} (it would wait forever), and so
 * does {@link #unlock()} by anyone else.
 *
 * <p>Fair: waiters are served first come, first served, the lock handed from the holder straight to
 * the oldest waiter. Only a {@link #tryLock()} or {@code lock()} arriving while the mutex is free
 * takes it without queueing.
 *
 * <p>{@link #lock()} is a cancellation point when it waits: a task cancelled (or timed out) while it
 * waits gets {@link CancellationException} and does not hold the lock; a lock handed to it before the
 * cancellation could withdraw it is kept (the cancellation comes at its next suspension point).
 * Locking a free mutex does not suspend.
 *
 * <p>Threads: every method from any thread. Memory: unlocking happens-before the next lock of the
 * mutex, as for {@link java.util.concurrent.locks.Lock}. The uncontended lock and unlock are one
 * compare-and-set each and allocate nothing.
 */
public final class Mutex {
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Mutex.class, "owner", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The holder (a task or a thread), or {@code null} when free. Changed by CAS, or under {@link #waiters}' lock. */
    private volatile Object owner;
    /** The queue of waiters; its monitor is the mutex's lock for everything but the fast paths. */
    private final WaiterQueue<Waiter> waiters = new WaiterQueue<>();
    /** {@code waiters.size()}, written under the lock, read by the fast paths. */
    private volatile int queued;
    private final Waiter.Withdrawal withdrawal = this::withdraw;

    public Mutex() {}

    /**
     * Takes the mutex, waiting while another holds it.
     *
     * @throws IllegalStateException if the caller holds it already; or if it would wait on a loop's
     *     thread outside a task, or inside a generator or bare continuation nested in a task
     * @throws CancellationException if the calling task is cancelled or times out while it waits (or
     *     the waiting thread is interrupted, whose interrupt status is kept); it does not hold the lock
     */
    @Suspendable
    public void lock() {
        Object me = Waiter.currentOwner();
        if (OWNER.compareAndSet(this, null, me)) {
            return;
        }
        if (owner == me) {
            throw new IllegalStateException("Mutex.lock(): " + Waiter.describeOwner(me)
                    + " holds this mutex already, and it is not reentrant; unlock it before locking it again");
        }
        Waiter w = enqueue(me);
        if (w != null) {
            w.await(withdrawal); // only a grant ends it: a mutex never closes
        }
    }

    /** Under the lock: takes a mutex that came free, or queues a waiter for the caller. */
    private Waiter enqueue(Object me) {
        synchronized (waiters) {
            if (OWNER.compareAndSet(this, null, me)) {
                return null;
            }
            Waiter w = Waiter.forCurrent("Mutex.lock()");
            waiters.add(w);
            queued = waiters.size();
            if (OWNER.compareAndSet(this, null, me)) { // freed by a fast unlock that had not seen us yet
                waiters.remove(w);
                queued = waiters.size();
                return null;
            }
            return w;
        }
    }

    /**
     * Takes the mutex if it is free now; never waits.
     *
     * @return {@code true} if the caller holds it now
     * @throws IllegalStateException if the caller holds it already (it is not reentrant)
     */
    public boolean tryLock() {
        Object me = Waiter.currentOwner();
        if (OWNER.compareAndSet(this, null, me)) {
            return true;
        }
        if (owner == me) {
            throw new IllegalStateException("Mutex.tryLock(): " + Waiter.describeOwner(me)
                    + " holds this mutex already, and it is not reentrant; unlock it before locking it again");
        }
        return false;
    }

    /**
     * Releases the mutex, handing it to the oldest waiter if there is one.
     *
     * @throws IllegalStateException if the caller (task, or thread outside a task) does not hold it
     */
    public void unlock() {
        Object me = Waiter.currentOwner();
        Object o = owner;
        if (o != me) {
            throw new IllegalStateException("Mutex.unlock(): " + Waiter.describeOwner(me) + " does not hold this mutex ("
                    + (o == null ? "it is not locked" : "held by " + Waiter.describeOwner(o))
                    + "); only the holder may unlock it");
        }
        Waiter next;
        if (queued == 0) {
            owner = null;
            if (queued == 0) {
                return;
            }
            next = handOff(null); // a waiter queued itself meanwhile: make sure it is not left waiting
        } else {
            next = handOff(me);
        }
        if (next != null) {
            next.wake();
        }
    }

    /**
     * Under the lock: moves the mutex from {@code from} (the holder, or {@code null} when it was let
     * free) to the oldest waiter that can take it; returns that waiter, to be woken, or {@code null}.
     */
    private Waiter handOff(Object from) {
        synchronized (waiters) {
            try {
                for (Waiter w; (w = waiters.peek()) != null; ) {
                    if (!OWNER.compareAndSet(this, from, w.owner)) {
                        return null; // taken by a newcomer while it was free: its unlock hands it on
                    }
                    waiters.remove(w);
                    if (w.grant()) {
                        return w;
                    }
                    from = w.owner; // cancelled meanwhile: take it back, try the next
                }
                if (from != null) {
                    OWNER.compareAndSet(this, from, null);
                }
                return null;
            } finally {
                queued = waiters.size();
            }
        }
    }

    private void withdraw(Waiter w) {
        synchronized (waiters) {
            waiters.remove(w);
            queued = waiters.size();
        }
    }

    /** Whether some task or thread holds the mutex now (a moment's value). */
    public boolean isLocked() {
        return owner != null;
    }

    /**
     * Runs {@code body} holding the mutex: {@link #lock()}, then {@code body}, then {@link #unlock()}
     * on every exit, and returns what {@code body} returns (or throws what it throws).
     */
    @Suspendable
    public <T> T withLock(SuspendableCallable<T> body) throws Exception {
        if (body == null) {
            throw new NullPointerException("body");
        }
        lock();
        try {
            return body.call();
        } finally {
            unlock();
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
        Object o = owner;
        return "Mutex[" + (o == null ? "free" : "held by " + Waiter.describeOwner(o)) + ", " + queued + " waiting]";
    }
}
