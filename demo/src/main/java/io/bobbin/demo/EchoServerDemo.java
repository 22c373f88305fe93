package io.bobbin.demo;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import io.bobbin.net.TcpConnection;
import io.bobbin.net.TcpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Step 8: a real TCP server. A line echo server on loopback, one task per connection, each written
 * as the plain blocking loop "read a line, write it back"; all of them on one thread. It stops after
 * {@code --seconds}, or sooner when a client sends the line {@code /shutdown}. Try it with
 * {@code load}, or by hand: {@code nc 127.0.0.1 7000}.
 */
final class EchoServerDemo implements Demo {
    /** How many connections are printed one by one; the others are only counted. */
    private static final int SHOWN = 5;

    /** Counters, touched only on the loop's thread. */
    private int connections;
    private int open;
    private long echoed;

    @Override
    public String name() {
        return "echo-server";
    }

    @Override
    public String summary() {
        return "a TCP line echo server on 127.0.0.1, one task per connection (try it with 'load')";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--port", "P", "the port to listen on, 0 for any free one (default 7000)"),
                Option.valued("--seconds", "S", "stop after S seconds (default 60); a client line '/shutdown' stops it sooner"));
    }

    /** One connection: the whole "protocol", written as plain blocking-style code. */
    @Suspendable
    void serve(TcpConnection conn, CompletableFuture<String> stop, Stopwatch clock) throws IOException {
        int id = ++connections;
        open++;
        if (id <= SHOWN) {
            System.out.println(clock.stamp() + "  connection " + id + " from " + conn.remoteAddress());
        } else if (id == SHOWN + 1) {
            System.out.println(clock.stamp() + "  (more connections: counted, not shown one by one)");
        }
        long lines = 0;
        try {
            for (String line; (line = conn.readLine()) != null; ) { // suspends until a line is in
                if (line.equals("/shutdown")) {
                    conn.write("bye\n");
                    stop.complete("connection " + id + " asked for it");
                    break;
                }
                conn.write(line + "\n"); // suspends while the socket's buffer is full
                lines++;
                echoed++;
            }
        } catch (IOException e) {
            System.out.println(clock.stamp() + "  connection " + id + ": " + e.getMessage());
        } finally {
            open--;
        }
        if (id <= SHOWN) {
            System.out.println(clock.stamp() + "  connection " + id + " closed after " + lines + " lines");
        }
    }

    @Override
    public int run(Args args) throws Exception {
        int port = args.getInt("--port", 7000, 0, 65535);
        int seconds = args.getInt("--seconds", 60, 1, 24 * 3600);
        Stopwatch clock = new Stopwatch();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        TcpServer server;
        try {
            server = TcpServer.bind(address, 1024);
        } catch (BindException e) {
            System.err.println("echo-server: cannot listen on " + address.getAddress().getHostAddress() + ":" + port + ": " + e.getMessage());
            return 1;
        }
        EventLoop.run(() -> {
            CompletableFuture<String> stop = new CompletableFuture<>();
            try (server) {
                InetSocketAddress bound = server.localAddress();
                System.out.println("listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort()
                        + " for " + seconds + " s (a client line '/shutdown' stops it sooner)");
                System.out.flush();
                server.start(conn -> serve(conn, stop, clock)); // accepts, and spawns a task per connection
                Task<Void> status = Async.spawn(() -> {
                    long shown = 0;
                    while (true) {
                        Async.sleep(Duration.ofSeconds(1));
                        if (echoed != shown) {
                            shown = echoed;
                            System.out.println(clock.stamp() + "  " + connections + " connections so far, " + open
                                    + " open, " + echoed + " lines echoed");
                        }
                    }
                });
                String why;
                try {
                    why = Async.withTimeout(Duration.ofSeconds(seconds), () -> Async.await(stop));
                } catch (TimeoutException e) {
                    why = seconds + " s are up";
                }
                status.cancel();
                System.out.println(clock.stamp() + "  stopping: " + why);
            }
            return null; // the connection tasks still running are cancelled as the loop ends
        });
        System.out.println("served " + connections + " connections and echoed " + echoed + " lines; " + open + " were still open");
        return 0;
    }
}
