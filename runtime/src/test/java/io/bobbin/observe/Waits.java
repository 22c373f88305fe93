package io.bobbin.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bobbin.Async;
import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * A task suspended three calls deep ({@link #outer} → {@link #middle} → {@link #inner}) in each kind
 * of wait, with the lines of its calls recorded as it makes them, and the frames {@code Task.stackTrace()}
 * must show for it.
 */
final class Waits implements AutoCloseable {
    /** The kinds of wait, each made by {@link #inner} with one direct call. */
    enum Kind { SLEEP, JOIN, BLOCKING, AWAIT, READABLE, WRITABLE, YIELD, SUSPEND }

    /** The lines of the calls on the way down, in call order: the body's, outer's, middle's, inner's. */
    final List<Integer> lines = new ArrayList<>();
    final Kind kind;

    // What each kind waits on; released by close().
    final CompletableFuture<String> stage = new CompletableFuture<>();
    final CountDownLatch blockingWork = new CountDownLatch(1);
    Task<?> sleeper;
    Pipe pipe;
    SocketChannel full;
    private SocketChannel peer;

    Waits(Kind kind) {
        this.kind = kind;
    }

    /** The line of the caller: call it on the same line as the suspendable call it marks. */
    static int here() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst().orElseThrow()).getLineNumber();
    }

    /** Makes what the wait needs; in the test's loop (a join needs a task to join). */
    void prepare() throws IOException {
        switch (kind) {
            case JOIN:
                sleeper = Async.spawn(() -> {
                    Async.sleep(Duration.ofHours(1));
                    return null;
                });
                break;
            case READABLE:
                pipe = Pipe.open();
                pipe.source().configureBlocking(false);
                break;
            case WRITABLE:
                try (ServerSocketChannel server = ServerSocketChannel.open()) {
                    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    full = SocketChannel.open(server.getLocalAddress());
                    peer = server.accept();
                }
                full.configureBlocking(false);
                ByteBuffer junk = ByteBuffer.allocate(1 << 16);
                while (full.write(junk.clear()) > 0) {
                    // fill the send buffer and the peer's receive buffer, which nobody reads
                }
                break;
            default:
                break;
        }
    }

    @Suspendable
    Object body() throws Exception {
        lines.add(here()); outer();
        return null;
    }

    @Suspendable
    void outer() throws Exception {
        lines.add(here()); middle();
    }

    @Suspendable
    void middle() throws Exception {
        lines.add(here()); inner();
    }

    @Suspendable
    void inner() throws Exception {
        switch (kind) {
            case SLEEP:
                lines.add(here()); Async.sleep(Duration.ofHours(1));
                break;
            case JOIN:
                lines.add(here()); sleeper.join();
                break;
            case BLOCKING:
                lines.add(here()); Async.blocking(() -> { blockingWork.await(); return null; });
                break;
            case AWAIT:
                lines.add(here()); Async.await(stage);
                break;
            case READABLE:
                lines.add(here()); Async.readable(pipe.source());
                break;
            case WRITABLE:
                lines.add(here()); Async.writable(full);
                break;
            case YIELD:
                lines.add(here()); Async.yieldNow();
                break;
            case SUSPEND:
                lines.add(here()); Continuation.suspend();
                break;
            default:
                throw new AssertionError(kind);
        }
    }

    /** The frames above {@link #inner} that a task waiting this way shows: Bobbin's public call it waits in. */
    List<StackTraceElement> waitFrames() {
        switch (kind) {
            case SLEEP:
                return List.of(async("sleep", lineIn("Async.java", "public static void sleep(", "t.sleepUntil(")));
            case JOIN:
                return List.of(new StackTraceElement("io.bobbin.Task", "join", "Task.java", -1));
            case BLOCKING:
                return List.of(async("blocking", lineIn("Async.java", "public static <T> T blocking(", "t.park(wait);")));
            case AWAIT:
                return List.of(async("await", lineIn("Async.java", "public static <T> T await(", "t.park(wait);")));
            case READABLE:
                return List.of(async("ready", lineIn("Async.java", "private static void ready(", ".await(t, channel, write)")),
                        async("readable", lineIn("Async.java", "public static void readable(", "ready(channel, false);")));
            case WRITABLE:
                return List.of(async("ready", lineIn("Async.java", "private static void ready(", ".await(t, channel, write)")),
                        async("writable", lineIn("Async.java", "public static void writable(", "ready(channel, true);")));
            case YIELD:
                return List.of(async("yieldNow", lineIn("Async.java", "public static void yieldNow(", "t.yieldNow();")));
            case SUSPEND:
                return List.of(new StackTraceElement("io.bobbin.Continuation", "suspend", "Continuation.java", -1));
            default:
                throw new AssertionError(kind);
        }
    }

    /** What the dump says this kind of wait waits for (the state line after the task's name). */
    String dumpState() {
        switch (kind) {
            case SLEEP:
                return "waiting: sleep until ";
            case JOIN:
                return "waiting: join of " + sleeper;
            case BLOCKING:
                return "waiting: blocking work on the pool";
            case AWAIT:
                return "waiting: await of " + stage;
            case READABLE:
                return "waiting: readable " + pipe.source();
            case WRITABLE:
                return "waiting: writable " + full;
            case YIELD:
            case SUSPEND:
                return "ready";
            default:
                throw new AssertionError(kind);
        }
    }

    private static StackTraceElement async(String method, int line) {
        return new StackTraceElement("io.bobbin.Async", method, "Async.java", line);
    }

    /**
     * Checks {@code trace} frame by frame: the wait's frames, inner, middle, outer, body, and at the
     * bottom the lambda the task was spawned with ({@code () -> w.body()}), at {@code spawnLine} of
     * {@code spawner} (javac names the lambda's method {@code lambda$<method>$<n>}).
     */
    void assertTrace(StackTraceElement[] trace, Class<?> spawner, int spawnLine) {
        List<StackTraceElement> expected = new ArrayList<>(waitFrames());
        String me = Waits.class.getName();
        expected.add(new StackTraceElement(me, "inner", "Waits.java", lines.get(3)));
        expected.add(new StackTraceElement(me, "middle", "Waits.java", lines.get(2)));
        expected.add(new StackTraceElement(me, "outer", "Waits.java", lines.get(1)));
        expected.add(new StackTraceElement(me, "body", "Waits.java", lines.get(0)));
        String file = spawner.getSimpleName() + ".java";
        assertEquals(expected.size() + 1, trace.length, kind + ": " + List.of(trace));
        for (int i = 0; i < expected.size(); i++) {
            StackTraceElement e = expected.get(i);
            StackTraceElement a = trace[i];
            String at = kind + " frame " + i + " of " + List.of(trace);
            assertEquals(e.getClassName(), a.getClassName(), at);
            assertEquals(e.getMethodName(), a.getMethodName(), at);
            assertEquals(e.getFileName(), a.getFileName(), at);
            assertEquals(e.getLineNumber(), a.getLineNumber(), at);
        }
        StackTraceElement root = trace[trace.length - 1];
        assertEquals(spawner.getName(), root.getClassName(), List.of(trace).toString());
        assertTrue(root.getMethodName().startsWith("lambda$"), List.of(trace).toString());
        assertEquals(file, root.getFileName());
        assertEquals(spawnLine, root.getLineNumber(), List.of(trace).toString());
    }

    /** The line, in a source file of io.bobbin, of the first line holding {@code text} after the one holding {@code after}. */
    static int lineIn(String file, String after, String text) {
        return lineOf(Path.of("src/main/java/io/bobbin", file), after, text);
    }

    /** As {@link #lineIn}, in a source file of these tests. */
    static int lineInTest(String file, String after, String text) {
        return lineOf(Path.of("src/test/java/io/bobbin/observe", file), after, text);
    }

    private static int lineOf(Path p, String after, String text) {
        List<String> src;
        try {
            src = Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException("the test reads the runtime's sources from the module's folder", e);
        }
        for (int i = 0; i < src.size(); i++) {
            if (src.get(i).contains(after)) {
                for (int j = i + 1; j < src.size(); j++) {
                    if (src.get(j).contains(text)) {
                        return j + 1;
                    }
                }
            }
        }
        fail("no '" + text + "' after '" + after + "' in " + p);
        return -1;
    }

    @Override
    public void close() throws IOException {
        stage.complete("done");
        blockingWork.countDown();
        if (pipe != null) {
            pipe.sink().close();
            pipe.source().close();
        }
        if (full != null) {
            full.close();
            peer.close();
        }
    }
}
