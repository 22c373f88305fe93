package io.bobbin.demo;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Step 7: two inputs at once, appended to one file. Lines typed on standard input (or piped in),
 * and lines that another thread writes into a {@link Pipe}.
 *
 * <p>{@code System.in} cannot be registered with a selector in Java, so the stdin task reads it
 * through the pool bridge: {@code Async.blocking(stdin::readLine)} blocks a pool thread, not the
 * loop. The pipe's lines go on arriving meanwhile. With {@code --sync} the stdin task calls
 * {@code stdin.readLine()} directly instead: the loop's thread itself blocks there, and every other
 * task stalls with it; the pipe lines pile up until a line is typed.
 *
 * <p>The end of standard input (Ctrl-D, or the end of piped input) ends the demo: the pipe writer
 * stops once it has written its minimum of lines, and the pipe reader reads to the pipe's end.
 */
final class StdinDemo implements Demo {
    /** Counters, touched only on the loop's thread: no locks. */
    private int stdinLines;
    private int pipeLines;
    private long longestWait;

    @Override
    public String name() {
        return "stdin";
    }

    @Override
    public String summary() {
        return "stdin through the pool bridge and a pipe fed by a thread, appended to a file; --sync stalls";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--out", "FILE", "the file both inputs are appended to (default output.txt)"),
                Option.flag("--sync", "read stdin on the loop's thread: the blocking version, which stalls the pipe"),
                Option.valued("--lines", "N", "the pipe writer writes at least N lines, and goes on while stdin is open (default 5)"),
                Option.valued("--interval", "MS", "pause between two pipe lines (default 200)"));
    }

    @Override
    public int run(Args args) throws Exception {
        Path out = Path.of(args.get("--out", "output.txt"));
        boolean sync = args.flag("--sync");
        int minLines = args.getInt("--lines", 5, 0, 100_000);
        int interval = args.getInt("--interval", 200, 1, 60_000);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Stopwatch clock = new Stopwatch();
        AtomicBoolean stdinEnded = new AtomicBoolean();
        AtomicLongArray writtenAt = new AtomicLongArray(1 << 16); // when the writer wrote line i, for the delays

        System.out.println("appending stdin and pipe lines to " + out + (sync
                ? "; reading stdin ON THE LOOP'S THREAD (--sync): everything else stalls while it waits"
                : "; reading stdin on the pool, the loop stays free") + ". Type lines, end with Ctrl-D.");
        try (BufferedWriter file = Files.newBufferedWriter(out, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            EventLoop.run(() -> {
                Pipe pipe = Pipe.open();
                Thread writer = new Thread(() -> {
                    try (Pipe.SinkChannel sink = pipe.sink()) {
                        for (int i = 1; i <= minLines || !stdinEnded.get(); i++) {
                            Thread.sleep(interval);
                            writtenAt.set(i % writtenAt.length(), clock.millis());
                            sink.write(ByteBuffer.wrap(("line " + i + "\n").getBytes(StandardCharsets.UTF_8)));
                        }
                    } catch (IOException | InterruptedException e) {
                        System.out.println("pipe writer: " + e);
                    }
                }, "pipe-writer");
                writer.setDaemon(true);
                writer.start();

                Task<Void> fromStdin = Async.spawn(() -> {
                    String line;
                    while ((line = sync ? stdin.readLine() : Async.blocking(stdin::readLine)) != null) {
                        System.out.println(clock.stamp() + "  stdin: " + line);
                        append(file, "stdin: " + line);
                        stdinLines++;
                    }
                    System.out.println(clock.stamp() + "  stdin: end of input");
                    stdinEnded.set(true);
                    return null;
                });
                Task<Void> fromPipe = Async.spawn(() -> {
                    LineReader lines = new LineReader(pipe.source());
                    String line;
                    while ((line = lines.readLine()) != null) {
                        long waited = clock.millis() - writtenAt.get(Integer.parseInt(line.substring(5)) % writtenAt.length());
                        longestWait = Math.max(longestWait, waited);
                        System.out.println(clock.stamp() + "  pipe:  " + line + " (written " + waited + " ms ago"
                                + (waited >= 100 ? ": the loop was stalled" : "") + ")");
                        append(file, "pipe: " + line);
                        pipeLines++;
                    }
                    System.out.println(clock.stamp() + "  pipe:  end of stream");
                    return null;
                });
                fromStdin.join();
                fromPipe.join();
                return null;
            });
        }
        System.out.println(stdinLines + " stdin lines and " + pipeLines + " pipe lines appended to " + out
                + "; the longest a pipe line waited for the loop: " + longestWait + " ms");
        return 0;
    }

    /**
     * Appends a line and flushes. A short write to a local file, done on the loop's thread: no
     * other task can interleave with it, so the two inputs never mix within a line.
     */
    static void append(BufferedWriter file, String line) throws IOException {
        file.write(line);
        file.newLine();
        file.flush();
    }
}
