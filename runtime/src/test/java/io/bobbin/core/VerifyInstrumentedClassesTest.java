package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
 * Every class the agent instrumented during this test run (it dumps them: see the surefire argLine)
 * passes ASM's CheckClassAdapter with data-flow verification. Runs last.
 */
@Order(Integer.MAX_VALUE)
class VerifyInstrumentedClassesTest {
    @Test
    void everyInstrumentedClassVerifies() throws IOException {
        Path dump = Paths.get(System.getProperty("bobbin.dump", "target/bobbin-dump"));
        List<Path> classes;
        try (Stream<Path> files = Files.walk(dump)) {
            classes = files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
        }
        List<String> names = classes.stream().map(p -> dump.relativize(p).toString()).collect(Collectors.toList());
        assertTrue(names.contains("io/bobbin/core/ValuesTest.class"), names.toString());
        assertTrue(names.contains("io/bobbin/Generator$Run.class"), names.toString());
        assertTrue(classes.size() >= 15, "only " + classes.size() + " instrumented classes: " + names);
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
