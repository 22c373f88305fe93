package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Every class the agent instrumented during this test run (it dumps them: see the surefire argLine),
 * and every class of the runtime that the build instrumented ahead of time (they carry the agent's
 * mark), passes ASM's CheckClassAdapter with data-flow verification. Runs last.
 */
@Order(Integer.MAX_VALUE)
class VerifyInstrumentedClassesTest {
    /** The runtime's classes instrumented by the build: those whose constant pool names the mark. */
    static List<Path> runtimeClassesInstrumentedAtBuildTime() throws IOException, URISyntaxException {
        Path classes = Paths.get(Continuation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        byte[] mark = "Lio/bobbin/agent/InstrumentedBy;".getBytes(StandardCharsets.ISO_8859_1);
        List<Path> marked = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList())) {
                if (contains(Files.readAllBytes(p), mark)) {
                    marked.add(p);
                }
            }
        }
        return marked;
    }

    private static boolean contains(byte[] b, byte[] s) {
        outer:
        for (int i = 0; i + s.length <= b.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (b[i + j] != s[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void everyInstrumentedClassVerifies() throws Exception {
        Path dump = Paths.get(System.getProperty("bobbin.dump", "target/bobbin-dump"));
        List<Path> classes;
        try (Stream<Path> files = Files.walk(dump)) {
            classes = files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toCollection(ArrayList::new));
        }
        List<String> names = classes.stream().map(p -> dump.relativize(p).toString()).collect(Collectors.toList());
        assertTrue(names.contains("io/bobbin/core/ValuesTest.class"), names.toString());
        assertTrue(classes.size() >= 15, "only " + classes.size() + " instrumented classes: " + names);
        List<Path> runtime = runtimeClassesInstrumentedAtBuildTime();
        List<String> runtimeNames = runtime.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
        assertTrue(runtimeNames.containsAll(List.of("Generator$Run.class", "Async.class", "LoopTask.class")),
                runtimeNames.toString());
        classes.addAll(runtime);
        List<String> problems = new ArrayList<>();
        for (Path p : classes) {
            StringWriter out = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(Files.readAllBytes(p)), getClass().getClassLoader(), false,
                    new PrintWriter(out));
            if (!out.toString().isEmpty()) {
                problems.add(p + ":\n" + out);
            }
        }
        assertEquals(List.of(), problems);
    }
}
