package io.bobbin.demo;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import io.bobbin.net.TcpConnection;
import io.bobbin.net.TcpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 6: steps 4 and 5 at once. Worker tasks send many small blocking jobs to the pool, while other
 * tasks wait on a pipe and on a loopback socket. One {@code select()} waits for all of it: channel
 * readiness wakes the selector by itself; a pool thread that finishes a job posts the completion to
 * the loop and wakes the selector through the loop's wakeup channel (a self-pipe). Completions that
 * arrive while the loop is already woken write nothing more: they are coalesced, and the loop picks
 * them all up in one go.
 */
final class MixedDemo implements Demo {
    @Override
    public String name() {
        return "mixed";
    }

    @Override
    public String summary() {
        return "pool and select together: pool completions wake the selector, coalesced wakeups counted";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--jobs", "N", "blocking jobs in all (default 5000)"),
                Option.valued("--workers", "W", "tasks sending jobs at once (default 16)"));
    }

    /** Counters, touched only on the loop's thread: no locks. */
    private int jobsDone;
    private int pipeLines;
    private int echoes;

    @Override
    public int run(Args args) throws Exception {
        int jobs = args.getInt("--jobs", 5000, 1, 1_000_000);
        int workers = args.getInt("--workers", 16, 1, 1000);
        EventLoop.run(() -> {
            Stopwatch clock = new Stopwatch();
            EventLoop loop = EventLoop.current();

            // The pool: workers that each run their share of small blocking jobs, one after another.
            List<Task<Void>> pool = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int share = jobs / workers + (w < jobs % workers ? 1 : 0);
                pool.add(Async.spawn(() -> {
                    for (int i = 0; i < share; i++) {
                        Async.blocking(() -> {
                            Thread.sleep(1); // a short blocking call
                            return null;
                        });
                        jobsDone++;
                    }
                    return null;
                }));
            }

            // The selector: a pipe written by a plain thread, and a loopback echo server and client.
            Pipe pipe = Pipe.open();
            Thread writer = new Thread(() -> {
                try (Pipe.SinkChannel sink = pipe.sink()) {
                    for (int i = 1; !Thread.currentThread().isInterrupted(); i++) {
                        sink.write(ByteBuffer.wrap(("line " + i + "\n").getBytes(StandardCharsets.UTF_8)));
                        Thread.sleep(20);
                    }
                } catch (IOException | InterruptedException e) {
                    // asked to stop: closing the sink ends the reader's stream
                }
            }, "pipe-writer");
            writer.start();
            Task<Void> pipeReader = Async.spawn(() -> {
                LineReader lines = new LineReader(pipe.source());
                while (lines.readLine() != null) {
                    pipeLines++;
                }
                return null;
            });
            TcpServer server = TcpServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.start(conn -> {
                for (String line; (line = conn.readLine()) != null; ) {
                    conn.write(line + "\n");
                }
            });
            Task<Void> echoClient = Async.spawn(() -> {
                try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                    while (true) {
                        c.write("ping " + echoes + "\n");
                        c.readLine();
                        echoes++;
                        Async.sleep(Duration.ofMillis(10));
                    }
                }
            });

            System.out.println(clock.stamp() + "  " + jobs + " blocking jobs from " + workers + " tasks, a pipe and a socket, on one selector");
            Task<Void> progress = Async.spawn(() -> {
                while (true) {
                    Async.sleep(Duration.ofMillis(250));
                    System.out.println(clock.stamp() + "  pool jobs done " + jobsDone + "/" + jobs + ", pipe lines " + pipeLines
                            + ", echoes " + echoes + "; wakeups written " + loop.stats().wakeups() + ", coalesced " + loop.stats().coalescedWakeups());
                }
            });
            for (Task<Void> t : pool) {
                t.join();
            }
            System.out.println(clock.stamp() + "  done: " + jobsDone + " pool jobs, " + pipeLines + " pipe lines, "
                    + echoes + " echoes, all on thread " + Thread.currentThread().getName());
            System.out.println("pool completions woke the selector through the wakeup channel: " + loop.stats().wakeups()
                    + " wakeup bytes written, " + loop.stats().coalescedWakeups() + " wakeups coalesced (the loop was already woken)");
            progress.cancel();
            echoClient.cancel();
            server.close();
            writer.interrupt(); // the writer closes the pipe; the reader reads its end
            pipeReader.join();
            return null;
        });
        return 0;
    }
}
