package io.bobbin.net;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.internal.task.LoopTask;
import io.bobbin.internal.task.Wait;
import io.bobbin.internal.util.WaiterQueue;
import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A TCP connection whose reads and writes suspend the calling task while the socket is not ready,
 * instead of blocking the loop's thread. It keeps a read buffer of its own, so that
 * {@link #readLine()} and the plain reads can be mixed freely.
 *
 * <h2>Tasks and loops</h2>
 * A connection belongs to one loop: the loop of the first task that connects, reads or writes it
 * (a connection accepted by {@link TcpServer} belongs to the loop of the task that serves it). Its
 * reads and writes must then come from tasks of that loop; from a task of another loop, or from a
 * thread that runs no loop, they throw {@link IllegalStateException} (once that loop has ended, the
 * connection is free again). {@link #close()}, {@link #isOpen()} and the addresses may be used from
 * anywhere.
 * <ul>
 *   <li><b>Writes</b> from several tasks are safe and ordered: each {@code write} call goes out
 *       whole, never interleaved with another one, and tasks that write at the same time take turns
 *       in the order they asked (FIFO). A task waiting for its turn is a cancellation point: a
 *       cancelled (or timed out) waiting writer leaves the queue and writes nothing.</li>
 *   <li><b>Reads</b> belong to one task at a time: a read (of any kind) by a task while another task
 *       is inside a read of the same connection throws {@link IllegalStateException} naming both
 *       (which of them would get the next bytes?). One task may read while others write.</li>
 * </ul>
 * In plain code (a thread that runs no loop, the connection bound to none) the calls simply block,
 * and the connection is used by one thread at a time: it is not thread-safe there.
 *
 * <h2>Fairness</h2>
 * A socket that is always ready never makes a read or a write wait, so a task that streams would
 * hold its loop's thread for as long as its peer keeps sending. Each task has a cooperative budget
 * per step, as Tokio's tasks have (128 operations, bytes counted by the 8 KiB): once it is
 * spent without a real suspension, the next read or write (or the next chunk of a long one) first
 * {@linkplain Async#yieldNow() yields}, so that every other ready task of the loop runs once. That
 * yield is a cancellation point like the socket waits.
 */
public final class TcpConnection implements AutoCloseable {
    private static final int BUFFER = 8192;
    /** The longest line {@link #readLine()} accepts. */
    public static final int MAX_LINE = 1 << 20;
    /** Bytes moved per unit of the cooperative budget (8 KiB), as a shift. */
    private static final int BYTES_PER_UNIT_SHIFT = 13;

    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(TcpConnection.class, "owner", EventLoop.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SocketChannel channel;
    /** The loop whose tasks use the connection, bound by the first one; {@code null} until then. Any thread. */
    @SuppressWarnings("unused") // through OWNER too
    private volatile EventLoop owner;

    // ---- the owner loop's thread (or the one plain thread using the connection) ----
    /** Bytes read from the socket and not yet handed out, between position and limit ("read mode"). */
    private ByteBuffer in = ByteBuffer.allocate(BUFFER).flip();
    private boolean eof;
    /** The length of the terminator of the line {@link #nextLine} found: 1 or 2 (0 for a last line without one). */
    private int lineEnd;
    /** The task inside a read now, or {@code null}. */
    private LoopTask<?> reader;
    /** The task whose turn it is to write (inside a write), or {@code null}; handed over directly, FIFO. */
    private LoopTask<?> writer;
    /** Tasks waiting for their turn to write, oldest first; never non-empty while {@link #writer} is null. */
    private WaiterQueue<TurnNode> writers;
    /** The last charset {@link #readLine(Charset)} accepted (a cache of the check). */
    private Charset lineCharset = StandardCharsets.UTF_8;

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

    /** Connects to {@code address}, suspending until the connection is made. In a task, it belongs to that task's loop. */
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
            TcpConnection c = new TcpConnection(ch);
            LoopTask<?> t = LoopTask.currentOrNull();
            if (t != null) {
                c.owner = t.host().loop();
            }
            return c;
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

    // ---- reading ----------------------------------------------------------------------------------

    /**
     * Reads at least one byte into {@code dst} (as many as are there, up to its remaining space),
     * suspending until some arrive.
     *
     * @return the number of bytes read, or -1 at the end of the stream
     * @throws IllegalStateException if another task is reading the connection, or the connection
     *     belongs to another loop
     */
    @Suspendable
    public int read(ByteBuffer dst) throws IOException {
        LoopTask<?> t = user("TcpConnection.read()");
        if (paced(t, 1)) {
            t.yieldNow();
        }
        claimRead(t, "TcpConnection.read()");
        try {
            return readSome(t, dst);
        } finally {
            endRead(t);
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
     * @throws IllegalStateException if another task is reading the connection, or the connection
     *     belongs to another loop
     */
    @Suspendable
    public byte[] readExactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("cannot read a negative number of bytes: " + n);
        }
        LoopTask<?> t = user("TcpConnection.readExactly()");
        if (paced(t, 1)) {
            t.yieldNow();
        }
        claimRead(t, "TcpConnection.readExactly()");
        try {
            ByteBuffer b = ByteBuffer.allocate(n);
            while (b.hasRemaining()) {
                int got = readSome(t, b);
                if (got < 0) {
                    throw new EOFException("the stream ended after " + b.position() + " of " + n + " bytes");
                }
                if (b.hasRemaining() && paced(t, 0)) { // a long read: let the others run when the budget is spent
                    t.yieldNow();
                }
            }
            return b.array();
        } finally {
            endRead(t);
        }
    }

    /**
     * Reads a line of UTF-8 text ended by {@code \n} or {@code \r\n}, and returns it without its end.
     * The last line of the stream may have no end.
     *
     * @return the line, or {@code null} at the end of the stream
     * @throws IOException if a line is longer than {@link #MAX_LINE} bytes
     * @throws IllegalStateException if another task is reading the connection, or the connection
     *     belongs to another loop
     */
    @Suspendable
    public String readLine() throws IOException {
        LoopTask<?> t = user("TcpConnection.readLine()");
        if (paced(t, 1)) {
            t.yieldNow();
        }
        claimRead(t, "TcpConnection.readLine()");
        try {
            return takeLine(nextLine(t), StandardCharsets.UTF_8);
        } finally {
            endRead(t);
        }
    }

    /**
     * As {@link #readLine()}, for text in {@code charset}: ISO-8859-1, windows-1252, US-ASCII and
     * the other charsets in which {@code \n} and {@code \r} are the single bytes 10 and 13.
     *
     * @return the line, or {@code null} at the end of the stream
     * @throws IllegalArgumentException if {@code charset} does not encode {@code \n} and {@code \r}
     *     as those single bytes (UTF-16, say): read bytes and decode them instead
     * @throws IOException if a line is longer than {@link #MAX_LINE} bytes
     * @throws IllegalStateException if another task is reading the connection, or the connection
     *     belongs to another loop
     */
    @Suspendable
    public String readLine(Charset charset) throws IOException {
        checkLineCharset(charset);
        LoopTask<?> t = user("TcpConnection.readLine()");
        if (paced(t, 1)) {
            t.yieldNow();
        }
        claimRead(t, "TcpConnection.readLine()");
        try {
            return takeLine(nextLine(t), charset);
        } finally {
            endRead(t);
        }
    }

    /**
     * Reads a line as bytes: everything up to the next {@code \n} (a {@code \r} right before it is
     * dropped too), without its end, for protocols whose lines are not text in one charset. The
     * last line of the stream may have no end.
     *
     * @return the line's bytes, or {@code null} at the end of the stream
     * @throws IOException if a line is longer than {@link #MAX_LINE} bytes
     * @throws IllegalStateException if another task is reading the connection, or the connection
     *     belongs to another loop
     */
    @Suspendable
    public byte[] readLineBytes() throws IOException {
        LoopTask<?> t = user("TcpConnection.readLineBytes()");
        if (paced(t, 1)) {
            t.yieldNow();
        }
        claimRead(t, "TcpConnection.readLineBytes()");
        try {
            int len = nextLine(t);
            if (len < 0) {
                return null;
            }
            int from = in.arrayOffset() + in.position();
            byte[] line = Arrays.copyOfRange(in.array(), from, from + len);
            in.position(in.position() + len + lineEnd);
            return line;
        } finally {
            endRead(t);
        }
    }

    /** The line {@link #nextLine} found ({@code len} bytes, -1 for none), decoded, and taken out of the buffer. */
    private String takeLine(int len, Charset charset) {
        if (len < 0) {
            return null;
        }
        String line = new String(in.array(), in.arrayOffset() + in.position(), len, charset);
        in.position(in.position() + len + lineEnd);
        return line;
    }

    private void checkLineCharset(Charset charset) {
        Objects.requireNonNull(charset, "charset");
        if (charset.equals(lineCharset)) {
            return;
        }
        if (!charset.canEncode() || !Arrays.equals("\r\n".getBytes(charset), new byte[] {'\r', '\n'})) {
            throw new IllegalArgumentException("readLine(" + charset + ") cannot find the ends of lines: " + charset
                    + " does not write \\r and \\n as the single bytes 13 and 10; read bytes (read, readExactly)"
                    + " and decode them with the charset instead");
        }
        lineCharset = charset;
    }

    /**
     * Finds the next line in the buffer, reading more as needed: returns the length of its content,
     * which starts at {@code in.position()}, with {@link #lineEnd} set to its terminator's length;
     * or -1 at the end of the stream.
     */
    @Suspendable
    private int nextLine(LoopTask<?> t) throws IOException {
        int scanned = 0;
        int len;
        while ((len = scanLine(scanned)) < 0) {
            scanned = in.remaining();
            if (eof || fill(t) < 0) {
                return lastLine();
            }
            if (paced(t, 0)) { // a line that takes many reads: let the others run when the budget is spent
                t.yieldNow();
            }
        }
        return len;
    }

    /** Looks for the end of a line in the buffer, past the {@code scanned} bytes seen already: as {@link #nextLine}, or -1. */
    private int scanLine(int scanned) {
        int start = in.position();
        for (int i = start + scanned; i < in.limit(); i++) {
            if (in.get(i) == '\n') {
                boolean cr = i > start && in.get(i - 1) == '\r';
                lineEnd = cr ? 2 : 1;
                return i - start - (cr ? 1 : 0);
            }
        }
        return -1;
    }

    /** At the end of the stream: what is left is the last line, without an end (-1 if nothing is left). */
    private int lastLine() {
        if (!in.hasRemaining()) {
            return -1;
        }
        lineEnd = 0;
        return in.remaining();
    }

    /** Reads into {@code dst}: from the buffer if it holds bytes, else from the socket; -1 at the end. */
    @Suspendable
    private int readSome(LoopTask<?> t, ByteBuffer dst) throws IOException {
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
                } else {
                    spend(t, n);
                }
                return n;
            }
            Async.readable(channel);
        }
    }

    /** Reads more bytes into the buffer, growing it when full: how many, or -1 at the end of the stream. */
    @Suspendable
    private int fill(LoopTask<?> t) throws IOException {
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
                    return -1;
                }
                if (n > 0) {
                    spend(t, n);
                    return n;
                }
                Async.readable(channel);
            }
        } finally {
            lim = in.position();
            in.limit(lim).position(pos);
        }
    }

    /**
     * The start of every read, after the loop check and the budget ({@link #user}, {@link #paced}):
     * the claim of the read side.
     */
    private void claimRead(LoopTask<?> t, String what) {
        if (t != null) {
            if (reader != null) {
                throw new IllegalStateException("task " + t + " called " + what + " on " + this + " while task " + reader
                        + " is reading it: two tasks cannot read one connection at once (which of them would get the"
                        + " next bytes?); let one task do the reading and hand what it reads to the others");
            }
            reader = t;
        }
    }

    private void endRead(LoopTask<?> t) {
        if (t != null) {
            reader = null;
        }
    }

    // ---- writing ----------------------------------------------------------------------------------

    /**
     * Writes all of {@code src}, suspending while the socket's send buffer is full. Writes from
     * several tasks go out whole and in the order they were called (FIFO); while another task's
     * write is under way, this one waits for its turn (a cancellation point: cancelled there, it
     * writes nothing).
     *
     * @throws IllegalStateException if the connection belongs to another loop
     */
    @Suspendable
    public void write(ByteBuffer src) throws IOException {
        LoopTask<?> t = user("TcpConnection.write()");
        if (t == null) {
            writeAll(null, src);
            return;
        }
        if (paced(t, 1)) {
            t.yieldNow();
        }
        if (writer == null) {
            writer = t; // nobody writes: the turn at once (the common case, without a suspendable call)
        } else {
            waitForWriteTurn(t);
        }
        try {
            writeAll(t, src);
        } finally {
            passWriteTurn();
        }
    }

    /** Writes all of {@code bytes}, as {@link #write(ByteBuffer)}. */
    @Suspendable
    public void write(byte[] bytes) throws IOException {
        write(ByteBuffer.wrap(bytes));
    }

    /** Writes {@code text} as UTF-8, as {@link #write(ByteBuffer)}. */
    @Suspendable
    public void write(String text) throws IOException {
        write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Suspendable
    private void writeAll(LoopTask<?> t, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            int n = channel.write(src);
            if (n == 0) {
                Async.writable(channel);
            } else if (paced(t, n >>> BYTES_PER_UNIT_SHIFT) && src.hasRemaining()) {
                t.yieldNow(); // a long write: let the others run when the budget is spent
            }
        }
    }

    /** Waits for the turn to write, which another task has: after the tasks that asked before. */
    @Suspendable
    private void waitForWriteTurn(LoopTask<?> t) {
        if (writers == null) {
            writers = new WaiterQueue<>();
        }
        try {
            t.park(new WriteTurn(t));
        } catch (RuntimeException | Error e) { // cancelled: after the turn was handed over, pass it on
            if (writer == t) {
                passWriteTurn();
            }
            throw e;
        }
    }

    /** Ends the current turn: hands it to the oldest waiting task, if any. */
    private void passWriteTurn() {
        TurnNode next = writers == null ? null : writers.poll();
        if (next == null) {
            writer = null;
            return;
        }
        writer = next.turn.task;
        next.turn.task.wake(next.turn);
    }

    /** A task waiting for its turn to write. */
    private final class WriteTurn extends Wait {
        final TurnNode node = new TurnNode(this);

        WriteTurn(LoopTask<?> task) {
            super(task);
        }

        @Override
        protected void arm() {
            writers.add(node);
        }

        @Override
        protected void abort() {
            writers.remove(node);
        }

        @Override
        public String describe() {
            return "its turn to write to " + TcpConnection.this + " (after task " + writer + ")";
        }
    }

    /** A waiting turn's place in {@link #writers}. */
    private static final class TurnNode extends WaiterQueue.Node {
        final WriteTurn turn;

        TurnNode(WriteTurn turn) {
            this.turn = turn;
        }
    }

    // ---- loops and budget -------------------------------------------------------------------------

    /**
     * The task calling {@code what}, or {@code null} in plain code; binds the connection to the
     * task's loop on first use, and refuses a task of another loop (or plain code once bound).
     */
    private LoopTask<?> user(String what) {
        LoopTask<?> t = LoopTask.current(what);
        EventLoop o = owner;
        if (t == null) {
            if (o != null && !(o.isClosed() && OWNER.compareAndSet(this, o, null))) {
                throw new IllegalStateException(what + " was called on " + this + " by thread " + Thread.currentThread().getName()
                        + ", which runs no event loop, but the connection belongs to " + o.name()
                        + ": use it from a task of that loop (" + o.name() + ".spawn(...))");
            }
            return null;
        }
        EventLoop mine = t.host().loop();
        if (o != mine && (o = bind(o, mine)) != mine) {
            throw new IllegalStateException("task " + t + " called " + what + " on " + this + ", which belongs to "
                    + o.name() + " (the loop of its first user), not to " + mine.name() + ": a connection's reads and"
                    + " writes run in tasks of one loop; do them in a task of " + o.name() + " (" + o.name()
                    + ".spawn(...)), or hand the data over to one");
        }
        return t;
    }

    /**
     * Makes {@code mine} the owner if the connection has none (or its owner has ended); returns the
     * owner then, {@code mine} or the loop that keeps it.
     */
    private EventLoop bind(EventLoop seen, EventLoop mine) {
        EventLoop o = seen;
        while (o == null || o.isClosed()) {
            if (OWNER.compareAndSet(this, o, mine)) {
                return mine;
            }
            o = owner;
        }
        return o;
    }

    /** Spends the budget for {@code bytes} moved; the next operation yields if it is spent. */
    private static void spend(LoopTask<?> t, int bytes) {
        if (t != null) {
            t.spendBudget(bytes >>> BYTES_PER_UNIT_SHIFT);
        }
    }

    /**
     * Spends {@code units} of the budget: {@code true} when it is spent, and the caller must then
     * {@linkplain LoopTask#yieldNow() yield}, so that every other ready task runs once. (Not a
     * suspendable method itself: the common case costs no instrumented call.)
     */
    private static boolean paced(LoopTask<?> t, int units) {
        return t != null && t.spendBudget(units);
    }

    // ---- the rest ---------------------------------------------------------------------------------

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

    /**
     * Closes the connection, from any task or thread; bytes still buffered for reading are dropped.
     * A task waiting on the connection then gets {@link java.nio.channels.ClosedChannelException}.
     */
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
