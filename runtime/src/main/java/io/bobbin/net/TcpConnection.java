package io.bobbin.net;

import io.bobbin.Async;
import io.bobbin.Suspendable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A TCP connection whose reads and writes suspend the calling task while the socket is not ready,
 * instead of blocking the loop's thread. It keeps a read buffer of its own, so that
 * {@link #readLine()} and the plain reads can be mixed freely.
 *
 * <p>Threads: a connection is used by one task (or thread) at a time; it is not thread-safe. One
 * task may read while another writes. {@link #close()} may be called from any task of the loop; a
 * task waiting on the connection then gets {@link java.nio.channels.ClosedChannelException}.
 */
public final class TcpConnection implements AutoCloseable {
    private static final int BUFFER = 8192;
    /** The longest line {@link #readLine()} accepts. */
    public static final int MAX_LINE = 1 << 20;

    private final SocketChannel channel;
    /** Bytes read from the socket and not yet handed out, between position and limit ("read mode"). */
    private ByteBuffer in = ByteBuffer.allocate(BUFFER).flip();
    private boolean eof;

    private TcpConnection(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Wraps a connected channel (an accepted one, say); it is switched to non-blocking mode.
     */
    public static TcpConnection of(SocketChannel channel) throws IOException {
        Objects.requireNonNull(channel, "channel");
        channel.configureBlocking(false);
        return new TcpConnection(channel);
    }

    /** Connects to {@code address}, suspending until the connection is made. */
    @Suspendable
    public static TcpConnection connect(SocketAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        SocketChannel ch = SocketChannel.open();
        try {
            ch.configureBlocking(false);
            if (!ch.connect(address)) {
                while (true) {
                    Async.writable(ch); // connect readiness
                    if (ch.finishConnect()) {
                        break;
                    }
                }
            }
            return new TcpConnection(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Connects to {@code host:port}; the name is resolved on the loop's blocking pool. */
    @Suspendable
    public static TcpConnection connect(String host, int port) throws Exception {
        InetSocketAddress address = Async.blocking(() -> new InetSocketAddress(host, port));
        return connect(address);
    }

    /**
     * Reads at least one byte into {@code dst} (as many as are there, up to its remaining space),
     * suspending until some arrive.
     *
     * @return the number of bytes read, or -1 at the end of the stream
     */
    @Suspendable
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (in.hasRemaining()) {
            int n = Math.min(in.remaining(), dst.remaining());
            ByteBuffer slice = in.slice();
            slice.limit(n);
            dst.put(slice);
            in.position(in.position() + n);
            return n;
        }
        if (eof) {
            return -1;
        }
        while (true) {
            int n = channel.read(dst);
            if (n != 0) {
                if (n < 0) {
                    eof = true;
                }
                return n;
            }
            Async.readable(channel);
        }
    }

    /** As {@link #read(ByteBuffer)}, into {@code b[off..off+len)}. */
    @Suspendable
    public int read(byte[] b, int off, int len) throws IOException {
        return read(ByteBuffer.wrap(b, off, len));
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * @throws EOFException if the stream ends first
     */
    @Suspendable
    public byte[] readExactly(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (read(b) < 0) {
                throw new EOFException("the stream ended after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.array();
    }

    /**
     * Reads a line of UTF-8 text ended by {@code \n} or {@code \r\n}, and returns it without its end.
     * The last line of the stream may have no end.
     *
     * @return the line, or {@code null} at the end of the stream
     * @throws IOException if a line is longer than {@link #MAX_LINE} bytes
     */
    @Suspendable
    public String readLine() throws IOException {
        int scanned = 0;
        while (true) {
            int start = in.position();
            for (int i = start + scanned; i < in.limit(); i++) {
                if (in.get(i) == '\n') {
                    int end = i > start && in.get(i - 1) == '\r' ? i - 1 : i;
                    String line = new String(in.array(), in.arrayOffset() + start, end - start, StandardCharsets.UTF_8);
                    in.position(i + 1);
                    return line;
                }
            }
            scanned = in.remaining();
            if (eof || !fill()) {
                if (!in.hasRemaining()) {
                    return null;
                }
                String last = new String(in.array(), in.arrayOffset() + in.position(), in.remaining(), StandardCharsets.UTF_8);
                in.position(in.limit());
                return last;
            }
        }
    }

    /** Reads more bytes into the buffer, growing it when full; {@code false} at the end of the stream. */
    @Suspendable
    private boolean fill() throws IOException {
        if (in.position() > 0) {
            in.compact().flip();
        }
        if (in.limit() == in.capacity()) {
            if (in.capacity() >= MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes");
            }
            ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_LINE, in.capacity() * 2));
            bigger.put(in).flip();
            in = bigger;
        }
        int pos = in.position();
        int lim = in.limit();
        in.position(lim).limit(in.capacity());
        try {
            while (true) {
                int n = channel.read(in);
                if (n < 0) {
                    eof = true;
                    return false;
                }
                if (n > 0) {
                    return true;
                }
                Async.readable(channel);
            }
        } finally {
            lim = in.position();
            in.limit(lim).position(pos);
        }
    }

    /** Writes all of {@code src}, suspending while the socket's send buffer is full. */
    @Suspendable
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (channel.write(src) == 0) {
                Async.writable(channel);
            }
        }
    }

    /** Writes all of {@code bytes}. */
    @Suspendable
    public void write(byte[] bytes) throws IOException {
        write(ByteBuffer.wrap(bytes));
    }

    /** Writes {@code text} as UTF-8. */
    @Suspendable
    public void write(String text) throws IOException {
        write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Ends the output side: the peer reads the end of the stream; reading goes on. */
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    public SocketAddress localAddress() throws IOException {
        return channel.getLocalAddress();
    }

    public SocketAddress remoteAddress() throws IOException {
        return channel.getRemoteAddress();
    }

    /** The underlying non-blocking channel, for options and for {@code Async.readable}/{@code writable}. */
    public SocketChannel channel() {
        return channel;
    }

    /** Closes the connection; bytes still buffered for reading are dropped. */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        try {
            return "TcpConnection[" + channel.getLocalAddress() + " -> " + channel.getRemoteAddress() + "]";
        } catch (IOException e) {
            return "TcpConnection[closed]";
        }
    }
}
