package io.bobbin.internal.task;

import io.bobbin.EventLoop;
import io.bobbin.internal.io.Poller;
import io.bobbin.internal.time.TimerEntry;
import java.util.concurrent.RejectedExecutionException;

/**
 * What a task needs from the loop that runs it: a ready queue to be scheduled on, a way in from
 * other threads, timers on the loop's clock, the poller for channel readiness, and the blocking
 * pool. The loop implements it ({@code io.bobbin.internal.loop.LoopCore}); a loop with a virtual
 * clock, or a member of a loop group, is the same seam with other parts behind it. Tasks never
 * reach the loop any other way.
 *
 * <p>Threads: {@link #onHostThread}, {@link #loop()} and {@link #name()} from any thread; the rest
 * on the host's thread only.
 */
public interface TaskHost {
    /** The public face of the loop. */
    EventLoop loop();

    /** The loop's name, for messages. */
    String name();

    /** Queues a task's step at the back of the ready queue. */
    void schedule(LoopTask<?> task);

    /**
     * Runs {@code action} on the host's thread: now when called there while the loop runs, otherwise
     * posted to it (and the loop woken). {@code false} when the loop has ended and will run nothing.
     */
    boolean onHostThread(Runnable action);

    /** The loop's clock, in nanoseconds. */
    long now();

    /** A timer that runs {@code action} on the host's thread once {@link #now()} reaches {@code deadline}. */
    TimerEntry addTimer(long deadline, Runnable action);

    /**
     * Adds {@code timer}, an entry that is its own action, due once {@link #now()} reaches
     * {@code deadline}; it runs on the host's thread. Host thread.
     *
     * @throws IllegalStateException if it is pending already
     */
    void addTimer(TimerEntry timer, long deadline);

    /** Removes a timer; nothing happens for one that has fired or was removed. */
    void cancelTimer(TimerEntry timer);

    /** The loop's poller, for channel readiness. */
    Poller poller();

    /**
     * Hands {@code job} to the loop's blocking pool.
     *
     * @throws RejectedExecutionException if the pool is shut down
     */
    void submitBlocking(Runnable job);

    /** A task has ended (it is no longer live). */
    void taskEnded(LoopTask<?> task);

    /** A task failed and nobody asked for its outcome yet: report it later unless someone does. */
    void failedUnobserved(LoopTask<?> task);
}
