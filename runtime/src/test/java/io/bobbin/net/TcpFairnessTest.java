package io.bobbin.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import io.bobbin.internal.task.LoopTask;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One busy connection does not starve the other tasks of its loop: the cooperative budget. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpFairnessTest {
    static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    static final TcpServer.Handler LINE_ECHO = conn -> {
        for (String line; (line = conn.readLine()) != null; ) {
            conn.write(line + "\n");
        }
    };

    /**
     * A client streams lines to a line echo server as fast as it can (its socket is never empty, so
     * without a budget the server's task for it would never suspend), while another client does timed
     * round trips on the same server: every round trip stays short. (Without the budget, the first
     * round trip waits for the stream to stop: the stream goes on for up to 6 s here.)
     */
    @Test
    void aClientThatKeepsStreamingDoesNotStarveTheRoundTripsOfAnother() throws Exception {
        EventLoop loop = EventLoop.builder().name("fair").start();
        TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT);
        Task<Void> serving = loop.spawn(() -> server.serve(LINE_ECHO));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong echoed = new AtomicLong();
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) (i % 100 == 99 ? '\n' : 'a' + i % 26);
        }
        long streamLimit = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        try (Socket streamer = new Socket(); Socket prober = new Socket()) {
            streamer.connect(server.localAddress());
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = streamer.getOutputStream();
                    while (!stop.get() && System.nanoTime() < streamLimit) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // the socket was closed at the end of the test
                }
            }, "streamer-writer");
            Thread drainer = new Thread(() -> {
                byte[] buf = new byte[256 * 1024];
                try (InputStream in = streamer.getInputStream()) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        echoed.addAndGet(n);
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "streamer-drainer");
            writer.start();
            drainer.start();
            while (echoed.get() < 1 << 20) { // the stream is in full swing: a MiB echoed already
                Thread.sleep(5);
            }

            prober.connect(server.localAddress());
            prober.setSoTimeout(30_000);
            PrintWriter out = new PrintWriter(prober.getOutputStream(), true, StandardCharsets.UTF_8);
            BufferedReader in = new BufferedReader(new InputStreamReader(prober.getInputStream(), StandardCharsets.UTF_8));
            long echoedBefore = echoed.get();
            long[] trips = new long[20];
            for (int i = 0; i < trips.length; i++) {
                long t0 = System.nanoTime();
                out.println("probe " + i);
                assertEquals("probe " + i, in.readLine());
                trips[i] = System.nanoTime() - t0;
                Thread.sleep(10);
            }
            long echoedDuring = echoed.get() - echoedBefore;
            boolean streamedThroughout = writer.isAlive() && System.nanoTime() < streamLimit;
            stop.set(true);
            long worst = Arrays.stream(trips).max().getAsLong();
            assertTrue(worst < TimeUnit.SECONDS.toNanos(1), "the worst round trip took "
                    + TimeUnit.NANOSECONDS.toMillis(worst) + " ms; all: " + Arrays.toString(
                            Arrays.stream(trips).map(TimeUnit.NANOSECONDS::toMillis).toArray()) + " ms");
            assertTrue(streamedThroughout, "the stream must still run when the probes end, or they prove nothing");
            // the server's task for the stream went on too (it is slowed down, not stopped)
            assertTrue(echoedDuring > 64 << 10, "the stream went on while the probes ran: " + echoedDuring + " bytes");
            writer.join(10_000);
            streamer.shutdownOutput(); // the server echoes what is left, ends its handler and closes
            drainer.join(10_000);
            assertTrue(!drainer.isAlive(), "the server closed the streamed connection after the last echo");
            server.close();
            assertEquals(null, serving.join(java.time.Duration.ofSeconds(10)), "serve returns once the server is closed");
        } finally {
            server.close();
            loop.close();
        }
    }

    /**
     * A task that reads a connection whose bytes are all there already never has to wait, yet the
     * other tasks of its loop run while it reads: it yields once its budget is spent.
     */
    @Test
    void aTaskReadingWithoutEverWaitingLetsTheOthersRunEveryBudget() throws Exception {
        int lines = 2000;
        EventLoop.run(() -> {
            try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                Task<Void> sender = Async.spawn(() -> {
                    try (TcpConnection c = server.accept()) {
                        StringBuilder all = new StringBuilder();
                        for (int i = 0; i < lines; i++) {
                            all.append("line ").append(i).append('\n');
                        }
                        c.write(all.toString());
                    }
                });
                try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                    sender.join();
                    Async.sleep(java.time.Duration.ofMillis(50)); // every byte is in the socket by now
                    long[] ticks = new long[1];
                    boolean[] reading = new boolean[1];
                    Task<Void> ticker = Async.spawn(() -> {
                        while (true) {
                            if (reading[0]) {
                                ticks[0]++;
                            }
                            Async.yieldNow();
                        }
                    });
                    Async.yieldNow(); // the ticker runs once before the reads start
                    reading[0] = true;
                    for (int i = 0; i < lines; i++) {
                        assertEquals("line " + i, c.readLine());
                    }
                    reading[0] = false;
                    ticker.cancel();
                    // one turn of the others per budget spent: about lines / BUDGET of them, never none
                    assertTrue(ticks[0] >= lines / LoopTask.BUDGET - 1, "the ticker ran " + ticks[0] + " times");
                    assertTrue(ticks[0] <= lines / (LoopTask.BUDGET / 2) + 1, "the ticker ran " + ticks[0] + " times");
                }
            }
        });
    }

    /** The same for a task that writes to a peer that keeps up: it never waits, and yet yields. */
    @Test
    void aTaskWritingWithoutEverWaitingLetsTheOthersRunEveryBudget() throws Exception {
        int lines = 2000;
        EventLoop.run(() -> {
            try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                Task<Integer> receiver = Async.spawn(() -> {
                    int n = 0;
                    try (TcpConnection c = server.accept()) {
                        while (c.readLine() != null) {
                            n++;
                        }
                    }
                    return n;
                });
                long[] ticks = new long[1];
                boolean[] writing = new boolean[1];
                Task<Void> ticker = Async.spawn(() -> {
                    while (true) {
                        if (writing[0]) {
                            ticks[0]++;
                        }
                        Async.yieldNow();
                    }
                });
                try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                    writing[0] = true;
                    for (int i = 0; i < lines; i++) {
                        c.write("line " + i + "\n"); // 2000 short lines fit in the socket's buffers
                    }
                    writing[0] = false;
                }
                ticker.cancel();
                assertEquals(lines, receiver.join());
                assertTrue(ticks[0] >= lines / LoopTask.BUDGET - 1, "the ticker ran " + ticks[0] + " times");
            }
        });
    }
}
