package io.bobbin.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A continuation written by this JVM and read, resumed and finished by another one running the same
 * classes under the agent; and refused there by the JVM-wide filter, {@code jdk.serialFilter}.
 */
class SecondJvmTest {
    static List<String> java(List<String> args, int expectedExit) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The same agent options as this JVM's where they change the code: torture adds a point to every method.
        boolean torture = Boolean.getBoolean("bobbin.torture.expected");
        cmd.add("-javaagent:" + System.getProperty("bobbin.agent.jar") + (torture ? "=torture" : ""));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the second JVM did not end: " + out);
        assertEquals(expectedExit, p.exitValue(), out);
        return List.of(out.split("\\R"));
    }

    @Test
    @Timeout(120)
    void anotherJvmReadsTheContinuationAndFinishesItWithEveryValueAsSaved(@TempDir Path dir) throws Exception {
        Continuation c = SecondJvm.start("here");
        Object out = c.send(null);
        assertEquals("packed crate in " + ProcessHandle.current().pid(), out);
        Path file = dir.resolve("journey.ser");
        SecondJvm.write(c, file);
        assertTrue(Files.size(file) > 0);

        List<String> lines = java(List.of(SecondJvm.class.getName(), file.toString()), 0);
        assertEquals(List.of(
                "read: Continuation[suspended], handed out: packed crate in " + ProcessHandle.current().pid(),
                "in another process: true",
                "values: true -128 233 -32768 2147483647 -9223372036854775808 [1, 4, 9] crate/42",
                "bits: 7fc12345 8000000000000000",
                "line: here -> hello from the second JVM (pi " + Math.PI + ")",
                "done: true, handed out: null"), lines);
    }

    @Test
    @Timeout(120)
    void theJvmWideFilterOfTheReaderRefusesAClassHeldInAFrame(@TempDir Path dir) throws Exception {
        Continuation c = SecondJvm.start("here");
        c.send(null);
        Path file = dir.resolve("journey.ser");
        SecondJvm.write(c, file);
        List<String> lines = java(List.of("-Djdk.serialFilter=!" + SecondJvm.Cargo.class.getName(),
                SecondJvm.class.getName(), file.toString()), 3);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("refused: filter status: REJECTED"), lines.toString());
    }
}
