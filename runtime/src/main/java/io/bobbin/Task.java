package io.bobbin;

import io.bobbin.internal.task.LoopTask;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A unit of work running on an {@link EventLoop}: the handle that {@link Async#spawn} and
 * {@link EventLoop#spawn} return.
 *
 * <p>Threads: every method may be called from any thread. {@link #join()} suspends when called
 * from a task (of any loop) and blocks the calling thread in plain code; it throws
 * {@link IllegalStateException} on a loop's thread outside a task (a callback), or inside a
 * generator or bare {@link Continuation} nested in a task.
 */
public interface Task<T> {
    /**
     * Waits until the task has ended and returns its result, or rethrows its exception as it is.
     *
     * @throws CancellationException if the task was cancelled (or if the calling task is cancelled
     *     while it waits)
     * @throws IllegalStateException on a loop's thread outside a task, or when a task joins itself
     */
    @Suspendable
    T join() throws Exception;

    /**
     * As {@link #join()}, but waits at most {@code limit}: if the task has not ended by then, this
     * throws {@link TimeoutException} and the task itself goes on running (call {@link #cancel()}
     * to stop it). A task that has ended gives its outcome at once, whatever the limit; a zero or
     * negative limit only looks. The wait is a cancellation point like {@code join()}'s: a
     * cancellation (or an outer {@link Async#withTimeout}) of the calling task passes through as
     * {@link CancellationException}. In plain code the calling thread blocks, for at most
     * {@code limit}.
     *
     * @throws TimeoutException if the task has not ended within {@code limit}; a task that itself
     *     ended by a {@code TimeoutException} has it rethrown as it is
     * @throws CancellationException if the task was cancelled, or the calling task is cancelled
     *     while it waits
     * @throws IllegalStateException on a loop's thread outside a task, or when a task joins itself
     */
    @Suspendable
    default T join(Duration limit) throws Exception {
        Objects.requireNonNull(limit, "limit");
        LoopTask.current("Task.join()"); // on a loop's thread outside a task: says so, naming this method
        if (isDone()) {
            return join();
        }
        try {
            return Async.withTimeout(limit, this::join);
        } catch (TimeoutException e) {
            if (isDone()) {
                return join(); // it ended right at the limit, or its own outcome is this TimeoutException
            }
            TimeoutException t = new TimeoutException("task " + this + " has not ended within " + limit
                    + "; it goes on running (cancel() it to stop it)");
            t.initCause(e);
            throw t;
        }
    }

    /**
     * Asks for the task to be cancelled: its current (or next) suspension point throws
     * {@link CancellationException} inside it, once, so that its {@code finally} blocks run. A task
     * that never started never runs. May be called from any thread.
     *
     * @return {@code true} when this call asked for the cancellation; {@code false} if the task had
     *     ended or its cancellation was asked already
     */
    boolean cancel();

    /** Whether the body has ended (normally, by an exception, or by a cancellation). */
    boolean isDone();

    /** Whether the task has ended with a {@link CancellationException}. */
    boolean isCancelled();

    /**
     * The result of a task that has ended normally.
     *
     * @throws IllegalStateException if the task has not ended, or ended by an exception
     */
    T resultNow();

    /**
     * The exception a task ended with ({@link CancellationException} for a cancelled task).
     *
     * @throws IllegalStateException if the task has not ended, or ended normally
     */
    Throwable exceptionNow();

    /**
     * Calls {@code callback} with this task once it has ended: at once on the calling thread if it
     * has ended already, otherwise on the thread of the task's loop, right as the task ends. The
     * callback must not block; an exception it throws is logged and otherwise ignored. Callbacks
     * run in the order they were added.
     */
    void whenDone(Consumer<? super Task<T>> callback);

    /**
     * A future that completes with the task's outcome: its result, its exception, or (cancelled)
     * a {@link CancellationException}. Completing or cancelling the future does not affect the task.
     */
    CompletableFuture<T> toCompletableFuture();

    /**
     * The frames of the suspended task, innermost first, as its user wrote them: class, method, file
     * and line of each suspended call, the same that {@link Thread#getStackTrace()} would show if the
     * task were a thread blocked there. Empty when the task is not suspended: not started yet, running,
     * or ended. A task is suspended while it waits, and while it is ready to go on after a wait or a
     * yield.
     *
     * <p>As a thread's trace shows the JDK's frames it is blocked in ({@code Thread.sleep}), the
     * innermost frames are Bobbin's public methods the task waits in ({@code Async.sleep}, {@code
     * Async.readable}, {@code Task.join}...); Bobbin's internal machinery below them, and the task's
     * own root below its body, do not show. A call whose frame was not saved (an interface method
     * like {@code Task.join}, or {@code Continuation.suspend} itself) shows with no line number.
     *
     * <p>Nothing is recorded for this on the way in and out of a suspension: the frames are read,
     * when asked, from what the task's continuation saved. May be called from any thread; the frames
     * are read on the loop's thread, so another thread waits for the loop to answer, at most about a
     * second.
     *
     * @throws IllegalStateException if called from another thread while the loop's thread does not
     *     answer within that time (a step holds it: a task that blocks the thread), or if the calling
     *     thread is interrupted while it waits
     */
    StackTraceElement[] stackTrace();
}
