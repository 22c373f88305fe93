package io.bobbin.internal.task;

import io.bobbin.Continuation;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.SuspendableCallable;
import io.bobbin.Task;
import io.bobbin.internal.cont.ContinuationAccess;
import io.bobbin.internal.cont.ResumeHook;
import io.bobbin.internal.util.Exceptions;
import io.bobbin.internal.util.Logs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * A task: a {@link Continuation} running the user's body on one loop (its {@link TaskHost}), and its
 * whole state machine. Nothing else changes a task's state.
 *
 * <pre>
 *            spawn                 step                park(wait)
 *   (none) --------> NEW --------------------> RUNNING ------------> WAITING
 *                     |   READY ---step----->    |  \                  |
 *                     |     ^                    |   \ yield /         | wake(wait) (the wait's own, once)
 *      cancel before  |     +----- schedule -----+    \ bare suspend   | interrupt() (a cancellation is pending)
 *      it ever ran    |     +----------------------------------------- +
 *                     v                          | body ends
 *                    DONE <----------------------+
 * </pre>
 *
 * <ul>
 *   <li>{@link #run()} (the step) resumes the continuation until its next suspension point.</li>
 *   <li>{@link #park(Wait)} is the one suspension point of every wait; {@link #wake(Wait)} is the one
 *       way back, idempotent: a wake-up for a wait that is no longer the task's current one (stale,
 *       duplicate, late) does nothing.</li>
 *   <li>{@link #checkpoint()} is the one place a cancellation or timeout is delivered: before a task
 *       parks, and each time it resumes (the continuation's resume hook), so every wait, a yield and a
 *       bare {@code Continuation.suspend()} are cancellation points alike.</li>
 *   <li>{@link #interrupt()} wakes a parked task early, aborting its wait, when its checkpoint has
 *       something to deliver.</li>
 * </ul>
 *
 * <p>Threads: {@link #state}, {@link #wait}, {@link #scope} and the body's outcome belong to the
 * host's thread. The outcome, the completion callbacks and the cancellation request are published
 * under this object's monitor (never held across a suspension), so {@link #join()}, {@link #cancel()}
 * and the accessors work from any thread.
 */
public final class LoopTask<T> implements Task<T>, Runnable, ResumeHook {
    static final int NEW = 0;
    static final int READY = 1;
    static final int RUNNING = 2;
    static final int WAITING = 3;
    static final int DONE = 4;
    private static final String[] STATE_NAMES = {"new", "ready", "running", "waiting", "done"};

    final TaskHost host;
    private final long id;
    private final Continuation continuation;
    private final SuspendableCallable<T> body;

    // ---- host thread only ----
    int state = NEW;
    Wait wait;
    /** The innermost cancel scope opened in the task, or {@code null}; the task itself is the root. */
    CancelScope scope;
    private boolean cancelDelivered;
    private T bodyResult;
    private Throwable bodyFailure;

    // ---- any thread ----
    private volatile boolean cancelRequested;
    private volatile boolean done;
    /** Someone asked for the outcome (join, callback, future, accessors), or takes care of it (main): not reported. */
    private volatile boolean observed;
    private boolean reported;
    private T result;
    private Throwable failure;
    private List<Consumer<? super Task<T>>> callbacks;

    public LoopTask(TaskHost host, long id, SuspendableCallable<T> body) {
        this.host = host;
        this.id = id;
        this.body = body;
        this.continuation = new Continuation(() -> runBody());
        ContinuationAccess.attach(continuation, this);
    }

    @Suspendable
    private void runBody() {
        try {
            bodyResult = body.call();
        } catch (Throwable e) {
            bodyFailure = e;
        }
    }

    // ---- where are we? -------------------------------------------------------------------------

    /**
     * The task running this code, or {@code null} in plain code (no loop on this thread). On a loop's
     * thread outside one of its tasks (a callback, or a generator or bare continuation nested in a
     * task) it throws {@link IllegalStateException}: waiting there would stall the loop.
     *
     * @param what the method asking, for the message
     */
    public static LoopTask<?> current(String what) {
        Object a = ContinuationAccess.currentAttachment();
        if (a instanceof LoopTask) {
            return (LoopTask<?>) a;
        }
        EventLoop loop = EventLoop.current();
        if (loop == null) {
            return null;
        }
        if (Continuation.current() != null) {
            throw new IllegalStateException(what + " was called inside a generator or continuation nested in a task of "
                    + loop.name() + ", where it cannot wait: only the task itself can wait on its loop;"
                    + " call it from the task's own code");
        }
        throw new IllegalStateException(what + " was called on the thread of " + loop.name()
                + " outside of any task (in a callback), where waiting would stall the loop; spawn a task for it");
    }

    /** The task running this code, or {@code null} anywhere else. Never throws. */
    public static LoopTask<?> currentOrNull() {
        Object a = ContinuationAccess.currentAttachment();
        return a instanceof LoopTask ? (LoopTask<?>) a : null;
    }

    /** The loop that runs this task. */
    public TaskHost host() {
        return host;
    }

    // ---- the state machine (host thread) ----------------------------------------------------------

    /** The step: runs the task until its next suspension point, or its end. Host thread. */
    @Override
    public void run() {
        if (state == DONE) {
            return; // ended while queued (cancelled before it ever ran)
        }
        if (state == NEW && cancelRequested) {
            finishUnstarted();
            return;
        }
        state = RUNNING;
        try {
            continuation.resume();
        } catch (Throwable e) {
            if (!continuation.isDone()) {
                throw e;
            }
            bodyFailure = e; // the machinery failed around the body (its frames could not be restored)
        }
        if (continuation.isDone()) {
            finish(bodyResult, bodyFailure);
        } else if (state == RUNNING) { // a yield, or a bare Continuation.suspend(): back of the queue
            state = READY;
            host.schedule(this);
        }
    }

    /** Host thread: the task is taken in by its loop and queued, unless it was cancelled meanwhile. */
    public void start(boolean refuse) {
        if (done) {
            return;
        }
        if (refuse) {
            finishUnstarted();
        } else {
            host.schedule(this);
        }
    }

    /**
     * The suspension point of every wait: delivers a pending cancellation, then parks the task on
     * {@code w} until {@link #wake(Wait)} (or {@link #interrupt()}). In the task.
     */
    @Suspendable
    public void park(Wait w) {
        checkpoint();
        wait = w;
        state = WAITING;
        try {
            w.arm();
        } catch (RuntimeException | Error e) { // a stage whose whenComplete throws, say: no wait then
            wait = null;
            state = RUNNING;
            throw e;
        }
        Continuation.suspend(); // the resume hook runs the checkpoint on the way back
    }

    /** Lets every other ready task run once: a suspension point without a wait. In the task. */
    @Suspendable
    public void yieldNow() {
        checkpoint();
        Continuation.suspend();
    }

    /** Sleeps until {@code deadline} of the loop's clock. In the task. */
    @Suspendable
    public void sleepUntil(long deadline) {
        park(new TimerWait(this, deadline));
    }

    /** In the task, each time a suspension resumes: the checkpoint of the way back. */
    @Override
    public void resumed() {
        checkpoint();
    }

    /** Wakes the task if {@code w} is still what it waits for; a stale wake-up does nothing. Host thread. */
    public void wake(Wait w) {
        if (state == WAITING && wait == w) {
            wait = null;
            state = READY;
            host.schedule(this);
        }
    }

    /** {@link #wake(Wait)} from any thread: posted to the task's loop. */
    public void wakeFromAnyThread(Wait w) {
        host.onHostThread(() -> wake(w));
    }

    /**
     * Wakes a parked task early, undoing its wait, when its checkpoint has a cancellation to deliver;
     * otherwise does nothing (a shielded task goes on waiting). Host thread.
     */
    void interrupt() {
        if (state == WAITING && pending() != null) {
            Wait w = wait;
            wait = null;
            w.abort();
            state = READY;
            host.schedule(this);
        }
    }

    /**
     * The cancellation checkpoint: throws the pending cancellation, if any, once. The task's own
     * cancellation comes first, then the outermost cancelled scope; nothing outside a shielding scope
     * is delivered while it is open. In the task.
     */
    public void checkpoint() {
        Object p = pending();
        if (p == null) {
            return;
        }
        if (p == this) {
            cancelDelivered = true;
            throw new CancellationException("task " + this + " was cancelled");
        }
        throw ((CancelScope) p).deliver();
    }

    /** What the checkpoint would deliver: this task (its own cancellation), a scope, or {@code null}. */
    private Object pending() {
        CancelScope hit = null;
        for (CancelScope s = scope; s != null; s = s.outer) {
            if (s.cancelled && s.delivered == null) {
                hit = s;
            }
            if (s.shield) {
                return hit;
            }
        }
        if (cancelRequested && !cancelDelivered) {
            return this;
        }
        return hit;
    }

    /** Host thread: acts on a cancellation request that has been recorded. */
    private void deliverCancel() {
        if (state == NEW) {
            finishUnstarted();
        } else {
            interrupt(); // READY or RUNNING: the next checkpoint sees the request
        }
    }

    /** Host thread, at shutdown: cancels without telling whether it was asked before. */
    public void cancelForShutdown() {
        synchronized (this) {
            if (done) {
                return;
            }
            cancelRequested = true;
        }
        deliverCancel();
    }

    /** Ends a task that never ran: cancelled. Host thread (or the loop's last act). */
    public void finishUnstarted() {
        finish(null, new CancellationException("task " + this + " was cancelled before it started"));
    }

    private void finish(T value, Throwable error) {
        state = DONE;
        wait = null;
        scope = null;
        bodyResult = null;
        bodyFailure = null;
        List<Consumer<? super Task<T>>> toRun;
        synchronized (this) {
            result = value;
            failure = error;
            done = true;
            toRun = callbacks;
            callbacks = null;
        }
        host.taskEnded(this);
        if (error != null && !(error instanceof CancellationException) && !observed
                && (toRun == null || toRun.isEmpty())) {
            host.failedUnobserved(this);
        }
        if (toRun != null) {
            for (Consumer<? super Task<T>> c : toRun) {
                runCallback(c);
            }
        }
    }

    /** Marks the outcome as taken care of (the main task of {@code EventLoop.run}): never reported. */
    public void markObserved() {
        observed = true;
    }

    /** Host thread: logs the failure once, unless someone has asked for the outcome meanwhile. */
    public void reportIfUnobserved() {
        if (!observed && !reported) {
            reported = true;
            Throwable e;
            synchronized (this) {
                e = failure;
            }
            Logs.LOOP.log(System.Logger.Level.WARNING, "task " + this + " failed and nobody joined it", e);
        }
    }

    private void runCallback(Consumer<? super Task<T>> c) {
        try {
            c.accept(this);
        } catch (Throwable e) {
            Logs.LOOP.log(System.Logger.Level.WARNING, "a completion callback of task " + this + " failed", e);
        }
    }

    // ---- Task ----------------------------------------------------------------------------------

    @Override
    @Suspendable
    public T join() throws Exception {
        observed = true;
        LoopTask<?> me = current("Task.join()");
        if (me == null) {
            return joinBlocking();
        }
        if (me == this) {
            throw new IllegalStateException("task " + this + " called join() on itself, which would never return;"
                    + " join it from another task");
        }
        me.checkpoint();
        if (!done) {
            me.park(new JoinWait(me, this));
        }
        return outcome();
    }

    private T joinBlocking() throws Exception {
        if (!done) {
            CountDownLatch latch = new CountDownLatch(1);
            Consumer<Task<?>> onEnd = t -> latch.countDown();
            if (addCallback(onEnd)) { // false: it ended meanwhile
                try {
                    latch.await();
                } finally {
                    removeCallback(onEnd);
                }
            }
        }
        return outcome();
    }

    private T outcome() throws Exception {
        Throwable e;
        T v;
        synchronized (this) {
            e = failure;
            v = result;
        }
        if (e != null) {
            throw Exceptions.rethrowable(e);
        }
        return v;
    }

    @Override
    public boolean cancel() {
        synchronized (this) {
            if (done || cancelRequested) {
                return false;
            }
            cancelRequested = true;
        }
        host.onHostThread(this::deliverCancel); // refused only when the loop has ended, and then so has the task
        return true;
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public synchronized boolean isCancelled() {
        return done && failure instanceof CancellationException;
    }

    @Override
    public synchronized T resultNow() {
        observed = true;
        if (!done) {
            throw new IllegalStateException("task " + this + " has not ended; join it, or ask isDone() first");
        }
        if (failure != null) {
            throw new IllegalStateException("task " + this + " ended by an exception; see exceptionNow()", failure);
        }
        return result;
    }

    @Override
    public synchronized Throwable exceptionNow() {
        observed = true;
        if (!done) {
            throw new IllegalStateException("task " + this + " has not ended; join it, or ask isDone() first");
        }
        if (failure == null) {
            throw new IllegalStateException("task " + this + " ended normally; see resultNow()");
        }
        return failure;
    }

    @Override
    public void whenDone(Consumer<? super Task<T>> callback) {
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        observed = true;
        if (!addCallback(callback)) {
            runCallback(callback);
        }
    }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> f = new CompletableFuture<>();
        whenDone(t -> {
            Throwable e;
            T v;
            synchronized (this) {
                e = failure;
                v = result;
            }
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(v);
            }
        });
        return f;
    }

    /** Adds a callback to run when the task ends; {@code false} (and nothing added) if it has ended. */
    synchronized boolean addCallback(Consumer<? super Task<T>> c) {
        if (done) {
            return false;
        }
        if (callbacks == null) {
            callbacks = new ArrayList<>(2);
        }
        callbacks.add(c);
        return true;
    }

    synchronized void removeCallback(Consumer<?> c) {
        if (callbacks != null) {
            for (int i = callbacks.size() - 1; i >= 0; i--) {
                if (callbacks.get(i) == c) {
                    callbacks.remove(i);
                    return;
                }
            }
        }
    }

    /** The state's name: new, ready, running, waiting or done. Host thread (a racy read elsewhere). */
    public String stateName() {
        return STATE_NAMES[state];
    }

    /** What the task waits for, or {@code null}. Host thread. */
    public Wait currentWait() {
        return wait;
    }

    @Override
    public String toString() {
        return host.name() + "/task-" + id;
    }

    // ---- for coordination primitives and task groups ---------------------------------------------

    /**
     * Hands back a cancellation that {@code e} delivered and that will not be thrown on: the task's
     * next {@linkplain #checkpoint() checkpoint} delivers it again (as a new exception), so it is not
     * lost. For a wait that had completed after all (a lock, a permit or a value was granted to the
     * task before the cancellation could withdraw it: the wait keeps its outcome), and for a task group
     * that throws a failure which came before the cancellation. In the task, instead of throwing
     * {@code e}.
     */
    public void deliverAgainLater(CancellationException e) {
        for (CancelScope s = scope; s != null; s = s.outer) {
            if (s.delivered == e) {
                s.delivered = null;
                return;
            }
        }
        if (cancelRequested) {
            cancelDelivered = false; // it was the task's own cancellation
        }
    }

    /** Whether someone asked for this task to be cancelled ({@link #cancel()}, or the loop's shutdown). Any thread. */
    public boolean isCancelRequested() {
        return cancelRequested;
    }

    /**
     * Adds {@code c}, to run on the task's loop thread as the task ends; {@code false} (and nothing
     * added) if it has ended already. Unlike {@link #whenDone} this does not count as asking for the
     * outcome, and the callback can be taken back with {@link #removeOnEnd}. Any thread.
     */
    public boolean onEnd(Consumer<? super Task<T>> c) {
        return addCallback(c);
    }

    /** Takes back a callback added with {@link #onEnd} that has not run; nothing happens otherwise. Any thread. */
    public void removeOnEnd(Consumer<?> c) {
        removeCallback(c);
    }

    /**
     * Whether the task has ended by an exception (a cancellation included). Unlike
     * {@link #exceptionNow()} this does not count as asking for the outcome. Any thread.
     */
    public synchronized boolean endedByException() {
        return done && failure != null;
    }
}
