package io.bobbin;

import io.bobbin.internal.task.CancelScope;
import io.bobbin.internal.task.CompletionWait;
import io.bobbin.internal.task.LoopTask;
import io.bobbin.internal.task.PlainCode;
import io.bobbin.internal.time.Clock;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
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
}
