package io.bobbin;

import io.bobbin.internal.sync.TaskEnds;
import io.bobbin.internal.task.CancelScope;
import io.bobbin.internal.task.CompletionWait;
import io.bobbin.internal.task.LoopTask;
import io.bobbin.internal.task.PlainCode;
import io.bobbin.internal.time.Clock;
import io.bobbin.internal.util.Exceptions;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * What a task does: spawn other tasks and wait, without blocking its loop, for time to pass, for
 * blocking work, for a future, for a channel. Each waiting method is a suspension point: if the
 * task has been cancelled (or its {@link #withTimeout} has expired) it throws
 * {@link CancellationException} there, once.
 *
 * <p>The same code runs in a task or in plain code. On a thread that runs no event loop, every
 * method but {@link #spawn} behaves as if it ran on a private loop of its own for the length of the
 * call: the calling thread simply blocks. On a loop's thread outside a task (a callback), or inside
 * a generator or bare {@link Continuation} nested in a task, they throw
 * {@link IllegalStateException}: waiting there would stall the loop.
 */
public final class Async {
    private Async() {}

    /**
     * Adds a task running {@code body} to the current loop, at the back of its ready queue; the
     * body does not run at once.
     *
     * @throws IllegalStateException outside a task of an event loop
     */
    public static <T> Task<T> spawn(SuspendableCallable<T> body) {
        Objects.requireNonNull(body, "body");
        LoopTask<?> t = LoopTask.current("Async.spawn()");
        if (t == null) {
            throw new IllegalStateException("Async.spawn() was called outside of any event loop task;"
                    + " start a loop with EventLoop.run(...), or spawn on a loop with EventLoop.spawn(...)");
        }
        return t.host().loop().spawn(body);
    }

    /**
     * As {@link #spawn(SuspendableCallable)}, for a body that returns nothing (no {@code return null;}
     * needed); the task's result is {@code null}.
     *
     * <p>Which one a lambda picks: a body that returns a value ({@code () -> 42},
     * {@code () -> fetch()}) makes a {@code Task<T>}; a body that returns nothing
     * ({@code () -> { work(); }}, {@code () -> Async.sleep(d)}) makes a {@code Task<Void>}. A method
     * reference to an overloaded method ({@code connection::readLine}) fits both and does not
     * compile: use a lambda.
     *
     * @throws IllegalStateException outside a task of an event loop
     */
    public static Task<Void> spawn(SuspendableRunnable body) {
        return spawn(EventLoop.callable(body));
    }

    /**
     * As {@link #spawn(SuspendableCallable)}, for a task with a name: its {@code toString()} is
     * {@code <loop>/task-<n> (<name>)}, and so are the log records and messages that name it.
     *
     * @throws IllegalArgumentException if {@code name} is empty or blank
     * @throws IllegalStateException outside a task of an event loop
     */
    public static <T> Task<T> spawn(String name, SuspendableCallable<T> body) {
        EventLoop.checkName(name);
        Objects.requireNonNull(body, "body");
        LoopTask<?> t = LoopTask.current("Async.spawn()");
        if (t == null) {
            throw new IllegalStateException("Async.spawn() was called outside of any event loop task;"
                    + " start a loop with EventLoop.run(...), or spawn on a loop with EventLoop.spawn(...)");
        }
        return t.host().loop().spawn(name, body);
    }

    /**
     * As {@link #spawn(String, SuspendableCallable)}, for a body that returns nothing.
     *
     * @throws IllegalArgumentException if {@code name} is empty or blank
     * @throws IllegalStateException outside a task of an event loop
     */
    public static Task<Void> spawn(String name, SuspendableRunnable body) {
        return spawn(name, EventLoop.callable(body));
    }

    /**
     * The task running this code, or {@code null} outside a task (plain code, a loop's callback, or a
     * generator or continuation nested in a task). Never throws.
     */
    public static Task<?> currentTask() {
        return LoopTask.currentOrNull();
    }

    /**
     * Lets every other ready task run once, then goes on: the task goes to the back of the ready
     * queue. In plain code, {@link Thread#yield()}.
     */
    @Suspendable
    public static void yieldNow() {
        LoopTask<?> t = LoopTask.current("Async.yieldNow()");
        if (t == null) {
            Thread.yield();
            return;
        }
        t.yieldNow();
    }

    /**
     * Suspends the task for at least {@code duration}; other tasks run meanwhile. Zero or negative
     * behaves as {@link #yieldNow()}. In plain code the thread sleeps (an interrupt ends the sleep
     * with {@link CancellationException}, the interrupt status kept).
     */
    @Suspendable
    public static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        LoopTask<?> t = LoopTask.current("Async.sleep()");
        if (t == null) {
            PlainCode.sleep(duration);
            return;
        }
        if (duration.isZero() || duration.isNegative()) {
            yieldNow();
            return;
        }
        long now = t.host().now();
        t.sleepUntil(Clock.deadline(now, Clock.saturatedNanos(duration)));
    }

    /**
     * Runs {@code work} on the loop's elastic thread pool and suspends the task until it is done;
     * returns its result or rethrows its exception as it is. A task cancelled meanwhile is released
     * at once and the pool thread is interrupted. In plain code, runs {@code work} on the calling thread.
     */
    @Suspendable
    public static <T> T blocking(Callable<T> work) throws Exception {
        Objects.requireNonNull(work, "work");
        LoopTask<?> t = LoopTask.current("Async.blocking()");
        if (t == null) {
            return work.call();
        }
        CompletionWait.OnPool<T> wait = new CompletionWait.OnPool<>(t, work);
        t.park(wait);
        return wait.outcome();
    }

    /**
     * As {@link #blocking(Callable)}, for work that returns nothing: {@code Async.blocking(() ->
     * Files.delete(path))}. The work may throw any exception, which is rethrown as it is.
     *
     * <p>Which one a lambda picks: work that returns a value ({@code () -> Files.size(p)}) goes to
     * {@link #blocking(Callable)} and its value is returned; work that returns nothing
     * ({@code () -> Thread.sleep(10)}, {@code () -> { a(); b(); }}) comes here. A method reference to
     * an overloaded method ({@code future::get}) fits both and does not compile: use a lambda.
     */
    @Suspendable
    public static void blocking(BlockingRunnable work) throws Exception {
        Objects.requireNonNull(work, "work");
        blocking(() -> {
            work.run();
            return null;
        });
    }

    /**
     * Suspends until {@code stage} completes; returns its value or rethrows its exception, unwrapped
     * from {@code CompletionException}/{@code ExecutionException}. A cancelled task leaves the stage
     * alone. In plain code the thread waits.
     */
    @Suspendable
    public static <T> T await(CompletionStage<T> stage) throws Exception {
        Objects.requireNonNull(stage, "stage");
        LoopTask<?> t = LoopTask.current("Async.await()");
        if (t == null) {
            return PlainCode.await(stage);
        }
        CompletionWait.OnStage<T> wait = new CompletionWait.OnStage<>(t, stage);
        t.park(wait);
        return wait.outcome();
    }

    /**
     * Suspends until the non-blocking {@code channel} can be read (or accepted from).
     *
     * <p>The channel is registered with the loop's selector on its first wait and stays registered
     * (with no interest) afterwards, so that later waits reuse the registration; it is released when
     * the channel is closed or the loop ends. Meanwhile the channel cannot go back to blocking mode.
     * A close by another thread is noticed within about a second.
     *
     * @throws IllegalArgumentException if the channel is in blocking mode, or cannot be read
     * @throws IllegalStateException if another task waits for the channel to be readable
     * @throws ClosedChannelException if the channel is closed, or closed during the wait
     */
    @Suspendable
    public static void readable(SelectableChannel channel) throws IOException {
        ready(channel, false);
    }

    /**
     * Suspends until the non-blocking {@code channel} can be written (or has connected).
     *
     * @throws IllegalArgumentException if the channel is in blocking mode, or cannot be written
     * @throws IllegalStateException if another task waits for the channel to be writable
     * @throws ClosedChannelException if the channel is closed, or closed during the wait
     */
    @Suspendable
    public static void writable(SelectableChannel channel) throws IOException {
        ready(channel, true);
    }

    @Suspendable
    private static void ready(SelectableChannel channel, boolean write) throws IOException {
        Objects.requireNonNull(channel, "channel");
        LoopTask<?> t = LoopTask.current(write ? "Async.writable()" : "Async.readable()");
        if (t == null) {
            PlainCode.awaitReady(channel, write);
            return;
        }
        t.host().poller().await(t, channel, write);
    }

    /**
     * Runs {@code body} in the calling task. If it has not ended within {@code limit}, it is
     * cancelled at its suspension point, its {@code finally} blocks run, and then
     * {@link TimeoutException} is thrown; the task goes on normally after that. Only this call's own
     * expiry becomes a {@code TimeoutException}: an outer timeout or a {@link Task#cancel()} passes
     * through as {@link CancellationException}. A body that swallows the cancellation and returns has
     * its value returned. A zero or negative limit expires at the body's first suspension point.
     * In plain code, the body runs on a private loop for the length of the call.
     */
    @Suspendable
    public static <T> T withTimeout(Duration limit, SuspendableCallable<T> body) throws Exception {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(body, "body");
        LoopTask<?> t = LoopTask.current("Async.withTimeout()");
        if (t == null) {
            return EventLoop.run(() -> withTimeout(limit, body));
        }
        CancelScope scope = CancelScope.open(t, "withTimeout(" + limit + ") expired");
        try {
            scope.cancelAt(Clock.deadline(t.host().now(), Clock.saturatedNanos(limit)));
            return body.call();
        } catch (CancellationException e) {
            if (scope.caused(e)) {
                TimeoutException te = new TimeoutException("the body did not end within " + limit);
                te.initCause(e);
                throw te;
            }
            throw e;
        } finally {
            scope.close();
        }
    }

    /**
     * Waits until every one of {@code tasks} has ended and returns their results in the collection's
     * order. As soon as one of them fails (a cancelled task included), throws that task's exception as
     * it is; the others go on. An empty collection gives an empty list. The tasks may belong to any
     * loops. In plain code the thread blocks.
     *
     * @throws NullPointerException if {@code tasks} or one of them is {@code null}
     * @throws IllegalStateException if it would wait on a loop's thread outside a task, or inside a
     *     generator or bare continuation nested in a task
     * @throws CancellationException if the calling task is cancelled or times out while it waits (the
     *     tasks go on)
     */
    @Suspendable
    public static <T> List<T> joinAll(Collection<? extends Task<? extends T>> tasks) throws Exception {
        Task<?>[] all = taskArray(tasks, "Async.joinAll()");
        Task<?>[] pending = new Task<?>[all.length];
        Task<?> failed = null;
        int n = 0;
        for (Task<?> t : all) {
            if (!t.isDone()) {
                pending[n++] = t;
            } else if (failed == null && TaskEnds.failed(t)) {
                failed = t;
            }
        }
        if (failed == null && n > 0) {
            failed = TaskEnds.allUnlessOneFails(Arrays.copyOf(pending, n), "Async.joinAll()");
        }
        if (failed != null) {
            throw Exceptions.rethrowable(failed.exceptionNow());
        }
        List<T> results = new ArrayList<>(all.length);
        for (Task<?> t : all) {
            @SuppressWarnings("unchecked")
            T v = (T) t.resultNow();
            results.add(v);
        }
        return results;
    }

    /**
     * Waits until at least one of {@code tasks} has ended (in any way) and returns it: one that had
     * ended already (the first in the collection's order), or else the first to end. Cancels nothing.
     * In plain code the thread blocks.
     *
     * @throws IllegalArgumentException if {@code tasks} is empty
     * @throws NullPointerException if {@code tasks} or one of them is {@code null}
     * @throws IllegalStateException if it would wait on a loop's thread outside a task, or inside a
     *     generator or bare continuation nested in a task
     * @throws CancellationException if the calling task is cancelled or times out while it waits
     */
    @Suspendable
    public static <T> Task<T> firstDone(Collection<? extends Task<T>> tasks) {
        Task<?>[] all = taskArray(tasks, "Async.firstDone()");
        if (all.length == 0) {
            throw new IllegalArgumentException("Async.firstDone(): the collection of tasks is empty;"
                    + " pass at least one task to wait for");
        }
        for (Task<?> t : all) {
            if (t.isDone()) {
                @SuppressWarnings("unchecked")
                Task<T> done = (Task<T>) t;
                return done;
            }
        }
        @SuppressWarnings("unchecked")
        Task<T> first = (Task<T>) TaskEnds.first(all, "Async.firstDone()");
        return first;
    }

    private static Task<?>[] taskArray(Collection<? extends Task<?>> tasks, String what) {
        Objects.requireNonNull(tasks, "tasks");
        Task<?>[] all = tasks.toArray(new Task<?>[0]);
        for (int i = 0; i < all.length; i++) {
            if (all[i] == null) {
                throw new NullPointerException(what + ": the task at index " + i + " of the collection is null");
            }
        }
        return all;
    }

    /**
     * Runs each body as a task of the current loop and returns the first result to succeed; then
     * cancels the others and returns only after they have ended. If every body fails, throws the first
     * failure (in time) with the others added with {@link Throwable#addSuppressed}. If the calling task
     * is cancelled meanwhile, every body is cancelled and, once they have ended, the
     * {@link CancellationException} comes out. In plain code the bodies run on a private loop for the
     * length of the call.
     *
     * @throws IllegalArgumentException if there are no bodies
     * @throws NullPointerException if {@code bodies} or one of them is {@code null}
     */
    @SafeVarargs
    @Suspendable
    public static <T> T race(SuspendableCallable<? extends T>... bodies) throws Exception {
        Objects.requireNonNull(bodies, "bodies");
        if (bodies.length == 0) {
            throw new IllegalArgumentException("Async.race(): no bodies to race; pass at least one");
        }
        for (int i = 0; i < bodies.length; i++) {
            if (bodies[i] == null) {
                throw new NullPointerException("Async.race(): body " + i + " is null");
            }
        }
        LoopTask<?> t = LoopTask.current("Async.race()");
        if (t == null) {
            return EventLoop.run(() -> race(bodies));
        }
        Race<T> race = new Race<>();
        TaskGroup.open(group -> {
            for (SuspendableCallable<? extends T> body : bodies) {
                group.spawn(() -> race.run(group, body));
            }
            return null;
        });
        return race.outcome();
    }

    /** The state of one {@link #race}: its loop's thread only. */
    private static final class Race<T> {
        private boolean won;
        private T value;
        private final List<Throwable> failures = new ArrayList<>();

        /** One contender, as a child of the race's group: the first success cancels the group. */
        @Suspendable
        Object run(TaskGroup group, SuspendableCallable<? extends T> body) {
            T v;
            try {
                v = body.call();
            } catch (CancellationException e) {
                if (group.isCancelled()) {
                    throw e; // lost the race (or the race was cancelled): not a failure
                }
                failures.add(e);
                return null;
            } catch (Throwable e) {
                failures.add(e);
                return null;
            }
            if (!won) {
                won = true;
                value = v;
                group.cancel();
            }
            return null;
        }

        T outcome() throws Exception {
            if (won) {
                return value;
            }
            Throwable first = failures.get(0);
            for (int i = 1; i < failures.size(); i++) {
                if (failures.get(i) != first) {
                    first.addSuppressed(failures.get(i));
                }
            }
            throw Exceptions.rethrowable(first);
        }
    }

    /**
     * {@link #withTimeout} that returns {@code null} instead of throwing {@link TimeoutException} when
     * its own limit expires. Everything else is as {@code withTimeout}: an outer timeout or a
     * cancellation passes through as {@link CancellationException}, and a body that swallows the
     * cancellation and returns has its value returned.
     */
    @Suspendable
    public static <T> T withTimeoutOrNull(Duration limit, SuspendableCallable<T> body) throws Exception {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(body, "body");
        LoopTask<?> t = LoopTask.current("Async.withTimeoutOrNull()");
        if (t == null) {
            return EventLoop.run(() -> withTimeoutOrNull(limit, body));
        }
        CancelScope scope = CancelScope.open(t, "withTimeoutOrNull(" + limit + ") expired");
        try {
            scope.cancelAt(Clock.deadline(t.host().now(), Clock.saturatedNanos(limit)));
            return body.call();
        } catch (CancellationException e) {
            if (scope.caused(e)) {
                return null;
            }
            throw e;
        } finally {
            scope.close();
        }
    }

    /**
     * Runs {@code body} in the calling task, protected: a cancellation or timeout requested while it
     * runs is held back and delivered at the task's first suspension point after {@code body} ends.
     * {@code body}'s own waits are not cancellation points for it (a {@code withTimeout} inside it
     * still works). Use it for clean-up that must finish, such as a {@code finally} that sends a
     * goodbye. In plain code the body runs on a private loop for the length of the call.
     */
    @Suspendable
    public static <T> T shielded(SuspendableCallable<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        LoopTask<?> t = LoopTask.current("Async.shielded()");
        if (t == null) {
            return EventLoop.run(() -> shielded(body));
        }
        CancelScope shield = CancelScope.openShield(t, "shielded");
        try {
            return body.call();
        } finally {
            shield.close();
        }
    }
}
