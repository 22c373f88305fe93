package io.bobbin.net;

import io.bobbin.Async;
import io.bobbin.EventLoopGroup;
import io.bobbin.Suspendable;
import io.bobbin.SuspendableCallable;
import io.bobbin.Task;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A listening TCP socket that accepts connections without blocking its loop, and
 * {@linkplain #serve serves} each one in a task of its own.
 *
 * <pre>{@code
 * try (TcpServer server = TcpServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 7000))) {
 *     server.serve(conn -> {
 *         for (String line; (line = conn.readLine()) != null; ) {
 *             conn.write(line + "\n");
 *         }
 *     });
 * }
 * }</pre>
 *
 * <p>{@link #serve(EventLoopGroup, Handler)} spreads the connections over the loops of an
 * {@link EventLoopGroup} instead: the accepting stays in the calling task.
 *
 * <p>{@link #close()} stops the accepting: {@code serve} then returns normally. Connections being
 * served go on until their handlers end.
 */
public final class TcpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.bobbin.net.TcpServer");

    /** What the server runs for each connection, in a task of its own; the connection is closed after it. */
    @FunctionalInterface
    public interface Handler {
        @Suspendable
        void handle(TcpConnection connection) throws Exception;
    }

    private final ServerSocketChannel channel;

    private TcpServer(ServerSocketChannel channel) {
        this.channel = channel;
    }

    /** Binds a server to {@code address} (port 0 picks a free port); does not block. */
    public static TcpServer bind(SocketAddress address) throws IOException {
        return bind(address, 0);
    }

    /** Binds a server to {@code address} with an accept backlog ({@code 0} for the system's default). */
    public static TcpServer bind(SocketAddress address, int backlog) throws IOException {
        Objects.requireNonNull(address, "address");
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.bind(address, backlog);
            ch.configureBlocking(false);
            return new TcpServer(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The address the server listens on (with the port it got for port 0). */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /**
     * Waits for the next connection.
     *
     * @throws ClosedChannelException if the server is (or gets) closed
     */
    @Suspendable
    public TcpConnection accept() throws IOException {
        while (true) {
            SocketChannel c = channel.accept();
            if (c != null) {
                return TcpConnection.of(c);
            }
            Async.readable(channel);
        }
    }

    /**
     * Accepts connections and runs {@code handler} for each in a task of its own (spawned on the
     * calling task's loop), closing the connection when the handler ends. A handler's failure is
     * logged (through {@link System.Logger} {@code io.bobbin.net.TcpServer}) and stops nothing.
     * Returns when the server is closed; a cancellation of the calling task stops the accepting.
     *
     * @throws IllegalStateException outside a task of an event loop
     */
    @Suspendable
    public void serve(Handler handler) throws IOException {
        serve(null, handler);
    }

    /**
     * Accepts connections in the calling task and runs {@code handler} for each as a task spawned
     * with {@link EventLoopGroup#spawn}, so that the connections spread over the group's loops by
     * load; each connection's channel is registered with the selector of the loop that runs its task.
     * Otherwise as {@link #serve(Handler)}: the connection is closed when its handler ends, a
     * handler's failure is logged, and this returns normally once the server is closed.
     *
     * @param group the loops that run the connections' tasks; {@code null}: the calling task's loop
     * @throws IllegalStateException outside a task of an event loop
     * @throws java.util.concurrent.RejectedExecutionException if the group has ended (the connection
     *     just accepted is closed)
     */
    @Suspendable
    public void serve(EventLoopGroup group, Handler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        if (Async.currentTask() == null) {
            throw new IllegalStateException("TcpServer.serve() runs in a task of an event loop");
        }
        while (true) {
            TcpConnection conn;
            try {
                conn = accept();
            } catch (ClosedChannelException e) {
                if (!channel.isOpen()) {
                    return;
                }
                throw e;
            }
            SocketAddress remote = remoteAddressOf(conn); // now: once the connection is closed, it is gone
            Task<Void> t = spawn(group, conn, () -> {
                try (conn) {
                    handler.handle(conn);
                }
                return null;
            });
            t.whenDone(ended -> {
                Throwable failure = failureOf(ended);
                if (failure != null) {
                    String peer = remote != null ? remote.toString() : "a peer whose address is unknown";
                    LOG.log(System.Logger.Level.WARNING,
                            "the handler of the connection from " + peer + " (task " + ended + ") failed", failure);
                }
            });
        }
    }

    /** The peer's address, or {@code null} if it cannot be known (the peer is gone already). */
    private static SocketAddress remoteAddressOf(TcpConnection conn) {
        try {
            return conn.remoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** Spawns a connection's task on {@code group}, or on the current loop; closes the connection if that fails. */
    private static Task<Void> spawn(EventLoopGroup group, TcpConnection conn, SuspendableCallable<Void> body) throws IOException {
        try {
            return group == null ? Async.spawn(body) : group.spawn(body);
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /** The exception an ended task failed with, or {@code null} if it succeeded or was cancelled. */
    private static Throwable failureOf(Task<?> t) {
        if (t.isCancelled()) {
            return null;
        }
        try {
            return t.exceptionNow();
        } catch (IllegalStateException succeeded) {
            return null;
        }
    }

    /** Spawns {@link #serve} as a task of the current loop and returns it. */
    public Task<Void> start(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        return Async.spawn(() -> {
            serve(handler);
            return null;
        });
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Stops accepting; {@link #serve} returns. Connections already accepted are left alone. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
