package io.bobbin.demo;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import io.bobbin.net.TcpConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Step 8, the other side: a load generator for {@code echo-server}. N connections on loopback, each
 * a task that sends M requests one after another and checks each answer; all N on one thread. It
 * prints a live progress line, then the requests per second and the latency percentiles. It is
 * bounded in count ({@code N * M}) and in time ({@code --seconds}), and exits with 1 if any request
 * went unanswered.
 */
final class LoadDemo implements Demo {
    private static final long MAX_REQUESTS = 10_000_000;

    /** Shared by the tasks, touched only on the loop's thread. */
    private long[] latencies; // nanoseconds, one per answered request
    private int answered;
    private final List<String> problems = new ArrayList<>();

    @Override
    public String name() {
        return "load";
    }

    @Override
    public String summary() {
        return "a load generator for echo-server: N connections x M requests, requests/s and latency percentiles";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--port", "P", "the echo server's port on 127.0.0.1 (default 7000)"),
                Option.valued("--connections", "N", "connections, each a task (default 50)"),
                Option.valued("--requests", "M", "requests sent on each connection, one at a time (default 200)"),
                Option.valued("--seconds", "S", "give up after S seconds (default 30)"),
                Option.flag("--shutdown", "send '/shutdown' to the server at the end, to stop it"));
    }

    /** One connection: M requests, each written and its echo read back, the way blocking code would. */
    @Suspendable
    void client(InetSocketAddress server, int id, int requests) {
        try (TcpConnection conn = TcpConnection.connect(server)) {
            for (int r = 1; r <= requests; r++) {
                String request = "request " + r + " of connection " + id;
                long start = System.nanoTime();
                conn.write(request + "\n");
                String answer = conn.readLine(); // suspends; the other connections go on
                if (answer == null) {
                    problem("connection " + id + ": the server closed it after " + (r - 1) + " answers");
                    return;
                }
                if (!answer.equals(request)) {
                    problem("connection " + id + ": sent '" + request + "', got '" + answer + "'");
                    return;
                }
                latencies[answered++] = System.nanoTime() - start;
            }
        } catch (IOException e) {
            problem("connection " + id + ": " + e);
        }
    }

    private void problem(String what) {
        if (problems.size() < 10) {
            problems.add(what);
        }
    }

    @Override
    public int run(Args args) throws Exception {
        int port = args.getInt("--port", 7000, 1, 65535);
        int connections = args.getInt("--connections", 50, 1, 10_000);
        int requests = args.getInt("--requests", 200, 1, 1_000_000);
        int seconds = args.getInt("--seconds", 30, 1, 3600);
        long total = (long) connections * requests;
        if (total > MAX_REQUESTS) {
            throw new Args.UsageException("--connections x --requests must be at most " + MAX_REQUESTS + ", got " + total);
        }
        latencies = new long[(int) total];
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        boolean live = Terminal.isInteractive(); // a progress line that rewrites itself, or plain lines
        System.out.println("load: " + connections + " connections x " + requests + " requests to "
                + server.getAddress().getHostAddress() + ":" + port + ", at most " + seconds + " s");
        long start = System.nanoTime();
        boolean timedOut = EventLoop.run(() -> {
            List<Task<Void>> clients = new ArrayList<>();
            for (int c = 1; c <= connections; c++) {
                int id = c;
                clients.add(Async.spawn(() -> { client(server, id, requests); return null; }));
            }
            Task<Void> progress = Async.spawn(() -> {
                while (true) {
                    Async.sleep(Duration.ofMillis(250));
                    printProgress(live, start, total);
                }
            });
            boolean late = false;
            try {
                Async.withTimeout(Duration.ofSeconds(seconds), () -> {
                    for (Task<Void> t : clients) {
                        t.join();
                    }
                    return null;
                });
            } catch (TimeoutException e) {
                late = true; // the clients still running are cancelled as the loop ends
            }
            progress.cancel();
            printProgress(live, start, total); // the last state, even for a run shorter than one period
            if (live) {
                System.out.println();
            }
            return late;
        });
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (timedOut) {
            problem("gave up after " + seconds + " s");
        }
        for (String p : problems) {
            System.out.println("problem: " + p);
        }
        long[] done = Arrays.copyOf(latencies, answered);
        Arrays.sort(done);
        System.out.printf("%d of %d requests answered in %.2f s: %.0f requests/s, on one thread%n",
                answered, total, elapsed, answered / elapsed);
        if (answered > 0) {
            System.out.printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
                    percentile(done, 50), percentile(done, 90), percentile(done, 99), percentile(done, 99.9),
                    done[done.length - 1] / 1e6);
        }
        if (args.flag("--shutdown")) {
            shutdown(server);
        }
        if (answered < total) {
            System.out.println("FAILED: " + (total - answered) + " requests went unanswered");
            return 1;
        }
        return 0;
    }

    /** The {@code p}th percentile of sorted nanoseconds, in milliseconds (nearest rank). */
    static double percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /** Asks the server to stop; plain code, outside any loop: {@code Async} calls simply block here. */
    static void shutdown(InetSocketAddress server) {
        try (TcpConnection conn = TcpConnection.connect(server)) {
            conn.write("/shutdown\n");
            System.out.println("asked the server to shut down: " + conn.readLine());
        } catch (IOException e) {
            System.out.println("could not ask the server to shut down: " + e.getMessage());
        }
    }

    private void printProgress(boolean live, long start, long total) {
        double s = (System.nanoTime() - start) / 1e9;
        String line = String.format("progress: %d/%d answered (%d%%), %.0f requests/s",
                answered, total, answered * 100 / total, answered / s);
        System.out.print(live ? "\r" + line : line + "\n");
        System.out.flush();
    }
}
