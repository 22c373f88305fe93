package io.bobbin.internal.observe;

/**
 * The management interface of one event loop, registered in the platform MBean server as {@code
 * io.bobbin:type=EventLoop,name=<the loop's name>} while the loop runs, so that JConsole, VisualVM or
 * any JMX client shows its counters and can ask for its dump. The counters are those of {@code
 * EventLoop.stats()}, read at the moment they are asked for.
 *
 * <p>Threads: any (JMX's); {@link #dump()} hands the reading over to the loop's thread and waits for
 * it a bounded time (see {@code EventLoop.dump()}).
 */
public interface EventLoopMXBean {
    /** The loop's name. */
    String getName();

    /** The name of the loop's thread. */
    String getThreadName();

    /** Tasks spawned on the loop that have not ended. */
    int getLiveTasks();

    /** Tasks and callbacks in the ready queue. */
    int getReadyNow();

    /** Pending timers (sleeps, timeouts, {@code callLater}). */
    int getTimers();

    /** Channels registered with the loop's selector. */
    int getRegisteredChannels();

    /** Threads of the loop's blocking pool alive now. */
    int getBlockingThreads();

    /** Task steps and callbacks run since the loop started. */
    long getStepsRun();

    /** Turns of the loop since it started. */
    long getTurns();

    /** Wakeups written to the loop's wakeup channel. */
    long getWakeups();

    /** Wakeups that found the loop woken already. */
    long getCoalescedWakeups();

    /** The slow-step threshold in milliseconds, 0 when the loop has none. */
    long getSlowStepThresholdMillis();

    /** Slow steps reported since the loop started (0 when it has no threshold). */
    long getSlowSteps();

    /** The loop's dump: every task, its state, what it waits for, its frames (as {@code EventLoop.dump()}). */
    String dump();
}
