package io.bobbin.internal.sync;

import io.bobbin.Suspendable;
import io.bobbin.Task;
import io.bobbin.internal.task.LoopTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A wait for the end of some tasks, of any loops: the first of them ({@code Async.firstDone}), or all
 * of them unless one fails first ({@code Async.joinAll}). One completion callback, shared by the
 * tasks, counts their ends on their loops' threads and grants the {@link Waiter} once the wait is
 * over; the callbacks are taken back when it is over, and when the waiter is cancelled, so nothing is
 * left behind on tasks that go on.
 *
 * <p>Threads: made and awaited by the waiting task or thread; the callback runs on the ending tasks'
 * loop threads (or at once on the calling thread for a task that had ended).
 */
public final class TaskEnds implements Consumer<Task<?>> {
    private final Task<?>[] tasks;
    private final boolean first;
    private final AtomicInteger left;
    /** The task that ended the wait: the first to end ({@code first}), or the first to fail. */
    private final AtomicReference<Task<?>> decisive = new AtomicReference<>();
    private final Waiter waiter;

    private TaskEnds(Task<?>[] tasks, boolean first, Waiter waiter) {
        this.tasks = tasks;
        this.first = first;
        this.left = new AtomicInteger(tasks.length);
        this.waiter = waiter;
    }

    /**
     * Waits until one of {@code tasks} has ended, and returns the first to end.
     *
     * @param what the method asking, for messages and dumps
     */
    @Suspendable
    public static Task<?> first(Task<?>[] tasks, String what) {
        TaskEnds e = new TaskEnds(tasks, true, Waiter.forCurrent(what));
        e.await();
        return e.decisive.get();
    }

    /**
     * Waits until every one of {@code tasks} has ended, or one has failed; returns the first that failed
     * (in time), or {@code null} when all ended normally.
     *
     * @param what the method asking, for messages and dumps
     */
    @Suspendable
    public static Task<?> allUnlessOneFails(Task<?>[] tasks, String what) {
        TaskEnds e = new TaskEnds(tasks, false, Waiter.forCurrent(what));
        e.await();
        return e.decisive.get();
    }

    @Suspendable
    private void await() {
        int added = 0;
        try {
            for (Task<?> t; added < tasks.length; added++) {
                t = tasks[added];
                if (t instanceof LoopTask) {
                    if (!((LoopTask<?>) t).onEnd(this)) {
                        accept(t); // it has ended
                    }
                } else {
                    t.whenDone(this); // another implementation: its callback cannot be taken back; it then does nothing
                }
                if (waiter.state() != Waiter.WAITING) {
                    break; // decided already
                }
            }
            waiter.await(w -> { });
        } finally {
            for (int i = 0; i < added && i < tasks.length; i++) {
                if (tasks[i] instanceof LoopTask) {
                    ((LoopTask<?>) tasks[i]).removeOnEnd(this);
                }
            }
        }
    }

    /** A task has ended: decides the wait if that does it. The ending task's loop thread, or any. */
    @Override
    public void accept(Task<?> t) {
        if (waiter.state() != Waiter.WAITING) {
            return;
        }
        boolean decides;
        if (first) {
            decides = decisive.compareAndSet(null, t);
        } else if (failed(t)) {
            decides = decisive.compareAndSet(null, t) || left.decrementAndGet() == 0;
        } else {
            decides = left.decrementAndGet() == 0;
        }
        if (decides && waiter.grant()) {
            waiter.wake();
        }
    }

    /** Whether {@code t}, which has ended, ended by an exception. */
    public static boolean failed(Task<?> t) {
        if (t instanceof LoopTask) {
            return ((LoopTask<?>) t).endedByException();
        }
        if (t.isCancelled()) {
            return true;
        }
        try {
            t.exceptionNow();
            return true;
        } catch (IllegalStateException e) {
            return false; // it ended normally
        }
    }
}
