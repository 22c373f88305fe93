package io.bobbin.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One connection, several tasks: writes are whole and FIFO, a cancelled waiting writer writes
 * nothing, concurrent reads and other loops are refused with a clear message; and the line reads
 * for protocols that are not UTF-8.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpSharingTest {
    static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** Larger than the socket buffers on both sides, so that a write of it waits for the reader. */
    static final int BIG = 4 << 20;

    static byte[] block(char c, int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) c);
        return b;
    }

    /** Splits what was read into runs of one byte value: (value, length) pairs, in order. */
    static List<String> runs(byte[] all) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < all.length) {
            int j = i;
            while (j < all.length && all[j] == all[i]) {
                j++;
            }
            out.add((char) all[i] + "x" + (j - i));
            i = j;
        }
        return out;
    }

    @Test
    void writesFromManyTasksGoOutWholeAndInTheOrderTheyAsked() throws Exception {
        EventLoop.run(() -> {
            try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                Task<byte[]> peer = Async.spawn(() -> {
                    try (TcpConnection c = server.accept()) {
                        Async.sleep(Duration.ofMillis(100)); // the writers queue up behind the first one meanwhile
                        return c.readExactly(4 * BIG);
                    }
                });
                try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                    List<Task<Void>> writers = new ArrayList<>();
                    for (char ch : new char[] {'a', 'b', 'c', 'd'}) {
                        writers.add(Async.spawn("writer-" + ch, () -> c.write(block(ch, BIG))));
                    }
                    for (Task<Void> w : writers) {
                        assertNull(w.join());
                    }
                    assertEquals(List.of("ax" + BIG, "bx" + BIG, "cx" + BIG, "dx" + BIG), runs(peer.join()));
                }
            }
        });
    }

    @Test
    void aWriterCancelledWhileWaitingForItsTurnWritesNothingAndLeavesNothingBehind() throws Exception {
        EventLoop.run(() -> {
            try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                TcpConnection[] accepted = new TcpConnection[1];
                Task<Void> accepting = Async.spawn(() -> {
                    accepted[0] = server.accept();
                });
                try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                    accepting.join();
                    Task<Void> a = Async.spawn("a", () -> c.write(block('a', BIG))); // fills the buffers, waits
                    Task<Void> b = Async.spawn("b", () -> c.write(block('b', 10)));
                    Task<Void> d = Async.spawn("d", () -> c.write(block('d', 10)));
                    Async.sleep(Duration.ofMillis(50)); // b and d wait for their turn, behind a
                    assertFalse(a.isDone());
                    assertTrue(b.cancel());
                    Thrown.expect(CancellationException.class, b::join);
                    try (TcpConnection p = accepted[0]) {
                        assertEquals(List.of("ax" + BIG, "dx10"), runs(p.readExactly(BIG + 10)));
                        assertNull(a.join());
                        assertNull(d.join());
                        c.close(); // the peer reads the end: nothing of b's came after d's
                        assertEquals(-1, p.read(new byte[1], 0, 1));
                    }
                }
            }
        });
    }

    @Test
    void aWriterHandedItsTurnButCancelledBeforeItRanPassesTheTurnOnAndWritesNothing() throws Exception {
        EventLoop.run(() -> {
            try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                TcpConnection[] accepted = new TcpConnection[1];
                Task<Void> accepting = Async.spawn(() -> {
                    accepted[0] = server.accept();
                });
                try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                    accepting.join();
                    Task<?>[] b = new Task<?>[1];
                    Task<Void> a = Async.spawn("a", () -> {
                        c.write(block('a', BIG)); // its end hands the turn to b, which is then ready, not running
                        b[0].cancel(); // before b runs
                    });
                    b[0] = Async.spawn("b", () -> c.write(block('b', 10)));
                    Task<Void> d = Async.spawn("d", () -> c.write(block('d', 10)));
                    Async.sleep(Duration.ofMillis(50));
                    try (TcpConnection p = accepted[0]) {
                        assertEquals(List.of("ax" + BIG, "dx10"), runs(p.readExactly(BIG + 10)));
                        assertNull(a.join());
                        Thrown.expect(CancellationException.class, b[0]::join);
                        assertNull(d.join());
                        c.close();
                        assertEquals(-1, p.read(new byte[1], 0, 1));
                    }
                }
            }
        });
    }

    @Test
    void twoTasksReadingOneConnectionAtOnceIsAnErrorThatNamesBoth() throws Exception {
        EventLoop.run(() -> {
            try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                server.start(conn -> Async.sleep(Duration.ofSeconds(30)));
                try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                    Task<String> first = Async.spawn("first reader", () -> c.readLine()); // waits: nothing comes
                    Task<String> second = Async.spawn("second reader", () -> c.readLine());
                    IllegalStateException e = Thrown.expect(IllegalStateException.class, second::join);
                    assertTrue(e.getMessage().startsWith("task " + second + " called TcpConnection.readLine() on " + c
                            + " while task " + first + " is reading it"), e.getMessage());
                    assertTrue(e.getMessage().contains("(second reader)") && e.getMessage().contains("(first reader)"),
                            e.getMessage());
                    assertFalse(first.isDone(), "the first reader goes on waiting");
                    first.cancel();
                    Thrown.expect(CancellationException.class, first::join);
                    // the read side is free again
                    Task<Integer> third = Async.spawn(() -> c.read(new byte[0], 0, 0));
                    assertEquals(0, third.join());
                }
            }
        });
    }

    @Test
    void aConnectionBelongsToTheLoopOfItsFirstUserAndAnotherLoopIsRefused() throws Exception {
        EventLoop other = EventLoop.builder().name("other").start();
        try {
            EventLoop.run(() -> {
                try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                    server.start(conn -> {
                        for (String line; (line = conn.readLine()) != null; ) {
                            conn.write(line + "\n");
                        }
                    });
                    try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                        String here = EventLoop.current().name();
                        Task<Void> elsewhere = other.spawn("intruder", () -> c.write("from another loop\n"));
                        IllegalStateException e = Thrown.expect(IllegalStateException.class, elsewhere::join);
                        assertTrue(e.getMessage().startsWith("task " + elsewhere + " called TcpConnection.write() on " + c
                                + ", which belongs to " + here + " (the loop of its first user), not to other"), e.getMessage());
                        // a thread that runs no loop is refused too
                        Exception plain = Async.blocking(() -> {
                            try {
                                c.write("from a plain thread\n");
                                return null;
                            } catch (IllegalStateException x) {
                                return x;
                            }
                        });
                        assertTrue(plain.getMessage().contains("which runs no event loop, but the connection belongs to " + here),
                                String.valueOf(plain));
                        // its own loop goes on using it: nothing of the refused writes went out
                        c.write("mine\n");
                        assertEquals("mine", c.readLine());
                    }
                }
            });
        } finally {
            other.close();
        }
    }

    /** Two loops race to be a fresh connection's first user: exactly one wins, every round. */
    @Test
    void whenTwoLoopsRaceForAFreshConnectionExactlyOneGetsIt() throws Exception {
        int rounds = 50;
        try (java.net.ServerSocket peer = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             EventLoop one = EventLoop.builder().name("one").start();
             EventLoop two = EventLoop.builder().name("two").start()) {
            for (int round = 0; round < rounds; round++) {
                TcpConnection c = TcpConnection.connect(peer.getLocalSocketAddress()); // plain code: nobody's yet
                try (java.net.Socket accepted = peer.accept()) {
                    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                    List<Task<Void>> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
                    Thread[] spawners = new Thread[2];
                    EventLoop[] loops = {one, two};
                    for (int i = 0; i < 2; i++) {
                        EventLoop loop = loops[i];
                        spawners[i] = new Thread(() -> {
                            try {
                                start.await(10, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            writes.add(loop.spawn(() -> c.write("from " + loop.name() + "\n")));
                        });
                        spawners[i].start();
                    }
                    for (Thread t : spawners) {
                        t.join(10_000);
                    }
                    int won = 0;
                    String winner = null;
                    for (Task<Void> w : writes) {
                        try {
                            w.join(Duration.ofSeconds(10));
                            won++;
                            winner = w.toString().startsWith("one/") ? "one" : "two";
                        } catch (IllegalStateException e) {
                            assertTrue(e.getMessage().contains(", which belongs to "), e.getMessage());
                        }
                    }
                    assertEquals(2, writes.size());
                    assertEquals(1, won, "round " + round);
                    accepted.setSoTimeout(10_000);
                    java.io.BufferedReader in = new java.io.BufferedReader(
                            new java.io.InputStreamReader(accepted.getInputStream(), StandardCharsets.UTF_8));
                    assertEquals("from " + winner, in.readLine());
                    c.close();
                    assertNull(in.readLine(), "nothing of the refused write went out");
                }
            }
        }
    }

    @Test
    void aConnectionWhoseLoopHasEndedCanBeUsedByAnotherLoop() throws Exception {
        try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
            EventLoop serving = EventLoop.start();
            try {
                serving.spawn(() -> server.serve(conn -> {
                    for (String line; (line = conn.readLine()) != null; ) {
                        conn.write(line + "\n");
                    }
                }));
                TcpConnection c = EventLoop.run(() -> {
                    TcpConnection conn = TcpConnection.connect(server.localAddress());
                    conn.write("one\n");
                    assertEquals("one", conn.readLine());
                    return conn;
                });
                try (c) {
                    EventLoop.run(() -> {
                        c.write("two\n");
                        assertEquals("two", c.readLine());
                    });
                    c.write("three\n"); // and plain code, once no running loop holds it
                    assertEquals("three", c.readLine());
                }
            } finally {
                serving.close();
            }
        }
    }

    @Test
    void readLineWithACharsetAndReadLineBytesForProtocolsThatAreNotUtf8() throws Exception {
        Charset latin1 = StandardCharsets.ISO_8859_1;
        EventLoop.run(() -> {
            try (TcpServer server = TcpServer.bind(LOOPBACK_ANY_PORT)) {
                server.start(conn -> {
                    conn.write("caf\u00e9 cr\u00e8me\r\n".getBytes(latin1));
                    conn.write(new byte[] {(byte) 0xff, 0, (byte) 0x80, '\n'});
                    conn.write(new byte[] {'\r', '\n'});
                    conn.write("no end".getBytes(latin1));
                });
                try (TcpConnection c = TcpConnection.connect(server.localAddress())) {
                    assertEquals("caf\u00e9 cr\u00e8me", c.readLine(latin1));
                    assertArrayEquals(new byte[] {(byte) 0xff, 0, (byte) 0x80}, c.readLineBytes());
                    assertArrayEquals(new byte[0], c.readLineBytes()); // an empty line ended by \r\n
                    assertArrayEquals("no end".getBytes(latin1), c.readLineBytes()); // the last line, without its end
                    assertNull(c.readLineBytes());
                    assertNull(c.readLine(latin1));
                    IllegalArgumentException e = Thrown.expect(IllegalArgumentException.class,
                            () -> c.readLine(StandardCharsets.UTF_16));
                    assertTrue(e.getMessage().contains("UTF-16 does not write \\r and \\n as the single bytes 13 and 10"),
                            e.getMessage());
                }
            }
        });
    }

    /** assertThrows for code that suspends (JUnit's own frames are not instrumented). */
    static final class Thrown {
        private Thrown() {}

        @io.bobbin.Suspendable
        static <E extends Throwable> E expect(Class<E> type, io.bobbin.SuspendableCallable<?> body) {
            try {
                body.call();
            } catch (Throwable e) {
                if (type.isInstance(e)) {
                    return type.cast(e);
                }
                fail("expected " + type.getName() + ", got " + e, e);
            }
            fail("expected " + type.getName() + ", nothing was thrown");
            return null;
        }
    }
}
