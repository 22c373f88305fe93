package io.bobbin.internal.sync;

import io.bobbin.Suspendable;
import io.bobbin.internal.task.LoopTask;
import io.bobbin.internal.util.WaiterQueue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;

/**
 * One party waiting for something another party grants: a lock hand-off, a permit, a value, an
 * event, the end of tasks. It is the node of its primitive's {@link WaiterQueue}.
 *
 * <p>Its whole life is one atomic state, {@link #WAITING} at first, that moves once to
 * {@link #GRANTED} (by the party that grants), {@link #CLOSED} (a channel closed under it) or
 * {@link #CANCELLED} (by the waiter itself, when its task is cancelled or times out, or its thread is
 * interrupted). Whoever moves it first wins; everybody else sees the outcome and acts on it:
 * <ul>
 *   <li>a granter that loses (the waiter was cancelled) keeps what it meant to give and offers it to
 *       the next waiter, so nothing is lost;</li>
 *   <li>a waiter that loses its cancellation (the grant came first) keeps the grant: its wait returns
 *       normally, and the cancellation is delivered at its task's next suspension point (for a thread,
 *       its interrupt status is set again), so a cancelled wait never holds a lock or a permit and
 *       never takes a value, and a wait that returned did so completely.</li>
 * </ul>
 *
 * <p>A payload goes with a grant in {@link #item}: the granter writes it before it moves the state
 * and takes it back if the move fails; the waiter reads it after it has seen {@code GRANTED}, so the
 * state's volatile write and read publish it. A sending waiter's value sits there from the start.
 *
 * <p>Threads: {@link #grant()}, {@link #close()}, {@link #wake()} from any thread, each grant or close
 * under the lock of the primitive whose queue the waiter is in; {@link #await} on the waiter's own
 * thread.
 */
public abstract class Waiter extends WaiterQueue.Node {
    public static final int WAITING = 0;
    public static final int GRANTED = 1;
    public static final int CLOSED = 2;
    public static final int CANCELLED = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    /** What is waited for, in a few words, for dumps and messages ({@code "lock of a Mutex"}). */
    final String what;

    /** The payload of a grant (a received value), or a sender's value; see the class comment. */
    public Object item;

    /** Who waits: the task, or the plain thread (a {@code Mutex} records it as its owner). */
    public final Object owner;

    Waiter(String what, Object owner) {
        this.what = what;
        this.owner = owner;
    }

    /**
     * A waiter for the code running now: a task's, or a plain thread's.
     *
     * @param what what is waited for, for dumps and messages; also names the method asking in the
     *     {@code IllegalStateException} below, so start it with the method ({@code "Mutex.lock()"}).
     * @throws IllegalStateException on a loop's thread outside a task (a callback), or inside a
     *     generator or bare continuation nested in a task: waiting there would stall the loop
     */
    public static Waiter forCurrent(String what) {
        LoopTask<?> t = LoopTask.current(what);
        return t != null ? new TaskWaiter(what, t) : new ThreadWaiter(what, Thread.currentThread());
    }

    /**
     * The identity of the code running now, as a lock owner: its task, or else its thread (plain code,
     * a loop's callback). Never throws.
     */
    public static Object currentOwner() {
        LoopTask<?> t = LoopTask.currentOrNull();
        return t != null ? t : Thread.currentThread();
    }

    /** A lock owner in words, for messages. */
    public static String describeOwner(Object owner) {
        return owner instanceof Thread ? "thread " + ((Thread) owner).getName() : "task " + owner;
    }

    /** The state now: {@link #WAITING}, {@link #GRANTED}, {@link #CLOSED} or {@link #CANCELLED}. */
    public final int state() {
        return (int) STATE.getVolatile(this);
    }

    /** Granter: wins the waiter, which then holds what was granted; {@code false} if it was cancelled first. */
    public final boolean grant() {
        return STATE.compareAndSet(this, WAITING, GRANTED);
    }

    /** A channel's close: ends the wait with {@link #CLOSED}; {@code false} if it was cancelled first. */
    public final boolean close() {
        return STATE.compareAndSet(this, WAITING, CLOSED);
    }

    /** The waiter itself: withdraws; {@code false} if a grant or a close came first (and is kept). */
    final boolean cancel() {
        return STATE.compareAndSet(this, WAITING, CANCELLED);
    }

    /** Wakes the waiting party after a successful {@link #grant()} or {@link #close()}. Any thread. */
    public abstract void wake();

    /**
     * Waits until the waiter is granted or closed, and returns which ({@link #GRANTED} or
     * {@link #CLOSED}). A task waits parked on its loop; a plain thread blocks.
     *
     * <p>The wait is a cancellation point: if the task is cancelled or times out (or the thread is
     * interrupted) before a grant or close, the waiter withdraws ({@code withdrawal} takes it out of
     * its queue) and {@link CancellationException} is thrown (for a thread, with its interrupt status
     * kept). If the grant or close came first, it is returned and the cancellation is delivered later.
     */
    @Suspendable
    public abstract int await(Withdrawal withdrawal);

    /** How a primitive takes a waiter that has been cancelled out of its queue. */
    @FunctionalInterface
    public interface Withdrawal {
        /** Takes {@code w} out of its queue if it is still there; may be called more than once. Any thread. */
        void withdraw(Waiter w);
    }

    @Override
    public String toString() {
        return what + " by " + describeOwner(owner);
    }
}
