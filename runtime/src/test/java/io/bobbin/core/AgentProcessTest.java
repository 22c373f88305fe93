package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent as a user starts it: in JVMs of their own. */
class AgentProcessTest {
    static final class Result {
        final int exit;
        final String out;
        final String err;

        Result(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }
    }

    static Result java(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+IgnoreUnrecognizedVMOptions");
        cmd.add("-XX:+EnableDynamicAgentLoading");
        cmd.addAll(args);
        Path out = Files.createTempFile("bobbin", ".out");
        Path err = Files.createTempFile("bobbin", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static String agentJar() {
        return System.getProperty("bobbin.agent.jar");
    }

    @Test
    @Timeout(120)
    void attachedLateItRetransformsClassesLoadedBefore() throws Exception {
        Result r = java(List.of("-cp", System.getProperty("java.class.path"), LateAttachMain.class.getName()));
        assertEquals(0, r.exit, r.err);
        assertTrue(r.out.contains("late attach: value=42 suspensions=1"), r.out + r.err);
    }

    @Test
    @Timeout(120)
    void withoutTheAgentTheFaultSaysTheAgentIsNotLoadedAndHowToStartIt() throws Exception {
        Result r = java(List.of("-cp", System.getProperty("java.class.path"), NoAgentMain.class.getName()));
        assertEquals(0, r.exit, r.err);
        assertTrue(r.out.contains("agent property: null"), r.out);
        String[] lines = r.out.split("\\R");
        String bare = lineStarting(lines, "continuation: ");
        assertTrue(bare.startsWith("continuation: Cannot suspend: the Bobbin agent is not loaded in this JVM, so no method is"
                + " instrumented for suspension (the frame at fault is io.bobbin.core.NoAgentMain.countTo (NoAgentMain.java:"),
                bare);
        assertTrue(bare.contains("Start the JVM with -javaagent:/path/to/bobbin-agent.jar"), bare);
        assertTrue(bare.contains("instrument the classes ahead of time"), bare);
        assertFalse(bare.contains("mark it @Suspendable") || bare.contains("Mark "), bare); // it is marked: the agent is missing
        String loop = lineStarting(lines, "loop: ");
        assertTrue(loop.startsWith("loop: Cannot suspend: the Bobbin agent is not loaded in this JVM"), loop);
        assertTrue(loop.contains("Start the JVM with -javaagent:/path/to/bobbin-agent.jar"), loop);
    }

    @Test
    @Timeout(120)
    void aMarkedClassLoadedBeforeALateAgentThatCouldNotRetransformIsNamedAsNotInstrumented() throws Exception {
        Result r = java(List.of("-cp", System.getProperty("java.class.path"), NotRetransformedMain.class.getName()));
        assertEquals(0, r.exit, r.err);
        String late = lineStarting(r.out.split("\\R"), "late attach: ");
        assertTrue(late.startsWith("late attach: Cannot suspend: the frame at fault is io.bobbin.core.LoadedEarly.work"
                + " (LoadedEarly.java:"), late);
        assertTrue(late.contains("which is marked @Suspendable but was not instrumented"), late);
        assertTrue(late.contains("the class was loaded before the agent started and was not retransformed"), late);
        assertTrue(late.contains("Start the agent with the JVM (-javaagent:/path/to/bobbin-agent.jar)"), late);
    }

    private static String lineStarting(String[] lines, String prefix) {
        for (String l : lines) {
            if (l.startsWith(prefix)) {
                return l;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' in " + String.join("\n", lines));
    }

    @Test
    @Timeout(120)
    void anUnknownOptionStopsTheJvmWithAClearMessage() throws Exception {
        Result r = java(List.of("-javaagent:" + agentJar() + "=verbose,bogus", "-version"));
        assertNotEquals(0, r.exit);
        assertTrue(r.err.contains("unknown option 'bogus'"), r.err);
    }

    @Test
    @Timeout(120)
    void aBadSuspendablesFileStopsTheJvmWithAClearMessage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("extra.txt");
        Files.writeString(file, "com.example.Ok.method\nnot a method name\n", StandardCharsets.UTF_8);
        Result r = java(List.of("-javaagent:" + agentJar() + "=suspendables=" + file, "-version"));
        assertNotEquals(0, r.exit);
        assertTrue(r.err.contains("extra.txt:2"), r.err);
    }

    @Test
    @Timeout(120)
    void verboseAndDumpOptions(@TempDir Path dir) throws Exception {
        Result r = java(List.of("-javaagent:" + agentJar() + "=verbose,verify,dump=" + dir, "-cp",
                System.getProperty("java.class.path"), LateAttachMain.class.getName()));
        assertEquals(0, r.exit, r.err);
        assertTrue(r.err.contains("[bobbin] instrumented io.bobbin.core.LoadedEarly"), r.err);
        assertTrue(Files.exists(dir.resolve("io/bobbin/core/LoadedEarly.class")));
        assertTrue(r.out.contains("late attach: value=42 suspensions=1"), r.out);
        assertTrue(r.err.contains("already active"), r.err); // the late start did nothing more
    }
}
