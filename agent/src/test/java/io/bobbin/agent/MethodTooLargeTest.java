package io.bobbin.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;

/** A method that instrumentation would grow past the JVM's 64 KB of code: only that method is left as it was. */
class MethodTooLargeTest {
    static MethodNode method(byte[] bytes, String name) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        return node.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    }

    static boolean instrumented(MethodNode m) {
        return m.visibleAnnotations != null
                && m.visibleAnnotations.stream().anyMatch(a -> a.desc.equals(RuntimeProtocol.INSTRUMENTED_DESC));
    }

    @Test
    void onlyTheMethodThatWouldOutgrowTheLimitIsLeftAsItWasWithAWarningNamingIt() {
        byte[] in = TestClasses.bigMethod("test/Big", 1500, null);
        assertTrue(in.length < 40_000, "big() is well under the limit as written: " + in.length);
        SuspendableTransformer t = new SuspendableTransformer(AgentOptions.parse("verify"));
        byte[][] out = new byte[1][];
        List<String> warnings = TestClasses.warnings(() -> out[0] = t.transform(TransformerTest.RUNTIME_LOADER, "test/Big",
                null, null, in));
        assertNotNull(out[0]);
        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        assertTrue(w.startsWith("method test.Big.big()J is left uninstrumented, so it cannot suspend: instrumented,"
                + " its code would take "), w);
        assertTrue(w.contains("over the JVM's limit of 65535 bytes per method; split it into smaller methods"), w);
        // g and small are instrumented, big is exactly as it was, and the class is sound.
        assertEquals(2, t.methods.get());
        assertEquals(1, t.points.get());
        assertTrue(instrumented(method(out[0], "g")));
        assertTrue(instrumented(method(out[0], "small")));
        MethodNode big = method(out[0], "big");
        assertTrue(!instrumented(big));
        assertEquals(method(in, "big").instructions.size(), big.instructions.size());
        StringWriter problems = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(out[0]), null, false, new PrintWriter(problems));
        assertEquals("", problems.toString());
        assertEquals(InstrumentedMark.VERSION, InstrumentedMark.versionOf(out[0]));
    }

    @Test
    void aMethodJustUnderTheLimitWhenInstrumentedIsInstrumented() {
        byte[] in = TestClasses.bigMethod("test/Fits", 100, null);
        SuspendableTransformer t = new SuspendableTransformer(AgentOptions.parse(""));
        List<String> warnings = TestClasses.warnings(() -> assertNotNull(t.transform(TransformerTest.RUNTIME_LOADER,
                "test/Fits", null, null, in)));
        assertEquals(List.of(), warnings);
        assertEquals(3, t.methods.get());
        assertEquals(101, t.points.get());
    }
}
