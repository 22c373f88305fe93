package io.bobbin.net;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpTest {
    static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    static final TcpServer.Handler LINE_ECHO = conn -> {
        for (String line; (line = conn.readLine()) != null; ) {
            conn.write(line + "\n");
        }
    };

    @Test
    void lineEchoServerWithManyConcurrentClients() throws Exception {
        int clients = 50;
        int lines = 20;
        EventLoop.run(() -> {
            try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                Task<Void> serving = server.start(LINE_ECHO);
                List<Task<List<String>>> cs = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    int id = i;
                    cs.add(Async.spawn(() -> {
                        List<String> got = new ArrayList<>();
                        try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                            for (int l = 0; l < lines; l++) {
                                c.write("client " + id + " line " + l + " héllo\n");
                                got.add(c.readLine());
                            }
                        }
                        return got;
                    }));
                }
                for (int i = 0; i < clients; i++) {
                    List<String> expected = new ArrayList<>();
                    for (int l = 0; l < lines; l++) {
                        expected.add("client " + i + " line " + l + " héllo");
                    }
                    assertEquals(expected, cs.get(i).join());
                }
                server.close();
                assertNull(serving.join(), "serve returns when the server is closed");
            }
            return null;
        });
    }

    @Test
    void readLineHandlesCrLfPartialLinesLongLinesAndTheEnd() throws Exception {
        EventLoop.run(() -> {
            try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                char[] big = new char[100_000];
                Arrays.fill(big, 'x');
                String longLine = new String(big);
                server.start(conn -> {
                    conn.write("one\r\ntw");
                    Async.sleep(Duration.ofMillis(20)); // the client sees half a line first
                    conn.write("o\n\n" + longLine + "\nlast without end");
                });
                try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                    assertEquals("one", c.readLine());
                    assertEquals("two", c.readLine());
                    assertEquals("", c.readLine());
                    assertEquals(longLine, c.readLine());
                    assertEquals("last without end", c.readLine());
                    assertNull(c.readLine());
                    assertEquals(-1, c.read(ByteBuffer.allocate(4)));
                }
            }
            return null;
        });
    }

    @Test
    void bigTransfersSuspendOnFullBuffersBothWays() throws Exception {
        int size = 8 << 20;
        EventLoop.run(() -> {
            try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                server.start(conn -> {
                    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                    while (conn.read(buf) >= 0) {
                        buf.flip();
                        conn.write(buf);
                        buf.clear();
                    }
                });
                try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                    byte[] data = new byte[size];
                    for (int i = 0; i < size; i++) {
                        data[i] = (byte) (i * 31);
                    }
                    Task<Void> writer = Async.spawn(() -> {
                        c.write(data); // 8 MiB: more than the socket buffers hold
                        c.shutdownOutput();
                        return null;
                    });
                    byte[] back = c.readExactly(size); // reading while the writer waits
                    writer.join();
                    assertArrayEquals(data, back);
                }
            }
            return null;
        });
    }

    @Test
    void readExactlyAtTheEndOfTheStreamThrowsEof() throws Exception {
        EventLoop.run(() -> {
            try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                server.start(conn -> conn.write(new byte[] {1, 2, 3}));
                try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                    try {
                        c.readExactly(4);
                        fail("no EOF");
                    } catch (EOFException e) {
                        assertTrue(e.getMessage().contains("3 of 4"), e.getMessage());
                    }
                }
            }
            return null;
        });
    }

    @Test
    void connectToAClosedPortFails() throws Exception {
        InetSocketAddress dead;
        try (TcpServer s = TcpServer.bind(LOOPBACK_ANY_PORT)) {
            dead = s.localAddress();
        }
        InetSocketAddress addr = dead;
        EventLoop.run(() -> {
            try {
                TcpConnection.connect(addr).close();
                fail("connected to a closed port");
            } catch (ConnectException expected) {
                // refused
            }
            return null;
        });
    }

    @Test
    void closingTheConnectionWakesAReaderWithClosedChannelException() throws Exception {
        EventLoop.run(() -> {
            try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                server.start(conn -> Async.sleep(Duration.ofSeconds(30)));
                TcpConnection c = TcpConnection.connect(server.localAddress());
                Task<String> reader = Async.spawn(() -> c.readLine()); // c::readLine would fit both spawn overloads
                Async.sleep(Duration.ofMillis(20));
                c.close();
                try {
                    reader.join();
                    fail("no exception");
                } catch (ClosedChannelException expected) {
                    // woken by the close
                }
            }
            return null;
        });
    }

    @Test
    void aFailingHandlerStopsNothing() throws Exception {
        EventLoop.run(() -> {
            try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                server.start(conn -> {
                    String line = conn.readLine();
                    if (line.equals("fail")) {
                        throw new IllegalStateException("handler failure (expected in this test)");
                    }
                    conn.write("ok " + line + "\n");
                });
                try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                    c.write("fail\n");
                    assertNull(c.readLine()); // the server closed it
                }
                try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                    c.write("again\n");
                    assertEquals("ok again", c.readLine());
                }
            }
            return null;
        });
    }

    @Test
    void aHandlersFailureIsLoggedWithTheAddressOfItsPeer() throws Exception {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.bobbin.net.TcpServer");
        List<java.util.logging.LogRecord> records = new ArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public synchronized void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(h);
        try {
            EventLoop.run(() -> {
                try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                    server.start(conn -> {
                        conn.readLine();
                        conn.close(); // the connection is gone by the time the failure is logged
                        throw new IllegalStateException("handler failure (expected in this test)");
                    });
                    try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                        c.write("fail\n");
                        assertNull(c.readLine());
                        synchronized (h) {
                            assertEquals(1, records.size());
                            java.util.logging.LogRecord r = records.get(0);
                            assertEquals(java.util.logging.Level.WARNING, r.getLevel());
                            assertTrue(r.getMessage().startsWith("the handler of the connection from " + c.localAddress()
                                    + " (task "), r.getMessage());
                            assertTrue(r.getMessage().endsWith(") failed"), r.getMessage());
                            assertEquals("handler failure (expected in this test)", r.getThrown().getMessage());
                        }
                    }
                }
            });
        } finally {
            jul.removeHandler(h);
        }
    }

    @Test
    void plainCodeClientTalksToAServerOnAStartedLoop() throws Exception {
        try (EventLoop loop = EventLoop.start(); TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
            loop.spawn(() -> {
                server.serve(LINE_ECHO);
                return null;
            });
            // no loop on this thread: the same calls block
            try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                c.write("plain\n");
                assertEquals("plain", c.readLine());
                c.write("bytes".getBytes(StandardCharsets.UTF_8));
                c.write("\n");
                assertEquals("bytes", c.readLine());
            }
        }
    }

    @Test
    void serveOutsideATaskIsRefused() throws Exception {
        try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
            assertThrows(IllegalStateException.class, () -> server.serve(LINE_ECHO));
        }
    }
}
