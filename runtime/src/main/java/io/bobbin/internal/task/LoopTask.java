package io.bobbin.internal.task;

import io.bobbin.Continuation;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.SuspendableCallable;
import io.bobbin.Task;
import io.bobbin.internal.cont.ContinuationAccess;
import io.bobbin.internal.cont.ResumeHook;
import io.bobbin.internal.cont.SavedFrames;
import io.bobbin.internal.observe.OnLoop;
import io.bobbin.internal.observe.TaskFrames;
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
 *
 * <p>Unplaced tasks: a task spawned through a loop group waits, {@linkplain #unplaced unplaced}, in a
 * group queue until a loop takes it and {@linkplain #place places} it on itself for good (the loop it
 * was queued for, or an idle sibling that took it over). While it is unplaced its {@link #host} is only
 * provisional (the loop whose queue holds it), and {@link #cancel()} records the request without
 * posting it anywhere: the loop that places the task finds the request when it starts the task, and
 * ends it cancelled without running it. {@code place} and {@code cancel} meet under the monitor, so
 * the request is either seen by the placing loop or posted to it, never lost. A placed task never moves.
 */
public final class LoopTask<T> implements Task<T>, Runnable, ResumeHook {
    static final int NEW = 0;
    static final int READY = 1;
    static final int RUNNING = 2;
    static final int WAITING = 3;
    static final int DONE = 4;
    private static final String[] STATE_NAMES = {"new", "ready", "running", "waiting", "done"};

    /**
     * How many units of work (I/O operations, and bytes by the 8 KiB) a task may do in one step
     * without a real suspension before the next operation yields: Tokio's budget, 128.
     */
    public static final int BUDGET = 128;

    /** The name given at spawn, or {@code null}; shown by {@link #toString()}. */
    private final String name;

    /**
     * The loop that runs the task. Final in effect once the task is placed: written only by
     * {@link #place} (on the placing loop's thread, under the monitor, before the task starts); read
     * on the host's thread, and by {@link #cancel()} under the monitor.
     */
    TaskHost host;
    /** The task's number in its host, for its name; changes with {@link #host} only. */
    private long id;
    /** Waiting in a group queue, not taken by a loop yet; guarded by the monitor. */
    private boolean unplaced;
    private final Continuation continuation;
    private final SuspendableCallable<T> body;

    // ---- host thread only ----
    int state = NEW;
    Wait wait;
    /** The innermost cancel scope opened in the task, or {@code null}; the task itself is the root. */
    CancelScope scope;
    private boolean cancelDelivered;
    /** What is left of the cooperative budget of this step; see {@link #spendBudget(int)}. */
    private int budget;
    /** Links of the loop's {@link TaskList} of live tasks, and whether the task is in it. */
    LoopTask<?> livePrev;
    LoopTask<?> liveNext;
    boolean live;

    // ---- any thread ----
    private volatile boolean cancelRequested;
    private volatile boolean done;
    /** Someone asked for the outcome (join, callback, future, accessors), or takes care of it (main): not reported. */
    private volatile boolean observed;
    private boolean reported;
    /**
     * The outcome. Written on the host thread when the body ends (before {@link #done} is published
     * under the monitor, so a reader that sees {@code done} sees them); read under the monitor, and
     * only once {@code done}.
     */
    private T result;
    private Throwable failure;
    private List<Consumer<? super Task<T>>> callbacks;

    public LoopTask(TaskHost host, long id, SuspendableCallable<T> body) {
        this(host, id, null, body);
    }

    /** A task with a name (or {@code null}), shown by {@link #toString()}: in logs, messages and dumps. */
    public LoopTask(TaskHost host, long id, String name, SuspendableCallable<T> body) {
        this.host = host;
        this.id = id;
        this.name = name;
        this.body = body;
        this.continuation = new Continuation(LoopTask::runAttached); // one shared body for all tasks: nothing captured
        ContinuationAccess.attach(continuation, this);
    }

    /**
     * A task for a loop group's queue: not placed on a loop yet, {@code provisional} (the loop whose
     * queue will hold it) meanwhile. A loop {@linkplain #place places} it before starting it.
     */
    public static <T> LoopTask<T> unplaced(TaskHost provisional, long id, SuspendableCallable<T> body) {
        LoopTask<T> t = new LoopTask<>(provisional, id, body);
        t.unplaced = true;
        return t;
    }

    /**
     * Binds an unplaced task to {@code newHost} for good, under the number {@code newId}; from now on
     * a cancellation is posted to that loop. Called once, on {@code newHost}'s thread, by the loop
     * that took the task from a group queue, before it starts it (the task has never run).
     *
     * @throws IllegalStateException if the task was placed already
     */
    public synchronized void place(TaskHost newHost, long newId) {
        if (!unplaced) {
            throw new IllegalStateException("task " + this + " was placed on a loop already; a placed task never moves");
        }
        unplaced = false;
        host = newHost;
        id = newId;
    }

    /** The task's number in its loop (see {@link #toString()}). */
    public long id() {
        return id;
    }

    /** The body of every task's continuation: runs the body of the task attached to it. */
    @Suspendable
    private static void runAttached() {
        ((LoopTask<?>) ContinuationAccess.currentAttachment()).runBody();
    }

    @Suspendable
    private void runBody() {
        try {
            result = body.call();
        } catch (Throwable e) {
            failure = e;
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
        budget = BUDGET;
        try {
            continuation.resume();
        } catch (Throwable e) {
            if (!continuation.isDone()) {
                throw e;
            }
            failure = e; // the machinery failed around the body (its frames could not be restored)
        }
        if (continuation.isDone()) {
            finish(result, failure);
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

    /**
     * Spends {@code units} of the task's cooperative budget and tells whether it has run out. Each
     * step starts with {@link #BUDGET} units (so every real suspension, which ends a step, resets
     * it). Code that can go on for long without suspending, because its I/O is always ready (a
     * socket that keeps receiving), spends from it for each operation, and calls
     * {@link #yieldNow()} once this returns {@code true}, so that one busy task cannot hold its
     * loop's thread: the yield starts a new step, with a full budget, after every other ready task
     * has run once. In the task (host thread).
     *
     * @param units how much the work costs (at least 0)
     * @return {@code true} when the budget of this step is spent
     */
    public boolean spendBudget(int units) {
        return (budget -= units) <= 0;
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
        host.onHostThread(w); // the wait's run() is its wake-up
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
        TaskHost h;
        synchronized (this) {
            if (done || cancelRequested) {
                return false;
            }
            cancelRequested = true;
            h = unplaced ? null : host; // unplaced: the loop that places it sees the request when it starts it
        }
        if (h != null) {
            h.onHostThread(this::deliverCancel); // refused only when the loop has ended, and then so has the task
        }
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

    /** The name given at spawn, or {@code null}. From any thread. */
    public String name() {
        return name;
    }

    /** {@code <loop>/task-<n>}, followed by the task's name in parentheses when it has one. */
    @Override
    public String toString() {
        String s = host.name() + "/task-" + id;
        return name == null ? s : s + " (" + name + ")";
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

    // ---- observability (see io.bobbin.internal.observe) -------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>The frame store may be read only while the task does not run, so it is read on the loop's
     * thread: at once when called there, otherwise handed over to it, the caller waiting up to
     * {@value OnLoop#ANSWER_WAIT_MILLIS} ms for the answer.
     *
     * @throws IllegalStateException if the loop's thread did not answer in time (a step holds it) or
     *     the calling thread was interrupted while it waited (its interrupt status is kept)
     */
    @Override
    public StackTraceElement[] stackTrace() {
        if (done) {
            return TaskFrames.NONE;
        }
        OnLoop<StackTraceElement[]> a = OnLoop.ask(host::onHostThread, this::suspendedFrames);
        switch (a.outcome()) {
            case ANSWERED:
                return a.value();
            case LOOP_ENDED:
                return TaskFrames.NONE; // and so has the task
            default:
                throw new IllegalStateException(a.whyNoAnswer(host.name()) + "; the frames of task " + this
                        + " cannot be read while the loop might resume it");
        }
    }

    /**
     * Host thread: the frames of the suspended task (waiting, or ready after a yield or a wake-up),
     * innermost first, as {@link TaskFrames} shows them; empty when it is new, running or done.
     */
    public StackTraceElement[] suspendedFrames() {
        if (state != READY && state != WAITING) {
            return TaskFrames.NONE;
        }
        return TaskFrames.of(SavedFrames.of(continuation));
    }

    /**
     * The exception the task ended with ({@link CancellationException} when cancelled), or {@code
     * null} if it returned or has not ended. Unlike {@link #exceptionNow()} it does not count as
     * asking for the outcome: a failure nobody asked for is still reported. Any thread.
     */
    public synchronized Throwable endedWith() {
        return done ? failure : null;
    }
}
