package io.bobbin.loop;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadinessTest {

    @Suspendable
    static int readSome(SocketChannel ch, ByteBuffer b) throws IOException {
        while (true) {
            int n = ch.read(b);
            if (n != 0) {
                return n;
            }
            Async.readable(ch);
        }
    }

    @Suspendable
    static void writeAll(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.write(b) == 0) {
                Async.writable(ch);
            }
        }
    }

    @Test
    void loopbackEchoWithRawChannels() throws Exception {
        int clients = 20;
        int rounds = 50;
        EventLoop.run(() -> {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.configureBlocking(false);
            Task<Void> acceptor = Async.spawn(() -> {
                for (int i = 0; i < clients; i++) {
                    SocketChannel c;
                    while ((c = server.accept()) == null) {
                        Async.readable(server);
                    }
                    c.configureBlocking(false);
                    SocketChannel conn = c;
                    Async.spawn(() -> {
                        try (conn) {
                            ByteBuffer buf = ByteBuffer.allocate(1024);
                            while (readSome(conn, buf) > 0) {
                                buf.flip();
                                writeAll(conn, buf);
                                buf.clear();
                            }
                        }
                        return null;
                    });
                }
                return null;
            });
            List<Task<Integer>> cs = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int id = i;
                cs.add(Async.spawn(() -> {
                    try (SocketChannel ch = SocketChannel.open()) {
                        ch.configureBlocking(false);
                        if (!ch.connect(server.getLocalAddress())) {
                            Async.writable(ch); // connect readiness
                            assertTrue(ch.finishConnect());
                        }
                        int bytes = 0;
                        for (int r = 0; r < rounds; r++) {
                            byte[] msg = ("client " + id + " round " + r + "\n").getBytes(StandardCharsets.UTF_8);
                            writeAll(ch, ByteBuffer.wrap(msg));
                            ByteBuffer in = ByteBuffer.allocate(msg.length);
                            while (in.hasRemaining()) {
                                assertTrue(readSome(ch, in) > 0);
                            }
                            assertArrayEquals(msg, in.array());
                            bytes += msg.length;
                        }
                        return bytes;
                    }
                }));
            }
            for (int i = 0; i < clients; i++) {
                int expected = 0;
                for (int r = 0; r < rounds; r++) {
                    expected += ("client " + i + " round " + r + "\n").length();
                }
                assertEquals(expected, cs.get(i).join());
            }
            acceptor.join();
            server.close();
            return null;
        });
    }

    @Test
    void pipeBetweenTwoTasks() throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            source.configureBlocking(false);
            sink.configureBlocking(false);
            long total = EventLoop.run(() -> {
                int size = 1 << 20; // more than the pipe holds: the writer must wait for writability
                Task<Void> writer = Async.spawn(() -> {
                    ByteBuffer b = ByteBuffer.allocate(size);
                    for (int i = 0; i < size; i++) {
                        b.put(i, (byte) i);
                    }
                    while (b.hasRemaining()) {
                        if (sink.write(b) == 0) {
                            Async.writable(sink);
                        }
                    }
                    sink.close();
                    return null;
                });
                ByteBuffer in = ByteBuffer.allocate(8192);
                long n = 0;
                while (true) {
                    int r = source.read(in);
                    if (r < 0) {
                        break;
                    }
                    if (r == 0) {
                        Async.readable(source);
                        continue;
                    }
                    in.flip();
                    while (in.hasRemaining()) {
                        assertEquals((byte) n, in.get());
                        n++;
                    }
                    in.clear();
                }
                writer.join();
                return n;
            });
            assertEquals(1 << 20, total);
        }
    }

    @Test
    void aChannelClosedDuringTheWaitWakesItsWaiterWithClosedChannelException() throws Exception {
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            EventLoop.run(() -> {
                Task<Object> waiter = Async.spawn(() -> {
                    Async.readable(pipe.source());
                    return "woke";
                });
                Async.sleep(Duration.ofMillis(20));
                pipe.source().close();
                Thrown.by(ClosedChannelException.class, waiter::join);
                Thrown.by(ClosedChannelException.class, () -> {
                    Async.readable(pipe.source());
                    return null;
                });
                return null;
            });
        } finally {
            pipe.sink().close();
        }
    }

    @Test
    void aChannelInBlockingModeIsRefused() throws Exception {
        Pipe pipe = Pipe.open();
        try {
            EventLoop.run(() -> {
                Thrown.by(IllegalArgumentException.class, () -> {
                    Async.readable(pipe.source());
                    return null;
                });
                return null;
            });
            assertThrows(IllegalArgumentException.class, () -> Async.writable(pipe.sink()));
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void twoTasksWaitingForTheSameReadinessIsAnError() throws Exception {
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            EventLoop.run(() -> {
                Task<Object> first = Async.spawn(() -> {
                    Async.readable(pipe.source());
                    return "first";
                });
                Async.yieldNow();
                IllegalStateException e = Thrown.by(IllegalStateException.class, () -> {
                    Async.readable(pipe.source());
                    return null;
                });
                assertTrue(e.getMessage().contains("already waits"), e.getMessage());
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
                assertEquals("first", first.join());
                return null;
            });
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }
}
