package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.core.aot.AotProgram;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Build-time instrumentation as a user runs it, each step in a JVM of its own: {@code java -jar
 * bobbin-agent.jar instrument} on a small program ({@link AotProgram}), then the program run without
 * the agent (the runtime's classes on the class path are enough: the build instrumented the
 * runtime's own suspendable code), with it (which leaves the classes as they are), and not
 * instrumented at all (the first suspension says which frame is not instrumented). And the agent
 * over a library whose class loader cannot see the runtime.
 */
class AheadOfTimeProcessTest {
    static final String EXPECTED = String.join("\n",
            "continuation: [c1, c2, c3, c total 6] after 4 resumes",
            "generator: 0 1 1 2 3 5 8 13",
            "event loop: fast slept, slow slept",
            "agent: %s") + "\n";

    @TempDir
    Path dir;

    static Path codeSource(Class<?> c) throws URISyntaxException {
        return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The runtime's classes, as the build left them (its suspendable code instrumented). */
    static String runtimeClasses() throws URISyntaxException {
        return codeSource(Continuation.class).toString();
    }

    /** Copies the classes of one test package to {@code to}, as they were compiled. */
    static Path copyPackage(Class<?> inPackage, Path to) throws IOException, URISyntaxException {
        String pkg = inPackage.getPackageName().replace('.', '/');
        Path from = codeSource(inPackage).resolve(pkg);
        Files.createDirectories(to.resolve(pkg));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                Files.copy(f, to.resolve(pkg).resolve(f.getFileName()));
            }
        }
        return to;
    }

    static AgentProcessTest.Result instrument(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("-jar", AgentProcessTest.agentJar(), "instrument"));
        cmd.addAll(List.of(args));
        return AgentProcessTest.java(cmd);
    }

    static AgentProcessTest.Result run(String agent, String classPath) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (agent != null) {
            cmd.add(agent);
        }
        cmd.addAll(List.of("-cp", classPath + File.pathSeparator + runtimeClasses(), AotProgram.class.getName()));
        return AgentProcessTest.java(cmd);
    }

    @Test
    @Timeout(180)
    void classesInstrumentedAheadOfTimeRunWithoutTheAgentAndTheAgentLeavesThemAsTheyAre() throws Exception {
        Path classes = copyPackage(AotProgram.class, dir.resolve("classes"));
        Path jar = dir.resolve("program.jar");
        AgentProcessTest.Result built = instrument("--classpath", runtimeClasses(), "verify", classes.toString(), jar.toString());
        assertEquals(0, built.exit, built.out + built.err);
        assertTrue(built.out.startsWith("instrumented "), built.out);
        assertEquals("", built.err);

        AgentProcessTest.Result plain = run(null, jar.toString());
        assertEquals(0, plain.exit, plain.out + plain.err);
        assertEquals(String.format(EXPECTED, "absent"), plain.out);
        assertEquals("", plain.err);

        AgentProcessTest.Result withAgent = run("-javaagent:" + AgentProcessTest.agentJar() + "=verbose", jar.toString());
        assertEquals(0, withAgent.exit, withAgent.out + withAgent.err);
        assertEquals(String.format(EXPECTED, "present"), withAgent.out);
        assertTrue(withAgent.err.contains("[bobbin] left io.bobbin.core.aot.AotProgram as it is: instrumented already"),
                withAgent.err);
        assertFalse(withAgent.err.contains("[bobbin] instrumented io.bobbin.core.aot.AotProgram"), withAgent.err);
        assertFalse(withAgent.err.contains("WARNING"), withAgent.err);
    }

    @Test
    @Timeout(180)
    void instrumentingItsOwnOutputAgainWritesByteIdenticalClasses() throws Exception {
        Path classes = copyPackage(AotProgram.class, dir.resolve("classes"));
        Path once = dir.resolve("once.jar");
        Path twice = dir.resolve("twice.jar");
        assertEquals(0, instrument("-cp", runtimeClasses(), classes.toString(), once.toString()).exit);
        AgentProcessTest.Result again = instrument("-cp", runtimeClasses(), once.toString(), twice.toString());
        assertEquals(0, again.exit, again.err);
        assertTrue(again.out.startsWith("instrumented 0 of "), again.out);
        try (ZipFile a = new ZipFile(once.toFile()); ZipFile b = new ZipFile(twice.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(a.entries());
            assertEquals(entries.size(), Collections.list(b.entries()).size());
            for (ZipEntry e : entries) {
                assertArrayEquals(a.getInputStream(e).readAllBytes(), b.getInputStream(b.getEntry(e.getName())).readAllBytes(),
                        e.getName());
            }
        }
    }

    @Test
    @Timeout(120)
    void withoutTheAgentAndNotInstrumentedTheFirstSuspensionSaysWhichFrameIsNotInstrumented() throws Exception {
        Path classes = copyPackage(AotProgram.class, dir.resolve("classes"));
        AgentProcessTest.Result r = run(null, classes.toString());
        assertEquals(1, r.exit, r.out + r.err);
        assertEquals("", r.out);
        assertTrue(r.err.startsWith("Exception in thread \"main\" java.lang.IllegalStateException: Cannot suspend: the Bobbin"
                + " agent is not loaded in this JVM, so no method is instrumented for suspension (the frame at fault is"
                + " io.bobbin.core.aot.AotProgram.count"), r.err);
        assertTrue(r.err.contains("-javaagent:") && r.err.contains("instrument the classes ahead of time"), r.err);
    }

    @Test
    @Timeout(120)
    void aLibraryWhoseLoaderCannotSeeTheRuntimeRunsUninstrumentedWithOneWarningSayingWhatToAdd() throws Exception {
        Path library = copyPackage(io.bobbin.blindlib.Greeter.class, dir.resolve("library"));
        AgentProcessTest.Result r = AgentProcessTest.java(List.of("-javaagent:" + AgentProcessTest.agentJar()
                        + "=all=io.bobbin.blindlib", "-cp", System.getProperty("java.class.path"),
                io.bobbin.core.aot.BlindLoaderMain.class.getName(), library.toString()));
        assertEquals(0, r.exit, r.out + r.err);
        assertEquals("io.bobbin.blindlib.Greeter: hello, world\nio.bobbin.blindlib.Counter: 5 letters\n", r.out);
        List<String> warnings = new ArrayList<>();
        for (String line : r.err.split("\n")) {
            if (line.startsWith("[bobbin] WARNING: ")) {
                warnings.add(line);
            }
        }
        assertEquals(1, warnings.size(), r.err);
        String w = warnings.get(0);
        assertTrue(w.startsWith("[bobbin] WARNING: class io.bobbin.blindlib.Greeter is left uninstrumented, so its methods"
                + " cannot suspend: class loader java.net.URLClassLoader@"), w);
        assertTrue(w.contains(", which defines it, cannot see the Bobbin runtime (io.bobbin.internal.cont.FrameStack, in"
                + " bobbin-runtime.jar) that instrumented code calls; add bobbin-runtime.jar to the class path of that"
                + " loader, or of a parent of it (other classes of that loader are not reported)"), w);
    }
}
