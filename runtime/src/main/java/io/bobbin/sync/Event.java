package io.bobbin.sync;

import io.bobbin.Suspendable;
import io.bobbin.internal.sync.Waiter;
import io.bobbin.internal.util.WaiterQueue;
import java.util.concurrent.CancellationException;

/**
 * A flag that tasks and threads can wait for, as asyncio's {@code Event}: {@link #await()} returns at
 * once while it is set and waits while it is not; {@link #set()} sets it and wakes every waiter;
 * {@link #clear()} makes later {@code await()}s wait again. Tasks of any loop and plain threads may
 * use the same event; a task that waits suspends, a plain thread blocks.
 *
 * <p>{@code await()} is a cancellation point when it waits: a task cancelled (or timed out) while it
 * waits gets {@link CancellationException} and leaves nothing behind.
 *
 * <p>Threads: every method from any thread. Memory: a {@code set()} happens-before every
 * {@code await()} that returns because of it. {@code await()} on a set event is one volatile read.
 */
public final class Event {
    private volatile boolean set;
    /** The waiters; its monitor is the event's lock. They wait only while the event is not set. */
    private final WaiterQueue<Waiter> waiters = new WaiterQueue<>();
    private final Waiter.Withdrawal withdrawal = this::withdraw;

    public Event() {}

    /**
     * Returns once the event is set: at once if it is set now.
     *
     * @throws IllegalStateException if it would wait on a loop's thread outside a task, or inside a
     *     generator or bare continuation nested in a task
     * @throws CancellationException if the calling task is cancelled or times out while it waits (or
     *     the waiting thread is interrupted, whose interrupt status is kept)
     */
    @Suspendable
    public void await() {
        if (set) {
            return;
        }
        Waiter w = enqueue();
        if (w != null) {
            w.await(withdrawal);
        }
    }

    private Waiter enqueue() {
        synchronized (waiters) {
            if (set) {
                return null;
            }
            Waiter w = Waiter.forCurrent("Event.await()");
            waiters.add(w);
            return w;
        }
    }

    /** Sets the event and wakes every task and thread waiting for it. Setting a set event does nothing. */
    public void set() {
        if (set) {
            return; // nobody waits while it is set
        }
        WaiterQueue<Waiter> woken;
        synchronized (waiters) {
            if (set) {
                return;
            }
            set = true;
            if (waiters.isEmpty()) {
                return;
            }
            woken = new WaiterQueue<>();
            for (Waiter w; (w = waiters.poll()) != null; ) {
                if (w.grant()) {
                    woken.add(w);
                }
            }
        }
        for (Waiter w; (w = woken.poll()) != null; ) {
            w.wake();
        }
    }

    /** Clears the event: later {@link #await()}s wait until the next {@link #set()}. */
    public void clear() {
        set = false;
    }

    /** Whether the event is set now. */
    public boolean isSet() {
        return set;
    }

    private void withdraw(Waiter w) {
        synchronized (waiters) {
            waiters.remove(w);
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
        return "Event[" + (set ? "set" : "not set") + "]";
    }
}
