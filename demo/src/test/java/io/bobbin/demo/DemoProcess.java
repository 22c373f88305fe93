package io.bobbin.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged demo jar run as a user runs it: {@code java [-javaagent:...] -jar bobbin-demo.jar
 * NAME options}, in a JVM of its own (the JDK that runs the tests), with its output collected line
 * by line as it comes.
 */
final class DemoProcess implements AutoCloseable {
    /** The jar under test; set by the build's integration-test execution only (after {@code package}). */
    static Path jar() {
        String p = System.getProperty("bobbin.demo.jar");
        assumeTrue(p != null, "runs in the integration-test phase, against the packaged jar");
        Path jar = Path.of(p);
        assertTrue(Files.isRegularFile(jar), "no demo jar at " + jar + ": run `mvn verify`");
        return jar;
    }

    static Path agentJar() {
        Path jar = Path.of(System.getProperty("bobbin.agent.jar", "../agent/target/bobbin-agent.jar"));
        assertTrue(Files.isRegularFile(jar), "no agent jar at " + jar);
        return jar;
    }

    /** What a finished run printed, and how it exited. */
    record Result(int exit, List<String> out, List<String> err) {
        String outText() {
            return String.join("\n", out);
        }

        String errText() {
            return String.join("\n", err);
        }

        /** Both streams, for assertion messages. */
        String describe() {
            return "exit " + exit + "\n--- stdout\n" + outText() + "\n--- stderr\n" + errText();
        }
    }

    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private DemoProcess(List<String> command, Path directory) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        process = pb.start();
        outReader = collect(process.getInputStream(), out);
        errReader = collect(process.getErrorStream(), err);
    }

    /** Starts {@code java -jar bobbin-demo.jar args...}. */
    static DemoProcess start(String... args) throws IOException {
        return start(List.of(), args);
    }

    /** Starts {@code java jvmOptions... -jar bobbin-demo.jar args...}. */
    static DemoProcess start(List<String> jvmOptions, String... args) throws IOException {
        return start(null, jvmOptions, args);
    }

    /** Starts {@code java jvmOptions... -jar bobbin-demo.jar args...} in {@code directory} (null: the test's). */
    static DemoProcess start(Path directory, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(List.of(args));
        return new DemoProcess(cmd, directory);
    }

    /** Runs the demo with {@code stdin} as its whole input (closed at once), and waits for it to end. */
    static Result run(List<String> jvmOptions, String stdin, String... args) throws Exception {
        return run(null, jvmOptions, stdin, args);
    }

    /** As {@link #run(List, String, String...)}, in {@code directory}. */
    static Result run(Path directory, List<String> jvmOptions, String stdin, String... args) throws Exception {
        try (DemoProcess p = start(directory, jvmOptions, args)) {
            try (OutputStream in = p.stdin()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            return p.await(Duration.ofSeconds(60));
        }
    }

    static Result run(String... args) throws Exception {
        return run(List.of(), "", args);
    }

    private static Thread collect(InputStream stream, List<String> into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (into) {
                        into.add(line);
                        into.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Waits for a line of stdout that {@code matches}, and returns it. */
    String awaitLine(Predicate<String> matches, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (out) {
            int seen = 0;
            while (true) {
                for (; seen < out.size(); seen++) {
                    if (matches.test(out.get(seen))) {
                        return out.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !outReader.isAlive())) {
                    fail("no such line within " + limit + "; stdout so far:\n" + String.join("\n", out)
                            + "\n--- stderr\n" + String.join("\n", snapshot(err)));
                }
                out.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
            }
        }
    }

    /** Waits for the process to end (killing it after {@code limit}, which fails the test). */
    Result await(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            outReader.join(5_000);
            errReader.join(5_000);
            fail("still running after " + limit + "; stdout:\n" + String.join("\n", snapshot(out))
                    + "\n--- stderr\n" + String.join("\n", snapshot(err)));
        }
        outReader.join(5_000);
        errReader.join(5_000);
        return new Result(process.exitValue(), snapshot(out), snapshot(err));
    }

    /** Kills the process at once ({@code destroyForcibly}, as a crash or {@code kill -9} would) and returns what it printed. */
    Result kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
        outReader.join(5_000);
        errReader.join(5_000);
        return new Result(process.exitValue(), snapshot(out), snapshot(err));
    }

    private static List<String> snapshot(List<String> lines) {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
