package io.bobbin;

/**
 * A snapshot of an {@link EventLoop}'s counters, from {@link EventLoop#stats()}.
 *
 * @param liveTasks tasks spawned on the loop that have not ended
 * @param readyNow tasks and callbacks in the ready queue
 * @param timers pending timers (sleeps, timeouts, {@code callLater})
 * @param registeredChannels channels registered with the loop's selector
 * @param blockingThreads threads of the blocking pool alive now
 * @param stepsRun task steps and callbacks run since the loop started
 * @param turns turns of the loop since it started
 * @param wakeups wakeups that reached the loop, one per burst of outside events: a byte on its wakeup
 *     channel, or an unpark of its thread while it was parked (no task waiting on a channel)
 * @param coalescedWakeups wakeups that found the loop woken already and did nothing
 */
public record LoopStats(int liveTasks, int readyNow, int timers, int registeredChannels, int blockingThreads,
                        long stepsRun, long turns, long wakeups, long coalescedWakeups) {}
