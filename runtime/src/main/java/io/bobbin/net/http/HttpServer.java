package io.bobbin.net.http;

import io.bobbin.EventLoopGroup;
import io.bobbin.Suspendable;
import io.bobbin.net.TcpConnection;
import io.bobbin.net.TcpServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP/1.1 server: each connection in a task of its own, written as plain blocking-style code, on
 * one loop or spread over an {@link EventLoopGroup}.
 *
 * <pre>{@code
 * HttpServer http = new HttpServer(request -> HttpResponse.text(200, "hello\n"));
 * try (EventLoopGroup group = EventLoopGroup.start();
 *      TcpServer tcp = TcpServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080), 1024)) {
 *     group.spawn(() -> { http.serve(tcp, group); return null; }).join();
 * }
 * }</pre>
 *
 * <h2>What it does</h2>
 * <ul>
 *   <li>Persistent connections (HTTP/1.1 keep-alive; HTTP/1.0 with {@code Connection: keep-alive});
 *       pipelined requests are answered in order, their answers written together.</li>
 *   <li>Request bodies with {@code Content-Length} or {@code Transfer-Encoding: chunked};
 *       {@code Expect: 100-continue} is answered before the body is read.</li>
 *   <li>Clear errors, each followed by closing the connection: {@code 400} for a malformed request
 *       (request line, header field, {@code Content-Length}, chunk, missing {@code Host}, both
 *       {@code Content-Length} and {@code Transfer-Encoding}), {@code 413} for a body over
 *       {@link #maxBodyBytes(int)}, {@code 414}/{@code 431} for a request line / header fields over
 *       {@link #maxHeaderBytes(int)}, {@code 408} for a request that stalls longer than the idle
 *       timeout, {@code 417}, {@code 501}, {@code 505}. The body says what was wrong.</li>
 *   <li>A connection idle longer than {@link #idleTimeout(Duration)} between requests is closed;
 *       past {@link #maxConnections(int)} open connections a new one is answered {@code 503} and
 *       closed.</li>
 *   <li>An exception from the handler is answered {@code 500} and logged (through
 *       {@link System.Logger} {@code io.bobbin.net.http.HttpServer}); the connection goes on.</li>
 * </ul>
 *
 * <p>Threads: the settings are made before the server serves; {@link #serve} and {@link #handle} run
 * in tasks (any number at once, on any loops); the counters may be read from any thread.
 */
public final class HttpServer {
    private static final System.Logger LOG = System.getLogger("io.bobbin.net.http.HttpServer");

    private final HttpHandler handler;
    private int maxHeaderBytes = 8192;
    private int maxBodyBytes = 1 << 20;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private int maxConnections = 10_000;

    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder connections = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    /** A server that answers every request with {@code handler}. */
    public HttpServer(HttpHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** The most bytes a request line and its header fields may take; default 8192. Larger: 414 or 431. */
    public HttpServer maxHeaderBytes(int max) {
        if (max < 256) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 256, not " + max);
        }
        this.maxHeaderBytes = max;
        return this;
    }

    /** The largest request body accepted, in bytes; default 1 MiB. Larger: 413. */
    public HttpServer maxBodyBytes(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxBodyBytes must not be negative, not " + max);
        }
        this.maxBodyBytes = max;
        return this;
    }

    /** How long a connection may stay silent (between requests, or in the middle of one); default 30 s. */
    public HttpServer idleTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, not " + timeout);
        }
        this.idleTimeout = timeout;
        return this;
    }

    /** The most connections served at once; default 10,000. Past it a connection is answered 503 and closed. */
    public HttpServer maxConnections(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + max);
        }
        this.maxConnections = max;
        return this;
    }

    /**
     * Accepts connections from {@code server} in the calling task and serves each in a task spawned on
     * {@code group} ({@code null}: on the calling task's loop), until {@code server} is closed; then
     * returns normally.
     *
     * @throws IllegalStateException outside a task of an event loop
     */
    @Suspendable
    public void serve(TcpServer server, EventLoopGroup group) throws IOException {
        Objects.requireNonNull(server, "server");
        server.serve(group, this::handle);
    }

    /** Serves one connection until it is closed (by either side); usable as a {@link TcpServer.Handler}. */
    @Suspendable
    public void handle(TcpConnection connection) throws IOException {
        connections.increment();
        int openNow = open.incrementAndGet();
        try {
            HttpConnection c = new HttpConnection(this, connection);
            if (openNow > maxConnections) {
                rejected.increment();
                c.reject();
            } else {
                c.serve();
            }
        } finally {
            open.decrementAndGet();
        }
    }

    /** Connections being served now. */
    public int openConnections() {
        return open.get();
    }

    /** Connections accepted so far (those answered 503 included). */
    public long connections() {
        return connections.sum();
    }

    /** Requests answered so far (error answers included). */
    public long requests() {
        return requests.sum();
    }

    /** Connections answered 503 because {@link #maxConnections(int)} were open. */
    public long rejectedConnections() {
        return rejected.sum();
    }

    HttpHandler handler() {
        return handler;
    }

    int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    int maxBodyBytes() {
        return maxBodyBytes;
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    int maxConnections() {
        return maxConnections;
    }

    void answered() {
        requests.increment();
    }

    void handlerFailed(HttpRequest request, Exception e) {
        LOG.log(System.Logger.Level.WARNING, "the handler failed on " + request + "; answered 500", e);
    }
}
