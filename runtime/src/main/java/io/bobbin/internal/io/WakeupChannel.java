package io.bobbin.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The self-pipe that wakes the loop's {@link Selector} from other threads: a {@link Pipe} whose
 * source end is registered for reading with the selector.
 *
 * <p>An atomic "woken" flag makes a burst of wakeups cost one byte: only the call that raises the
 * flag writes; the others are counted as coalesced. The loop lowers the flag after it has drained
 * the pipe and before it looks at the work that was posted, so no wakeup is lost.
 *
 * <p>Threads: {@link #wakeup()} from any thread; the rest on the loop's thread.
 */
public final class WakeupChannel implements AutoCloseable {
    private final Pipe pipe;
    private final AtomicBoolean woken = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong coalesced = new AtomicLong();
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
