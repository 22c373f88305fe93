package io.bobbin.bench;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.EventLoopGroup;
import io.bobbin.Suspendable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Benchmark 7, TCP echo on loopback: one server per kind in a JVM of its own, driven by the same
 * load client in another JVM. Each client connection sends {@value #MESSAGE} bytes, waits for the
 * whole echo, records the latency and sends again (closed loop); requests/s and p99 latency over
 * the measured seconds, after a warm-up.
 * <ul>
 *   <li>{@code bobbin}: one {@link EventLoop}; a task accepts, one task per connection waits with
 *       {@link Async#readable}, reads once and writes back ({@link Async#writable} when the socket is
 *       full), as the NIO loop does.</li>
 *   <li>{@code virtual}: a virtual thread per connection, blocking I/O.</li>
 *   <li>{@code platform}: a platform thread per connection, blocking I/O.</li>
 *   <li>{@code nio}: a minimal hand-written single-thread selector loop (the limit for one thread).</li>
 *   <li>{@code group1}, {@code group2}: an {@link EventLoopGroup} of one and of two loops; the accepting
 *       task spawns each connection's task with {@link EventLoopGroup#spawn} (placed by load), the
 *       connection code is the same as {@code bobbin}'s.</li>
 *   <li>{@code netty}: Netty 4.2, NIO transport, one boss thread and one worker loop per processor.</li>
 * </ul>
 * Fairness under load, measured too: the client counts each connection's answers (the spread: the
 * fewest, the median and the most a connection got), and each server runs a {@value #TICK_MILLIS} ms
 * periodic timer in the same place as its connections (a task of the loop, a virtual or platform
 * thread, the hand-written loop's select timeout, a Netty worker's scheduled task) that prints how
 * late each tick came ({@code TICK <ns late>}): the actual wake time minus the intended one.
 */
public final class Echo {
    static final int MESSAGE = 64;
    /** The period of each server's timer whose lateness is measured under load. */
    static final int TICK_MILLIS = 50;
    static final long TICK_NANOS = TICK_MILLIS * 1_000_000L;

    /** Prints a timer tick's lateness for the orchestrating JVM to collect. */
    static void tick(long lateNanos) {
        System.out.println("TICK " + lateNanos);
    }

    /** A task that sleeps {@value #TICK_MILLIS} ms at a time on its loop, forever, printing each wake-up's lateness. */
    @Suspendable
    static Void bobbinTicker() {
        while (true) {
            long due = System.nanoTime() + TICK_NANOS;
            Async.sleep(java.time.Duration.ofMillis(TICK_MILLIS));
            tick(System.nanoTime() - due);
        }
    }

    /** The same on a thread ({@code Thread.sleep}): for the thread-per-connection servers. */
    static void threadTicker() {
        try {
            while (true) {
                long due = System.nanoTime() + TICK_NANOS;
                Thread.sleep(TICK_MILLIS);
                tick(System.nanoTime() - due);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Echo() {}

    // ---- servers ---------------------------------------------------------------------------

    static void server(String kind) throws Exception {
        if (kind.equals("netty")) {
            NettyServers.run(false, 0);
            return;
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2048);
        int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        System.out.println("READY " + port);
        System.out.flush();
        switch (kind) {
            case "bobbin":
                server.configureBlocking(false);
                EventLoop.run(() -> {
                    Async.spawn(Echo::bobbinTicker);
                    while (true) {
                        Async.readable(server);
                        for (SocketChannel c; (c = server.accept()) != null; ) {
                            final SocketChannel ch = c;
                            ch.configureBlocking(false);
                            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                            Async.spawn(() -> {
                                bobbinConnection(ch);
                                return null;
                            });
                        }
                    }
                });
                break;
            case "virtual":
            case "platform": {
                ThreadFactory f = kind.equals("virtual") ? Threads.virtualFactory() : r -> {
                    Thread t = new Thread(null, r, "echo", 256 * 1024);
                    t.setDaemon(true);
                    return t;
                };
                f.newThread(Echo::threadTicker).start();
                while (true) {
                    SocketChannel ch = server.accept();
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    f.newThread(() -> blockingConnection(ch)).start();
                }
            }
            case "nio":
                nioServer(server);
                break;
            case "group1":
            case "group2":
                server.configureBlocking(false);
                try (EventLoopGroup group = EventLoopGroup.start(kind.charAt(5) - '0')) {
                    group.spawn(Echo::bobbinTicker);
                    group.spawn(() -> {
                        while (true) {
                            Async.readable(server);
                            for (SocketChannel c; (c = server.accept()) != null; ) {
                                final SocketChannel ch = c;
                                ch.configureBlocking(false);
                                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                                group.spawn(() -> {
                                    bobbinConnection(ch);
                                    return null;
                                });
                            }
                        }
                    }).join();
                }
                break;
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    /**
     * One connection of the Bobbin servers: waits until the channel is readable, then reads once and
     * writes the echo back, as the hand-written NIO loop does (a closed-loop client's next message is
     * never there yet when the echo has just been written, so reading before waiting would cost a
     * read system call that finds nothing, every time).
     */
    @Suspendable
    static void bobbinConnection(SocketChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
            while (true) {
                Async.readable(ch);
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    continue; // readable, yet nothing to read: wait again
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    if (ch.write(buf) == 0) {
                        Async.writable(ch);
                    }
                }
                buf.clear();
            }
        } finally {
            ch.close();
        }
    }

    static void blockingConnection(SocketChannel ch) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try (ch) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                buf.clear();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    static void nioServer(ServerSocketChannel server) throws IOException {
        server.configureBlocking(false);
        Selector sel = Selector.open();
        server.register(sel, SelectionKey.OP_ACCEPT);
        ByteBuffer buf = ByteBuffer.allocateDirect(4096);
        long due = System.nanoTime() + TICK_NANOS;
        while (true) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                sel.select(Math.max(1, (wait + 999_999) / 1_000_000));
            } else {
                sel.selectNow();
            }
            long now = System.nanoTime();
            if (now >= due) { // the timer first, then the I/O, as a loop that serves both would
                tick(now - due);
                due = now + TICK_NANOS;
            }
            for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                if (!k.isValid()) {
                    continue;
                }
                if (k.isAcceptable()) {
                    for (SocketChannel c; (c = server.accept()) != null; ) {
                        c.configureBlocking(false);
                        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        c.register(sel, SelectionKey.OP_READ);
                    }
                    continue;
                }
                SocketChannel c = (SocketChannel) k.channel();
                ByteBuffer pending = (ByteBuffer) k.attachment();
                try {
                    if (pending != null) { // a write that did not fit
                        c.write(pending);
                        if (!pending.hasRemaining()) {
                            k.attach(null);
                            k.interestOps(SelectionKey.OP_READ);
                        }
                        continue;
                    }
                    buf.clear();
                    int n = c.read(buf);
                    if (n < 0) {
                        k.cancel();
                        c.close();
                        continue;
                    }
                    buf.flip();
                    c.write(buf);
                    if (buf.hasRemaining()) {
                        ByteBuffer rest = ByteBuffer.allocate(buf.remaining());
                        rest.put(buf).flip();
                        k.attach(rest);
                        k.interestOps(SelectionKey.OP_WRITE);
                    }
                } catch (IOException e) {
                    k.cancel();
                    c.close();
                }
            }
        }
    }

    // ---- the load client ----------------------------------------------------------------------

    /** One selector thread driving {@code conns} connections; prints RESULT requests/s p99-micros. */
    static void client(int port, int conns, double warmupSeconds, double seconds) throws IOException {
        Selector sel = Selector.open();
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        ByteBuffer msg = ByteBuffer.allocateDirect(MESSAGE);
        for (int i = 0; i < MESSAGE; i++) {
            msg.put((byte) i);
        }
        List<SocketChannel> all = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            SocketChannel c = SocketChannel.open(addr);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.configureBlocking(false);
            long[] st = new long[3]; // [0] bytes still expected, [1] send time, [2] answers in the measured time
            c.register(sel, SelectionKey.OP_READ, st);
            all.add(c);
        }
        long[] lat = new long[1 << 20];
        int nLat = 0;
        long count = 0;
        ByteBuffer rd = ByteBuffer.allocateDirect(4096);
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        for (SelectionKey k : sel.keys()) {
            send((SocketChannel) k.channel(), msg, (long[]) k.attachment(), start);
        }
        long now = start;
        while (now < end) {
            sel.select(100);
            now = System.nanoTime();
            for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                SocketChannel c = (SocketChannel) k.channel();
                long[] st = (long[]) k.attachment();
                rd.clear();
                int n = c.read(rd);
                if (n < 0) {
                    throw new IOException("server closed a connection");
                }
                st[0] -= n;
                if (st[0] <= 0) {
                    if (now >= measureFrom) {
                        count++;
                        st[2]++;
                        if (nLat == lat.length) {
                            lat = Arrays.copyOf(lat, nLat * 2);
                        }
                        lat[nLat++] = now - st[1];
                    }
                    send(c, msg, st, now);
                }
            }
        }
        Arrays.sort(lat, 0, nLat);
        double p99 = nLat == 0 ? 0 : lat[(int) Math.min(nLat - 1, Math.ceil(nLat * 0.99) - 1)] / 1e3;
        long[] per = new long[all.size()];
        int i = 0;
        for (SelectionKey k : sel.keys()) {
            per[i++] = ((long[]) k.attachment())[2];
        }
        Arrays.sort(per, 0, i);
        System.out.printf(Locale.ROOT, "RESULT\techo\t%d\t%.0f\t%.1f\t%d\t%d\t%d%n", conns, count / seconds, p99,
                per[0], per[i / 2], per[i - 1]);
        for (SocketChannel c : all) {
            c.close();
        }
    }

    private static void send(SocketChannel c, ByteBuffer msg, long[] st, long now) throws IOException {
        ByteBuffer m = msg.duplicate();
        m.clear();
        while (m.hasRemaining()) {
            c.write(m); // 64 bytes always fit in the socket buffer of a closed-loop connection
        }
        st[0] = MESSAGE;
        st[1] = now;
    }

    // ---- orchestration ------------------------------------------------------------------------

    /** Runs every kind against 100 and 1,000 connections; returns rows for results.tsv. */
    static Map<String, String> measure(List<String> kinds, double warmup, double seconds) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Main.selfJar();
        for (String kind : kinds) {
            List<String> cmd = new ArrayList<>(List.of(java, "-javaagent:" + jar, "-Xms1g", "-Xmx1g", "-cp", jar,
                    Main.class.getName(), "echo-server", kind));
            Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
                String port = null;
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("READY ")) {
                        port = line.substring(6).trim();
                        break;
                    }
                }
                if (port == null) {
                    throw new IllegalStateException("echo server " + kind + " did not start");
                }
                List<Long> ticks = Collections.synchronizedList(new ArrayList<>());
                Thread drain = new Thread(() -> {
                    try {
                        for (String line; (line = out.readLine()) != null; ) {
                            if (line.startsWith("TICK ")) {
                                ticks.add(Long.parseLong(line.substring(5).trim()));
                            }
                        }
                    } catch (IOException | NumberFormatException e) {
                        // ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                for (int conns : new int[] {100, 1000}) {
                    ticks.clear();
                    String[] f = Main.runChild(List.of("-Xms512m", "-Xmx512m"), false, "echo-client", port,
                            Integer.toString(conns), Double.toString(warmup), Double.toString(seconds)).split("\t");
                    long[] late;
                    synchronized (ticks) {
                        late = ticks.stream().mapToLong(Long::longValue).sorted().toArray();
                    }
                    String k = "Echo:" + kind + ":" + conns;
                    rows.put(k + ":rps", f[3] + "\t0\treq/s");
                    rows.put(k + ":p99", f[4] + "\t0\tus");
                    rows.put(k + ":connMin", f[5] + "\t0\tanswers");
                    rows.put(k + ":connMedian", f[6] + "\t0\tanswers");
                    rows.put(k + ":connMax", f[7] + "\t0\tanswers");
                    double tickP50 = late.length == 0 ? Double.NaN : late[late.length / 2] / 1e6;
                    double tickMax = late.length == 0 ? Double.NaN : late[late.length - 1] / 1e6;
                    if (late.length > 0) {
                        rows.put(k + ":tickP50", String.format(Locale.ROOT, "%.3f\t0\tms", tickP50));
                        rows.put(k + ":tickMax", String.format(Locale.ROOT, "%.3f\t0\tms", tickMax));
                    }
                    System.out.printf(Locale.ROOT, "echo %s %d connections: %s req/s, p99 %s us; answers per connection"
                            + " min %s / median %s / max %s; %d ms timer late p50 %.2f ms, max %.2f ms (%d ticks)%n",
                            kind, conns, f[3], f[4], f[5], f[6], f[7], TICK_MILLIS, tickP50, tickMax, late.length);
                }
            } finally {
                server.destroy();
                server.waitFor();
            }
        }
        return rows;
    }
}
