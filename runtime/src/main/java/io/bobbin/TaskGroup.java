package io.bobbin;

import io.bobbin.internal.task.CancelScope;
import io.bobbin.internal.task.LoopTask;
import io.bobbin.internal.task.Wait;
import io.bobbin.internal.util.Exceptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Structured concurrency: tasks that cannot outlive the block that started them, as trio's nursery,
 * asyncio's {@code TaskGroup} and kotlinx.coroutines' {@code coroutineScope}.
 *
 * <pre>{@code
 * List<String> pages = TaskGroup.open(group -> {
 *     Task<String> a = group.spawn(() -> fetch("a"));
 *     Task<String> b = group.spawn(() -> fetch("b"));
 *     return List.of(a.join(), b.join());
 * });
 * }</pre>
 *
 * <ul>
 *   <li>{@link #open} runs its body in the calling task. Children spawned with {@link #spawn} run on
 *       the same loop, queued FIFO like {@link Async#spawn}. {@code open} returns only after the body
 *       <em>and every child</em> have ended, and then returns the body's result.</li>
 *   <li>The first exception (in time) thrown by the body or by a child cancels the group: the body at
 *       its next suspension point and every child still running. When all have ended, {@code open}
 *       throws that first exception, with every later one added to it with
 *       {@link Throwable#addSuppressed}. A {@link CancellationException} that the group's own
 *       cancellation caused is not a failure, nor is that of a child cancelled on its own
 *       ({@code child.cancel()}).</li>
 *   <li>{@link #cancel()}, from any thread, cancels the body and every child. If nothing failed,
 *       {@code open} then returns the body's result if the body returned normally, or {@code null} if
 *       the body ended by that cancellation.</li>
 *   <li>If the task that called {@code open} is cancelled (or its {@code withTimeout} expires), the
 *       group is cancelled too, and {@code open} throws that {@code CancellationException} once every
 *       child has ended. (If a failure came first, {@code open} throws the failure, and the task's
 *       cancellation is delivered again at its next suspension point.)</li>
 *   <li>{@code spawn} after the group was cancelled returns a task that is cancelled and never runs;
 *       {@code spawn} after {@code open} has returned throws {@link IllegalStateException}.</li>
 * </ul>
 *
 * <p>The wait for the children is a cancellation point of the calling task, but a cancellation does
 * not cut it short: it cancels the children, and {@code open} goes on waiting until they have ended.
 *
 * <p>Threads: {@code open} in a task (in plain code it runs on a private loop for the length of the
 * call, the thread blocking); {@link #spawn}, {@link #cancel()} and {@link #isCancelled()} from any
 * thread. The group's state is under its monitor (never held across a suspension); its cancel scope
 * belongs to the loop's thread.
 */
public final class TaskGroup {
    /** The body of a group: runs in the task that calls {@link #open}, with the group to spawn children in. */
    @FunctionalInterface
    public interface Body<T> {
        @Suspendable
        T run(TaskGroup group) throws Exception;
    }

    /** The task that called {@code open}. */
    private final LoopTask<?> owner;
    private final Consumer<Task<?>> onChildEnd = this::childEnded;
    private volatile boolean cancelled;

    // ---- guarded by this ----
    /**
     * The children in spawn order (cancelled in that order), ended ones included until the next
     * compaction: an array slot per child instead of a set entry, and no lookup when one ends.
     */
    private final ArrayList<LoopTask<?>> children = new ArrayList<>();
    /** Children that have not ended. */
    private int live;
    /** Failures, and the outer cancellation if one reached {@code open}, in the order they came. */
    private final List<Throwable> errors = new ArrayList<>(1);
    /** {@code open} has returned, or is about to: no more children. */
    private boolean closed;
    /** The owner's wait for the last child, while it waits. */
    private ChildrenWait waiting;

    // ---- the loop's thread ----
    /** The body's cancel scope while the body runs; {@code null} before and after. */
    private CancelScope scope;
    /** The cancellation of the calling task (or of a scope around {@code open}) that reached {@code open}. */
    private CancellationException outer;

    private TaskGroup(LoopTask<?> owner) {
        this.owner = owner;
    }

    /**
     * Runs {@code body} with a new group in the calling task, then waits for every child of the group
     * to end; returns the body's result, or throws the group's first failure (see the class comment).
     *
     * @throws NullPointerException if {@code body} is {@code null}
     * @throws IllegalStateException on a loop's thread outside a task, or inside a generator or bare
     *     continuation nested in a task
     * @throws CancellationException if the calling task was cancelled (or its timeout expired); once
     *     every child has ended
     */
    @Suspendable
    public static <T> T open(Body<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        LoopTask<?> task = LoopTask.current("TaskGroup.open()");
        if (task == null) {
            return EventLoop.run(() -> open(body));
        }
        TaskGroup g = new TaskGroup(task);
        T result = null;
        CancelScope s = CancelScope.open(task, "task group cancelled");
        g.scope = s;
        try {
            result = body.run(g);
        } catch (Throwable e) {
            if (s.caused(e)) {
                // the body ended by the group's own cancellation: not a failure, and no result
            } else if (e instanceof CancellationException && s.isCancelledOutside()) {
                g.outerCancelled((CancellationException) e);
            } else {
                g.failed(e);
            }
        } finally {
            g.scope = null;
            s.close();
        }
        g.awaitChildren();
        return g.outcome(result);
    }

    /**
     * Starts a child running {@code body} on the group's loop, queued at the back of its ready queue.
     * If the group has been cancelled, the child is cancelled at once and never runs.
     *
     * @throws NullPointerException if {@code body} is {@code null}
     * @throws IllegalStateException if {@code open} has returned
     * @throws RejectedExecutionException if the group's loop has ended
     */
    public <T> Task<T> spawn(SuspendableCallable<T> body) {
        Objects.requireNonNull(body, "body");
        LoopTask<T> child;
        boolean cancelNow;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("TaskGroup.spawn(): the group's open() has returned, and no task may"
                        + " outlive its group; spawn from the group's body or from its children while they run");
            }
            child = (LoopTask<T>) owner.host().loop().spawn(body);
            if (children.size() >= 2 * live + 16) {
                children.removeIf(LoopTask::isDone); // keeps a long-lived group's list to about its live children
            }
            children.add(child);
            live++;
            cancelNow = cancelled;
        }
        if (cancelNow) {
            child.cancel();
        }
        child.whenDone(onChildEnd);
        return child;
    }

    /** As {@link #spawn(SuspendableCallable)}, for a body that returns nothing: its task's result is {@code null}. */
    public Task<Void> spawn(SuspendableRunnable body) {
        Objects.requireNonNull(body, "body");
        return spawn(() -> {
            body.run();
            return null;
        });
    }

    /**
     * Cancels the group: the body at its next suspension point, and every child still running. Any
     * thread; cancelling a cancelled group does nothing.
     */
    public void cancel() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
        }
        owner.host().onHostThread(this::cancelOnLoop); // refused only once the loop has ended, and the group with it
    }

    /** Whether the group has been cancelled: by {@link #cancel()}, a failure, or the calling task's cancellation. */
    public boolean isCancelled() {
        return cancelled;
    }

    // ---- inside ----------------------------------------------------------------------------------

    /** Loop thread: cancels the body's scope and the children. */
    private void cancelOnLoop() {
        CancelScope s = scope;
        if (s != null) {
            s.cancel();
        }
        LoopTask<?>[] all;
        synchronized (this) {
            all = children.toArray(new LoopTask<?>[0]);
        }
        for (LoopTask<?> c : all) {
            c.cancel(); // does nothing for one that has ended
        }
    }

    /** A failure of the body or a child: recorded in order, and the group is cancelled. */
    private void failed(Throwable e) {
        synchronized (this) {
            errors.add(e);
        }
        cancel();
    }

    /** Loop thread: the calling task's cancellation reached {@code open}; the group is cancelled with it. */
    private void outerCancelled(CancellationException e) {
        outer = e;
        failed(e);
    }

    /** A child has ended: its loop's thread (or the spawning thread, for a child that ended at once). */
    private void childEnded(Task<?> t) {
        LoopTask<?> c = (LoopTask<?>) t;
        Throwable e = c.endedByException() ? c.exceptionNow() : null;
        // a cancellation is no failure when someone asked for it: the child on its own, or the group
        // (whose cancellation also ends children that a closing loop refused to start)
        boolean failure = e != null && !(e instanceof CancellationException && (c.isCancelRequested() || cancelled));
        ChildrenWait w = null;
        synchronized (this) {
            live--;
            if (live == 0 && waiting != null) {
                w = waiting;
                waiting = null;
            }
        }
        if (failure) {
            failed(e);
        }
        if (w != null) {
            owner.wakeFromAnyThread(w); // runs at once on the loop's thread
        }
    }

    /**
     * Waits until every child has ended, then closes the group. The wait is a cancellation point: the
     * calling task's cancellation cancels the group, and the wait goes on, shielded, to the end.
     */
    @Suspendable
    private void awaitChildren() {
        if (outer == null) {
            try {
                waitForChildren();
                return;
            } catch (CancellationException e) { // the group's scope is closed: this came from outside
                outerCancelled(e);
            }
        }
        CancelScope shield = CancelScope.openShield(owner, "task group waiting for its cancelled children");
        try {
            waitForChildren();
        } finally {
            shield.close();
        }
    }

    @Suspendable
    private void waitForChildren() {
        while (!closeIfNoChildren()) {
            owner.park(new ChildrenWait());
        }
    }

    private synchronized boolean closeIfNoChildren() {
        if (live == 0) {
            closed = true;
            children.clear();
        }
        return closed;
    }

    /** Loop thread, once closed: the body's result, or the first error with the later ones suppressed. */
    private <T> T outcome(T result) throws Exception {
        Throwable first;
        Throwable[] later;
        synchronized (this) {
            if (errors.isEmpty()) {
                return result;
            }
            first = errors.get(0);
            later = errors.subList(1, errors.size()).toArray(new Throwable[0]);
        }
        for (Throwable e : later) {
            if (e != first && e != outer) {
                first.addSuppressed(e);
            }
        }
        if (outer != null && outer != first) {
            owner.deliverAgainLater(outer); // a failure came first and is thrown: the cancellation is not lost
        }
        throw Exceptions.rethrowable(first);
    }

    /** The calling task's wait for the last child to end. Loop thread. */
    private final class ChildrenWait extends Wait {
        ChildrenWait() {
            super(owner);
        }

        @Override
        protected void arm() {
            boolean none;
            synchronized (TaskGroup.this) {
                none = live == 0;
                if (!none) {
                    waiting = this;
                }
            }
            if (none) {
                task.wake(this);
            }
        }

        @Override
        protected void abort() {
            synchronized (TaskGroup.this) {
                if (waiting == this) {
                    waiting = null;
                }
            }
        }

        @Override
        public String describe() {
            return "the end of the children of " + TaskGroup.this;
        }
    }

    @Override
    public String toString() {
        int n;
        synchronized (this) {
            n = live;
        }
        return "TaskGroup[of " + owner + ", " + n + " children running" + (cancelled ? ", cancelled" : "") + "]";
    }
}
