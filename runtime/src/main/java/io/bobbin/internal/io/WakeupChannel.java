package io.bobbin.internal.io;

import io.bobbin.internal.util.Spin;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * How other threads wake the loop: the self-pipe that wakes its {@link Selector} (a {@link Pipe}
 * whose source end is registered for reading with the selector), or, while the loop's thread is
 * parked instead of selecting (no task waits on a channel, see {@link #park}), an unpark.
 *
 * <p>An atomic "woken" flag makes a burst of wakeups cost one byte (or one unpark): only the call
 * that raises the flag writes or unparks; the others are counted as coalesced. The loop lowers the
 * flag after it has drained the pipe (or come back from parking) and before it looks at the work
 * that was posted, so no wakeup is lost.
 *
 * <p>Why no wakeup is lost while parked: the loop publishes its thread in {@link #parker} and then
 * reads the flag; a waker raises the flag and then reads {@link #parker} (both volatile). Either the
 * loop sees the flag up and does not park, or the waker sees the loop's thread and unparks it. A
 * waker that saw no parker writes a byte, which the next select drains (a byte written while the
 * loop parks anyway costs one spurious select return later, nothing more).
 *
 * <p>Threads: {@link #wakeup()} and the counters from any thread; the rest on the loop's thread.
 */
public final class WakeupChannel implements AutoCloseable {
    private final Pipe pipe;
    private final AtomicBoolean woken = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong coalesced = new AtomicLong();
    private final AtomicLong unparked = new AtomicLong();
    /** The loop's thread while it is parked in {@link #park}; {@code null} otherwise. */
    private volatile Thread parker;
    /**
     * The loop's thread spins on the flag before parking (see {@link #park}): a waker that sees this
     * need not unpark it. The loop lowers it and then reads the flag; a waker raises the flag and then
     * reads this; so either the loop sees the flag or the waker unparks.
     */
    private volatile boolean spinning;
    private final ByteBuffer drain = ByteBuffer.allocate(64);

    WakeupChannel() throws IOException {
        pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Registers the pipe's source end with {@code selector}, this object as the key's attachment. */
    SelectionKey register(Selector selector) throws IOException {
        return pipe.source().register(selector, SelectionKey.OP_READ, this);
    }

    /** Makes the selector's current or next select return. Any thread. */
    void wakeup() {
        if (!woken.compareAndSet(false, true)) {
            coalesced.incrementAndGet();
            return;
        }
        Thread t = parker;
        if (t != null) {
            if (spinning) {
                coalesced.incrementAndGet(); // it is looking at the flag: no unpark needed
            } else {
                unparked.incrementAndGet();
                LockSupport.unpark(t);
            }
            return;
        }
        written.incrementAndGet();
        ByteBuffer b = ByteBuffer.allocate(1);
        try {
            pipe.sink().write(b); // a full pipe is fine: the loop is woken already
        } catch (IOException e) {
            // closed: the loop has ended, nobody to wake
        }
    }

    /** Loop thread: empties the pipe and lowers the flag, so that the next wakeup writes again. */
    void drain() {
        try {
            while (true) {
                drain.clear();
                if (pipe.source().read(drain) <= 0) {
                    break;
                }
            }
        } catch (IOException e) {
            // closed
        }
        woken.set(false);
    }

    /**
     * Loop thread, when there is nothing to select for: parks until a wakeup, or for at most
     * {@code timeoutMillis} (-1: no limit; 0: does not park), then lowers the flag. Cheaper than a
     * select for a loop that only waits for timers and for work posted by other threads (the blocking
     * pool's completions): a futex wake instead of a pipe write, an epoll return and a pipe read.
     * With {@code wakeupSoon} (blocking work is in flight, whose completion is likely within
     * microseconds) it first spins on the flag ({@link Spin}), as
     * {@code CompletableFuture.join()} does, so that a quick completion costs no futex wake either.
     */
    void park(long timeoutMillis, boolean wakeupSoon) {
        if (timeoutMillis != 0) {
            parker = Thread.currentThread();
            try {
                if (wakeupSoon && Spin.NANOS > 0) {
                    spinning = true;
                    Spin.until(woken::get);
                    spinning = false;
                }
                if (!woken.get()) {
                    if (timeoutMillis < 0) {
                        LockSupport.park(this);
                    } else {
                        LockSupport.parkNanos(this, timeoutMillis * 1_000_000L);
                    }
                }
            } finally {
                parker = null;
            }
        }
        woken.set(false);
    }

    /** Whether the loop's thread is in {@link #park} (spinning or parked) now. Any thread; for tests. */
    boolean loopWaiting() {
        return parker != null;
    }

    /** Wakeups that unparked the loop's thread. */
    long unparked() {
        return unparked.get();
    }

    /** Wakeup bytes written so far. */
    long written() {
        return written.get();
    }

    /** Wakeups that found the flag raised and wrote nothing. */
    long coalesced() {
        return coalesced.get();
    }

    @Override
    public void close() {
        try {
            pipe.sink().close();
        } catch (IOException ignored) {
            // nothing more to do
        }
        try {
            pipe.source().close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
