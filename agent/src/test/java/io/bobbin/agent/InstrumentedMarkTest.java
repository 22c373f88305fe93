package io.bobbin.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The mark every instrumented class carries, and what the agent does with marked classes. */
class InstrumentedMarkTest {
    private static byte[] transform(SuspendableTransformer t, String name, byte[] bytes) {
        return t.transform(TransformerTest.RUNTIME_LOADER, name, null, null, bytes);
    }

    /** {@link TransformerTest#sample} with a class annotation added: the mark of {@code version}, or another. */
    static byte[] withClassAnnotation(String name, String desc, String version) {
        ClassReader reader = new ClassReader(TransformerTest.sample(name));
        ClassWriter cw = new ClassWriter(reader, 0);
        reader.accept(cw, 0);
        var a = cw.visitAnnotation(desc, false);
        if (version != null) {
            a.visit("version", version);
        }
        a.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void everyInstrumentedClassCarriesTheMarkWithTheInstrumentersVersion() {
        byte[] out = transform(new SuspendableTransformer(AgentOptions.parse("")), "test/M1", TransformerTest.sample("test/M1"));
        assertEquals(InstrumentedMark.VERSION, InstrumentedMark.versionOf(out));
        assertTrue(InstrumentedMark.VERSION.matches("\\d+\\.\\d+\\.\\d+.*"), InstrumentedMark.VERSION); // the project's
        assertNull(InstrumentedMark.versionOf(TransformerTest.sample("test/M1")));
    }

    @Test
    void aClassMarkedByThisVersionIsLeftAsItIsWithoutAWord() {
        SuspendableTransformer t = new SuspendableTransformer(AgentOptions.parse("verbose"));
        byte[] out = transform(t, "test/M2", TransformerTest.sample("test/M2"));
        List<String> warnings = TestClasses.warnings(() -> assertNull(transform(t, "test/M2", out)));
        assertEquals(List.of(), warnings);
        assertEquals(1, t.classes.get());
    }

    @Test
    void classesMarkedByAnotherVersionAreLeftAsTheyAreWithOneWarningForThatVersion() {
        SuspendableTransformer t = new SuspendableTransformer(AgentOptions.parse(""));
        List<String> warnings = TestClasses.warnings(() -> {
            assertNull(transform(t, "test/Old1", withClassAnnotation("test/Old1", InstrumentedMark.DESC, "0.0.1")));
            assertNull(transform(t, "test/Old2", withClassAnnotation("test/Old2", InstrumentedMark.DESC, "0.0.1")));
        });
        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        assertTrue(w.startsWith("class test.Old1 was instrumented by Bobbin 0.0.1, and this is Bobbin "
                + InstrumentedMark.VERSION + ": it is used as it was"), w);
        assertTrue(w.contains("instrument it again from its original classes"), w);
        assertEquals(0, t.classes.get());
    }

    @Test
    void aClassThatMentionsTheFrameStackIsInstrumentedLikeAnyOther() {
        // The agent once took any class naming io/bobbin/internal/cont/FrameStack for one instrumented already.
        ClassReader reader = new ClassReader(TransformerTest.sample("test/Mentions"));
        ClassWriter cw = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(cw, 0);
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_STATIC, "name", "()Ljava/lang/String;", null, null);
        m.visitCode();
        m.visitLdcInsn(RuntimeProtocol.FRAME_STACK);
        m.visitInsn(Opcodes.ARETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        byte[] out = transform(new SuspendableTransformer(AgentOptions.parse("")), "test/Mentions", cw.toByteArray());
        assertNotNull(out);
        assertEquals(InstrumentedMark.VERSION, InstrumentedMark.versionOf(out));
    }

    @Test
    void aClassThatOnlyNamesTheMarksTypeIsInstrumented() {
        byte[] in = withClassAnnotation("test/Named", "Lio/bobbin/agent/SomethingElse;", null);
        ClassReader reader = new ClassReader(in);
        ClassWriter cw = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(cw, 0);
        cw.newUTF8(InstrumentedMark.DESC); // in the constant pool, but on nothing
        byte[] named = cw.toByteArray();
        assertTrue(ClassScan.of(named).instrumentedMark);
        assertNotNull(transform(new SuspendableTransformer(AgentOptions.parse("")), "test/Named", named));
    }
}
