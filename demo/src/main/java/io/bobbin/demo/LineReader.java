package io.bobbin.demo;

import io.bobbin.Async;
import io.bobbin.Suspendable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.charset.StandardCharsets;

/**
 * Lines of UTF-8 text from a non-blocking channel (a pipe's source, a socket): {@link #readLine()}
 * suspends the calling task while no whole line has arrived, so the loop's thread never blocks.
 */
final class LineReader {
    private final ReadableByteChannel in;
    private final SelectableChannel selectable;
    private final ByteBuffer buf = ByteBuffer.allocate(4096).flip(); // empty, ready to be read from
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    <C extends SelectableChannel & ReadableByteChannel> LineReader(C channel) throws IOException {
        channel.configureBlocking(false);
        this.in = channel;
        this.selectable = channel;
    }

    /** The next line without its {@code \n}, or {@code null} at the end of the stream. */
    @Suspendable
    String readLine() throws IOException {
        while (true) {
            while (buf.hasRemaining()) {
                byte b = buf.get();
                if (b == '\n') {
                    return take();
                }
                line.write(b);
            }
            buf.clear();
            int n = in.read(buf);
            buf.flip();
            if (n < 0) {
                return line.size() > 0 ? take() : null; // the last line may have no end
            }
            if (n == 0) {
                Async.readable(selectable); // nothing yet: wait on the loop's selector
            }
        }
    }

    private String take() {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
