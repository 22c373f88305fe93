package io.bobbin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * A task: a {@link Continuation} running the user's body on one loop, and its state machine.
 *
 * <pre>
 *   NEW --step--> RUNNING --suspend with a wait--> WAITING --wake/interrupt--> READY --step--> RUNNING ...
 *                 RUNNING --bare suspend / yieldNow--> READY (back of the queue)
 *                 RUNNING --body ends--> DONE;      NEW --cancel--> DONE (never runs)
 * </pre>
 *
 * <p>Threads: {@link #state}, {@link #wait}, {@link #scopes} belong to the loop's thread. The
 * outcome, the callbacks and the cancellation request are published under this object's monitor
 * (never held across a suspension), so {@link #join()}, {@link #cancel()} and the accessors work
 * from any thread.
 */
final class LoopTask<T> implements Task<T> {
    static final int NEW = 0;
    static final int READY = 1;
    static final int RUNNING = 2;
    static final int WAITING = 3;
    static final int DONE = 4;

    final EventLoop loop;
    final long id;
    final Continuation continuation;
    private final SuspendableCallable<T> body;
    /** The ready queue's entry for this task. */
    final Runnable step = this::step;

    // ---- loop thread only ----
    int state = NEW;
    Wait wait;
    TimeoutScope scopes;
    private boolean cancelDelivered;
    private T bodyResult;
    private Throwable bodyFailure;

    // ---- any thread ----
    private volatile boolean cancelRequested;
    private volatile boolean done;
    /** Someone asked for the outcome (join, callback, future, accessors), or takes care of it (main): not reported. */
    volatile boolean observed;
    private boolean reported;
    private T result;
    private Throwable failure;
    private List<Consumer<? super Task<T>>> callbacks;

    LoopTask(EventLoop loop, long id, SuspendableCallable<T> body) {
        this.loop = loop;
        this.id = id;
        this.body = body;
        this.continuation = new Continuation(() -> runBody());
        this.continuation.attachment = this;
    }

    @Suspendable
    private void runBody() {
        try {
            bodyResult = body.call();
        } catch (Throwable e) {
            bodyFailure = e;
        }
    }

    // ---- the state machine (loop thread) ---------------------------------------------------

    /** Runs the task until its next suspension point (or its end). */
    private void step() {
        if (state == DONE) {
            return; // ended while queued (cancelled before it ever ran)
        }
        if (state == NEW && cancelRequested) {
            finishUnstarted();
            return;
        }
        state = RUNNING;
        Scheduler s = loop.scheduler;
        s.running = this;
        try {
            continuation.resume();
        } catch (Throwable e) {
            if (!continuation.isDone()) {
                throw e;
            }
            bodyFailure = e; // the machinery failed around the body (its frames could not be restored)
        } finally {
            s.running = null;
        }
        if (continuation.isDone()) {
            finish(bodyResult, bodyFailure);
        } else if (state == RUNNING) {
            s.makeReady(this); // a bare Continuation.suspend() or yieldNow(): back of the queue
        }
    }

    /**
     * At a suspension point, before parking and after waking: throws the pending interruption, if
     * any, once. The task's own cancellation comes first, then the outermost expired timeout scope.
     */
    void checkInterrupt() {
        if (cancelRequested && !cancelDelivered) {
            cancelDelivered = true;
            throw new CancellationException("task " + this + " was cancelled");
        }
        TimeoutScope hit = null;
        for (TimeoutScope s = scopes; s != null; s = s.outer) {
            if (s.expired && s.delivered == null) {
                hit = s;
            }
        }
        if (hit != null) {
            hit.delivered = new CancellationException("withTimeout(" + hit.limit + ") expired in task " + this);
            throw hit.delivered;
        }
    }

    /** Loop thread: acts on a cancellation request that has been recorded. */
    void deliverCancel() {
        if (state == NEW) {
            finishUnstarted();
        } else if (state == WAITING) {
            loop.scheduler.interrupt(this);
        } // READY or RUNNING: the next suspension point sees the request
    }

    /** Loop thread, at shutdown: cancels without telling whether it was asked before. */
    void cancelForShutdown() {
        synchronized (this) {
            if (done) {
                return;
            }
            cancelRequested = true;
        }
        deliverCancel();
    }

    /** Ends a task that never ran: cancelled. */
    void finishUnstarted() {
        finish(null, new CancellationException("task " + this + " was cancelled before it started"));
    }

    private void finish(T value, Throwable error) {
        state = DONE;
        wait = null;
        scopes = null;
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
        loop.scheduler.ended(this);
        if (error != null && !(error instanceof CancellationException) && !observed
                && (toRun == null || toRun.isEmpty())) {
            loop.scheduler.failedUnobserved(this);
        }
        if (toRun != null) {
            for (Consumer<? super Task<T>> c : toRun) {
                runCallback(c);
            }
        }
    }

    /** Loop thread: logs the failure once, unless someone has asked for the outcome meanwhile. */
    void reportIfUnobserved() {
        if (!observed && !reported) {
            reported = true;
            Throwable e;
            synchronized (this) {
                e = failure;
            }
            EventLoop.LOG.log(System.Logger.Level.WARNING, "task " + this + " failed and nobody joined it", e);
        }
    }

    private void runCallback(Consumer<? super Task<T>> c) {
        try {
            c.accept(this);
        } catch (Throwable e) {
            EventLoop.LOG.log(System.Logger.Level.WARNING, "a completion callback of task " + this + " failed", e);
        }
    }

    // ---- Task -----------------------------------------------------------------------------

    @Override
    @Suspendable
    public T join() throws Exception {
        observed = true;
        LoopTask<?> me = Scheduler.currentTask("Task.join()");
        if (me == null) {
            return joinBlocking();
        }
        if (me == this) {
            throw new IllegalStateException("a task cannot join itself");
        }
        me.checkInterrupt();
        if (!done) {
            Scheduler.park(me, new JoinWait(me, this));
        }
        return outcome();
    }

    private T joinBlocking() throws Exception {
        if (!done) {
            CountDownLatch latch = new CountDownLatch(1);
            Consumer<Task<?>> onEnd = t -> latch.countDown();
            addCallback(onEnd);
            try {
                latch.await();
            } finally {
                removeCallback(onEnd);
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
            throw CompletionWait.rethrowable(e);
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
        loop.onLoopThread(this::deliverCancel); // refused only when the loop has ended, and then so has the task
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
            throw new IllegalStateException("task " + this + " has not ended");
        }
        if (failure != null) {
            throw new IllegalStateException("task " + this + " ended by an exception", failure);
        }
        return result;
    }

    @Override
    public synchronized Throwable exceptionNow() {
        observed = true;
        if (!done) {
            throw new IllegalStateException("task " + this + " has not ended");
        }
        if (failure == null) {
            throw new IllegalStateException("task " + this + " ended normally");
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

    @Override
    public String toString() {
        return loop.name() + "/task-" + id;
    }
}
