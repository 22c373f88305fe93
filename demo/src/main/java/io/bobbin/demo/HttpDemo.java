package io.bobbin.demo;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.EventLoopGroup;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import io.bobbin.net.TcpServer;
import io.bobbin.net.http.HttpRequest;
import io.bobbin.net.http.HttpResponse;
import io.bobbin.net.http.HttpServer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Step 9: an HTTP/1.1 server on all cores. {@link HttpServer} ({@code io.bobbin.net.http}) serves
 * each connection in a task of its own, spread over the loops of an {@link EventLoopGroup} (one per
 * processor, or {@code --loops N}; {@code --loops 1} is one loop on one thread). Each route is plain
 * blocking-style code: one sleeps on its loop's timers, one blocks on the loop's pool. Try it with
 * {@code curl} and {@code wrk}.
 */
final class HttpDemo implements Demo {
    private static final byte[] HELLO = "Hello, world!\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String name() {
        return "http";
    }

    @Override
    public String summary() {
        return "an HTTP/1.1 server on 127.0.0.1, its connections spread over a loop per core (try it with curl or wrk)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--port", "P", "the port to listen on, 0 for any free one (default 8080)"),
                Option.valued("--loops", "N", "event loops, each on a thread of its own (default: one per processor; 1: one loop)"),
                Option.valued("--seconds", "S", "stop after S seconds (default 60); POST /shutdown stops it sooner"),
                Option.valued("--max-connections", "N", "connections served at once; past it a connection gets 503 (default 10000)"),
                Option.valued("--idle-seconds", "S", "close a connection silent for S seconds (default 30)"),
                Option.valued("--max-body", "BYTES", "the largest request body; larger gets 413 (default 1048576)"),
                Option.valued("--max-header", "BYTES", "the largest request head; larger gets 431 (default 8192)"));
    }

    /** The routes: each request is handled by plain code in its connection's task. */
    @Suspendable
    static HttpResponse route(HttpRequest r, CompletableFuture<String> stop) throws Exception {
        String path = r.path();
        switch (path) {
            case "/":
            case "/hello":
                return allow(r, "GET", () -> HttpResponse.of(200, "text/plain", HELLO));
            case "/echo":
                return allow(r, "POST", () -> HttpResponse.of(200, contentType(r), r.body()));
            case "/sleep":
                return allow(r, "GET", () -> {
                    long ms = millis(r);
                    Async.sleep(Duration.ofMillis(ms)); // the loop's timers: the thread serves others meanwhile
                    return HttpResponse.text(200, "slept " + ms + " ms on " + EventLoop.current().name() + "\n");
                });
            case "/blocking":
                return allow(r, "GET", () -> {
                    long ms = millis(r);
                    String worker = Async.blocking(() -> { // a blocking call, on the loop's pool
                        Thread.sleep(ms);
                        return Thread.currentThread().getName();
                    });
                    return HttpResponse.text(200, "blocked " + ms + " ms on " + worker + ", answered on "
                            + EventLoop.current().name() + "\n");
                });
            case "/loop":
                return allow(r, "GET", () -> HttpResponse.text(200, EventLoop.current().name() + "\n"));
            case "/shutdown":
                return allow(r, "POST", () -> {
                    stop.complete("POST /shutdown");
                    return HttpResponse.text(200, "bye\n");
                });
            default:
                return HttpResponse.text(404, "404 Not Found: no route " + path
                        + "; try /hello, /echo (POST), /sleep?ms=N, /blocking?ms=N, /loop, /shutdown (POST)\n");
        }
    }

    @FunctionalInterface
    interface Route {
        @Suspendable
        HttpResponse answer() throws Exception;
    }

    @Suspendable
    static HttpResponse allow(HttpRequest r, String method, Route route) throws Exception {
        if (r.method().equals(method) || (method.equals("GET") && r.method().equals("HEAD"))) {
            return route.answer();
        }
        return HttpResponse.text(405, "405 Method Not Allowed: " + r.path() + " takes " + method + ", not " + r.method() + "\n")
                .header("Allow", method.equals("GET") ? "GET, HEAD" : method);
    }

    private static String contentType(HttpRequest r) {
        String t = r.header("Content-Type");
        return t != null ? t : "application/octet-stream";
    }

    private static long millis(HttpRequest r) throws BadParameter {
        String v = r.queryParameter("ms");
        try {
            long ms = v == null ? 100 : Long.parseLong(v);
            if (ms >= 0 && ms <= 10_000) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadParameter("ms must be a number of milliseconds between 0 and 10000, not '" + v + "'");
    }

    /** A bad query parameter: answered 400 by {@link #handler}. */
    static final class BadParameter extends Exception {
        private static final long serialVersionUID = 1L;

        BadParameter(String message) {
            super(message);
        }
    }

    @Override
    public int run(Args args) throws Exception {
        int port = args.getInt("--port", 8080, 0, 65535);
        int loops = args.getInt("--loops", Runtime.getRuntime().availableProcessors(), 1, 256);
        int seconds = args.getInt("--seconds", 60, 1, 24 * 3600);
        int maxConnections = args.getInt("--max-connections", 10_000, 1, 1_000_000);
        int idleSeconds = args.getInt("--idle-seconds", 30, 1, 3600);
        int maxBody = args.getInt("--max-body", 1 << 20, 0, Integer.MAX_VALUE - 16);
        int maxHeader = args.getInt("--max-header", 8192, 256, 1 << 20);
        Stopwatch clock = new Stopwatch();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        TcpServer tcp;
        try {
            tcp = TcpServer.bind(address, 4096);
        } catch (BindException e) {
            System.err.println("http: cannot listen on " + address.getAddress().getHostAddress() + ":" + port + ": " + e.getMessage());
            return 1;
        }
        CompletableFuture<String> stop = new CompletableFuture<>();
        HttpServer http = new HttpServer(r -> {
            try {
                return route(r, stop);
            } catch (BadParameter e) {
                return HttpResponse.text(400, "400 Bad Request: " + e.getMessage() + "\n");
            }
        }).maxConnections(maxConnections).idleTimeout(Duration.ofSeconds(idleSeconds)).maxBodyBytes(maxBody)
                .maxHeaderBytes(maxHeader);
        AtomicLongArray perLoop = new AtomicLongArray(loops);
        try (EventLoopGroup group = EventLoopGroup.start(loops)) {
            InetSocketAddress bound = tcp.localAddress();
            System.out.println("listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort() + " with "
                    + loops + (loops == 1 ? " loop" : " loops") + " for " + seconds + " s (POST /shutdown stops it sooner)");
            System.out.println("try: curl http://127.0.0.1:" + bound.getPort() + "/hello   or   wrk -c 100 -d 5s http://127.0.0.1:"
                    + bound.getPort() + "/hello");
            System.out.flush();
            // The accepting runs in a task of the group; each connection is a task placed by load.
            Task<Void> accepting = group.spawn(() -> {
                tcp.serve(group, conn -> {
                    perLoop.incrementAndGet(group.loops().indexOf(EventLoop.current()));
                    http.handle(conn);
                });
                return null;
            });
            Thread status = new Thread(() -> reportEverySecond(http, clock), "http-status");
            status.setDaemon(true);
            status.start();
            String why;
            try {
                why = stop.get(seconds, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                why = seconds + " s are up";
            }
            status.interrupt();
            System.out.println(clock.stamp() + "  stopping: " + why);
            tcp.close();
            accepting.cancel(); // the close is seen by the selector within a second; do not wait for it
            try {
                accepting.join();
            } catch (CancellationException e) {
                // stopped
            }
        } // closing the group cancels the connections still open
        System.out.println("served " + http.connections() + " connections and answered " + http.requests() + " requests"
                + (http.rejectedConnections() > 0 ? " (" + http.rejectedConnections() + " connections turned away with 503)" : ""));
        StringBuilder spread = new StringBuilder("connections per loop:");
        for (int i = 0; i < loops; i++) {
            spread.append(' ').append(perLoop.get(i));
        }
        System.out.println(spread);
        return 0;
    }

    /** A status line each second while requests come in; on a thread of its own (the counters are thread-safe). */
    private static void reportEverySecond(HttpServer http, Stopwatch clock) {
        long shown = 0;
        try {
            while (true) {
                Thread.sleep(1000);
                long answered = http.requests();
                if (answered != shown) {
                    System.out.println(clock.stamp() + "  " + http.connections() + " connections so far, "
                            + http.openConnections() + " open, " + answered + " requests answered ("
                            + (answered - shown) + " in the last second)");
                    shown = answered;
                }
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }
}
