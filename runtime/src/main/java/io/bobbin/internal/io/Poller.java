package io.bobbin.internal.io;

import io.bobbin.Suspendable;
import io.bobbin.internal.task.LoopTask;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;

/**
 * The I/O seam of a loop: it parks tasks until their channels are ready, waits for readiness (or a
 * wakeup, or a timeout) when the loop has nothing else to do, and can be woken from any thread.
 * Today's implementation is {@link NioPoller} (a {@code Selector} with a self-pipe
 * {@link WakeupChannel}); a loop that never waits on channels could park its thread instead.
 *
 * <p>Threads: {@link #wakeup()} and the counters from any thread; everything else on the loop's
 * thread.
 */
public interface Poller extends AutoCloseable {
    /**
     * Waits for readiness and wakes the tasks whose channels are ready (or were closed).
     *
     * @param timeoutMillis 0: do not block; -1: until woken; else at most that long
     * @param lookFirst look without blocking first (tasks ran since the last poll and may have closed
     *     channels), and do not block if that finds something
     * @param wakeupSoon a wakeup is likely within microseconds (blocking work is in flight): a poller
     *     that would park may spin briefly first
     */
    void poll(long timeoutMillis, boolean lookFirst, boolean wakeupSoon) throws IOException;

    /** Whether a task waits on a channel now. */
    boolean hasWaiters();

    /**
     * Parks {@code task} until {@code channel} is ready to read/accept ({@code write} false), or to
     * write/connect.
     *
     * @throws IllegalArgumentException if the channel is in blocking mode, or cannot do that
     * @throws IllegalStateException if another task waits for the same readiness of the channel
     * @throws ClosedChannelException if the channel is closed, or closed during the wait
     */
    @Suspendable
    void await(LoopTask<?> task, SelectableChannel channel, boolean write) throws IOException;

    /** Makes the current or next {@link #poll} return. Any thread; a burst of calls costs one wakeup. */
    void wakeup();

    /** Wakeups that reached the poller (one per burst). Any thread. */
    long wakeupsWritten();

    /** Wakeups that found the poller woken already and did nothing. Any thread. */
    long wakeupsCoalesced();

    /** Channels registered now. */
    int registeredChannels();

    /** Releases the poller's resources; tasks still waiting are the loop's concern. */
    @Override
    void close();
}
