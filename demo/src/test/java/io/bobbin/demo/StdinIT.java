package io.bobbin.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.demo.DemoProcess.Result;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step 7: piped standard input and a pipe's lines, appended to a file; EOF ends it; --sync stalls. */
class StdinIT {
    @TempDir
    Path dir;

    /** The file's lines from one source, without their prefix, in order. */
    static List<String> from(List<String> file, String prefix) {
        List<String> lines = new ArrayList<>();
        for (String l : file) {
            if (l.startsWith(prefix)) {
                lines.add(l.substring(prefix.length()));
            }
        }
        return lines;
    }

    @Test
    void pipedInputAndPipeLinesAreAppendedToTheFileAndEofEndsIt() throws Exception {
        Path out = dir.resolve("out.txt");
        Files.writeString(out, "already there\n");
        Result r = DemoProcess.run(List.of(), "alpha\nbeta gamma\n\nünïcödé ✓\nno newline at the end",
                "stdin", "--out", out.toString(), "--lines", "3", "--interval", "50");
        assertEquals(0, r.exit(), r.describe());
        assertEquals(List.of(), r.err(), r.describe());
        List<String> file = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals("already there", file.get(0), "appends");
        List<String> stdin = List.of("alpha", "beta gamma", "", "ünïcödé ✓", "no newline at the end");
        assertEquals(stdin, from(file, "stdin: "), String.join("\n", file));
        List<String> pipe = from(file, "pipe: ");
        assertTrue(pipe.size() >= 3, String.join("\n", file));
        for (int i = 0; i < pipe.size(); i++) {
            assertEquals("line " + (i + 1), pipe.get(i));
        }
        assertEquals(1 + stdin.size() + pipe.size(), file.size(), "nothing else in the file:\n" + String.join("\n", file));
        assertTrue(r.outText().contains("stdin: end of input"), r.describe());
        assertTrue(r.outText().contains("pipe:  end of stream"), r.describe());
        assertTrue(r.outText().contains(stdin.size() + " stdin lines and " + pipe.size() + " pipe lines appended to " + out), r.describe());
    }

    @Test
    void theDefaultFileIsOutputTxtInTheWorkingDirectory() throws Exception {
        Result r = DemoProcess.run(dir, List.of(), "hello\n", "stdin", "--lines", "1", "--interval", "10");
        assertEquals(0, r.exit(), r.describe());
        assertTrue(r.out().get(0).startsWith("appending stdin and pipe lines to output.txt;"), r.describe());
        List<String> file = Files.readAllLines(dir.resolve("output.txt"));
        assertEquals(List.of("hello"), from(file, "stdin: "));
        assertEquals("line 1", from(file, "pipe: ").get(0)); // at least 1; more while stdin was still open
    }

    /** The longest wait of a pipe line, as the demo reports it, with stdin held open for a second mid-way. */
    long longestPipeWait(boolean sync) throws Exception {
        Path out = dir.resolve(sync ? "sync.txt" : "async.txt");
        List<String> args = new ArrayList<>(List.of("stdin", "--out", out.toString(), "--lines", "4", "--interval", "50"));
        if (sync) {
            args.add("--sync");
        }
        try (DemoProcess p = DemoProcess.start(args.toArray(String[]::new))) {
            OutputStream in = p.stdin();
            in.write("first\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            p.awaitLine(l -> l.endsWith("stdin: first"), Duration.ofSeconds(30));
            Thread.sleep(1_200); // a user thinking: stdin has nothing to read for a while
            in.write("second\n".getBytes(StandardCharsets.UTF_8));
            in.close();
            Result r = p.await(Duration.ofSeconds(30));
            assertEquals(0, r.exit(), r.describe());
            assertEquals(List.of("first", "second"), from(Files.readAllLines(out), "stdin: "));
            Matcher m = Pattern.compile("the longest a pipe line waited for the loop: (\\d+) ms").matcher(r.outText());
            assertTrue(m.find(), r.describe());
            long longest = Long.parseLong(m.group(1));
            if (sync) {
                assertTrue(r.outText().contains("(written ") && r.outText().contains("the loop was stalled)"), r.describe());
            }
            return longest;
        }
    }

    @Test
    void theSyncVersionStallsThePipeWhileStdinWaitsAndThePoolVersionDoesNot() throws Exception {
        long sync = longestPipeWait(true);
        long async = longestPipeWait(false);
        assertTrue(sync >= 600, "the loop's thread was stuck in readLine: pipe lines waited " + sync + " ms");
        assertTrue(async < 600, "stdin on the pool leaves the loop free: pipe lines waited " + async + " ms");
    }
}
