package io.bobbin.demo;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Step 5: waiting for I/O readiness. A non-blocking channel's read returns 0 when nothing is there;
 * then {@link Async#readable} parks the task on the loop's {@code Selector} until the channel has
 * bytes (or its end). Two readers wait at once on one thread: one on a {@link Pipe} that another
 * thread writes into, one on a loopback TCP socket that a client task writes into.
 */
final class SelectDemo implements Demo {
    @Override
    public String name() {
        return "select";
    }

    @Override
    public String summary() {
        return "tasks waiting on NIO readiness: a Pipe fed by another thread, a loopback socket";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--messages", "N", "messages sent on each channel (default 3)"),
                Option.valued("--gap", "MS", "pause between two messages (default 150)"));
    }

    /**
     * Reads {@code channel} to its end, printing what each read gets. The pattern of every
     * non-blocking read: try; if nothing is there, wait for readiness, and try again.
     */
    @Suspendable
    static <C extends SelectableChannel & ReadableByteChannel> int readAll(String who, C channel, Stopwatch clock) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(256);
        int waits = 0;
        while (true) {
            buf.clear();
            int n = channel.read(buf); // never blocks: 0 when nothing has arrived yet
            if (n == 0) {
                waits++;
                Async.readable(channel); // park this task until the selector says "readable"
                continue;
            }
            if (n < 0) {
                System.out.println(clock.stamp() + "  " + who + ": end of stream, after waiting for readiness " + waits + " times");
                return waits;
            }
            String text = new String(buf.array(), 0, n, StandardCharsets.UTF_8).strip().replace("\n", " | ");
            System.out.println(clock.stamp() + "  " + who + ": readable, read " + n + " bytes: " + text);
        }
    }

    @Override
    public int run(Args args) throws Exception {
        int messages = args.getInt("--messages", 3, 0, 1000);
        int gap = args.getInt("--gap", 150, 0, 10_000);
        EventLoop.run(() -> {
            Stopwatch clock = new Stopwatch();
            // A pipe: its sink written by a plain thread, its source read by a task.
            Pipe pipe = Pipe.open();
            pipe.source().configureBlocking(false); // Async.readable needs non-blocking channels
            Thread writer = new Thread(() -> {
                try (Pipe.SinkChannel sink = pipe.sink()) {
                    for (int i = 1; i <= messages; i++) {
                        Thread.sleep(gap);
                        System.out.println(clock.stamp() + "  writer thread: writes 'pipe message " + i + "'");
                        sink.write(ByteBuffer.wrap(("pipe message " + i + "\n").getBytes(StandardCharsets.UTF_8)));
                    }
                } catch (IOException | InterruptedException e) {
                    System.out.println("writer thread: " + e);
                }
            }, "writer");
            writer.start();
            Task<Integer> pipeReader = Async.spawn(() -> {
                try (Pipe.SourceChannel source = pipe.source()) {
                    return readAll("pipe reader", source, clock);
                }
            });

            // A loopback TCP socket: a server channel, a task that accepts, and a client task.
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.configureBlocking(false);
            InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
            System.out.println(clock.stamp() + "  listening on " + address.getAddress().getHostAddress() + ":" + address.getPort());
            Task<Integer> socketReader = Async.spawn(() -> {
                SocketChannel accepted;
                while ((accepted = server.accept()) == null) {
                    Async.readable(server); // "readable" on a server channel: a connection to accept
                }
                server.close();
                System.out.println(clock.stamp() + "  socket reader: accepted " + accepted.getRemoteAddress());
                accepted.configureBlocking(false);
                try (SocketChannel conn = accepted) {
                    return readAll("socket reader", conn, clock);
                }
            });
            Task<Void> client = Async.spawn(() -> {
                try (SocketChannel ch = SocketChannel.open()) {
                    ch.configureBlocking(false);
                    if (!ch.connect(address)) {
                        do {
                            Async.writable(ch); // "writable" while connecting: the connection is made
                        } while (!ch.finishConnect());
                    }
                    System.out.println(clock.stamp() + "  client task: connected");
                    for (int i = 1; i <= messages; i++) {
                        Async.sleep(Duration.ofMillis(gap));
                        System.out.println(clock.stamp() + "  client task: sends 'socket message " + i + "'");
                        ByteBuffer b = ByteBuffer.wrap(("socket message " + i + "\n").getBytes(StandardCharsets.UTF_8));
                        while (b.hasRemaining()) {
                            if (ch.write(b) == 0) {
                                Async.writable(ch);
                            }
                        }
                    }
                }
                return null;
            });
            client.join();
            pipeReader.join();
            socketReader.join();
            return null;
        });
        System.out.println("both channels read to their end, by two tasks waiting on one selector on thread "
                + Thread.currentThread().getName());
        return 0;
    }
}
