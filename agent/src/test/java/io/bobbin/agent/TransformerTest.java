package io.bobbin.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

class TransformerTest {
    /**
     * The tests' loader, as if it could see the runtime (the agent's tests cannot have it on their
     * class path): the agent instruments only classes whose loader can.
     */
    static final ClassLoader RUNTIME_LOADER = new ClassLoader(TransformerTest.class.getClassLoader()) {
        @Override
        public java.net.URL getResource(String name) {
            if (name.equals(LoaderContext.RUNTIME_PROBE)) {
                return TransformerTest.class.getResource("TransformerTest.class");
            }
            return super.getResource(name);
        }
    };

    /** A class with {@code @Suspendable static int f(int)} that calls {@code @Suspendable static void g()} in a loop. */
    static byte[] sample(String name) {
        return sample(name, Opcodes.V17);
    }

    static byte[] sample(String name, int version) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
        MethodVisitor g = cw.visitMethod(Opcodes.ACC_STATIC, "g", "()V", null, null);
        g.visitAnnotation(RuntimeProtocol.SUSPENDABLE_DESC, true).visitEnd();
        g.visitCode();
        g.visitInsn(Opcodes.RETURN);
        g.visitMaxs(0, 0);
        g.visitEnd();
        MethodVisitor f = cw.visitMethod(Opcodes.ACC_STATIC, "f", "(I)I", null, null);
        f.visitAnnotation(RuntimeProtocol.SUSPENDABLE_DESC, true).visitEnd();
        f.visitCode();
        org.objectweb.asm.Label loop = new org.objectweb.asm.Label();
        org.objectweb.asm.Label end = new org.objectweb.asm.Label();
        f.visitLabel(loop);
        f.visitVarInsn(Opcodes.ILOAD, 0);
        f.visitJumpInsn(Opcodes.IFLE, end);
        f.visitLdcInsn(7L);
        f.visitMethodInsn(Opcodes.INVOKESTATIC, name, "g", "()V", false);
        f.visitInsn(Opcodes.POP2);
        f.visitIincInsn(0, -1);
        f.visitJumpInsn(Opcodes.GOTO, loop);
        f.visitLabel(end);
        f.visitLineNumber(42, end);
        f.visitVarInsn(Opcodes.ILOAD, 0);
        f.visitInsn(Opcodes.IRETURN);
        org.objectweb.asm.Label last = new org.objectweb.asm.Label();
        f.visitLabel(last);
        f.visitLocalVariable("count", "I", null, loop, last, 0);
        f.visitMaxs(0, 0);
        f.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void instrumentsSuspendableMethodsAndTheResultVerifies() {
        SuspendableTransformer t = new SuspendableTransformer(AgentOptions.parse("verify"));
        byte[] in = sample("test/Sample");
        byte[] out = t.transform(RUNTIME_LOADER, "test/Sample", null, null, in);
        assertNotNull(out);
        assertEquals(1, t.classes.get());
        assertEquals(2, t.methods.get()); // f (one point) and g (a leaf)
        assertEquals(1, t.points.get());
        StringWriter problems = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(out), null, false, new PrintWriter(problems));
        assertEquals("", problems.toString());
        // Transforming again changes nothing: the class is already instrumented.
        assertNull(t.transform(RUNTIME_LOADER, "test/Sample", null, null, out));
    }

    @Test
    void classesWithoutSuspendablesAreLeftAlone() throws Exception {
        SuspendableTransformer t = new SuspendableTransformer(AgentOptions.parse(""));
        byte[] own;
        try (var in = getClass().getResourceAsStream("/io/bobbin/agent/AgentOptionsTest.class")) {
            own = in.readAllBytes();
        }
        assertNull(t.transform(RUNTIME_LOADER, "io/bobbin/agent/AgentOptionsTestCopy", null, null, own));
        assertNull(t.transform(null, "java/lang/String", null, null, new byte[] {1, 2, 3}));
    }

    /**
     * {@link #sample} plus {@code @Suspendable static Object h()}, whose {@code new Object()} is not the
     * shape javac writes ({@code NEW; invokestatic g; DUP; <init>}): it cannot be moved past the call.
     */
    static byte[] sampleWithUnsupportedMethod(String name) {
        ClassReader reader = new ClassReader(sample(name));
        ClassWriter cw = new ClassWriter(reader, ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        reader.accept(cw, 0);
        MethodVisitor h = cw.visitMethod(Opcodes.ACC_STATIC, "h", "()Ljava/lang/Object;", null, null);
        h.visitAnnotation(RuntimeProtocol.SUSPENDABLE_DESC, true).visitEnd();
        h.visitCode();
        h.visitTypeInsn(Opcodes.NEW, "java/lang/Object");
        h.visitMethodInsn(Opcodes.INVOKESTATIC, name, "g", "()V", false);
        h.visitInsn(Opcodes.DUP);
        h.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        h.visitInsn(Opcodes.ARETURN);
        h.visitMaxs(0, 0);
        h.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void aMethodThatCannotBeInstrumentedIsLeftAsItWasWithOneWarningAndTheRestOfItsClassIsInstrumented() {
        SuspendableTransformer t = new SuspendableTransformer(AgentOptions.parse("verify"));
        byte[] in = sampleWithUnsupportedMethod("test/Mixed");
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        byte[] out;
        try {
            out = t.transform(RUNTIME_LOADER, "test/Mixed", null, null, in);
        } finally {
            System.setErr(saved);
        }
        assertNotNull(out);
        assertEquals(2, t.methods.get()); // f and g, not h
        assertEquals(1, t.points.get());
        String log = err.toString();
        assertEquals(1, log.split("WARNING", -1).length - 1, log);
        assertTrue(log.contains("method test.Mixed.h()Ljava/lang/Object; is left uninstrumented"), log);
        assertTrue(log.contains("new java.lang.Object is not the NEW/DUP/<init> shape"), log);
        assertEquals(text(in, "h"), text(out, "h"));
        assertTrue(text(out, "f").contains(RuntimeProtocol.FRAME_STACK), text(out, "f"));
    }

    /** A method's code and annotations, as text. */
    private static String text(byte[] bytes, String method) {
        org.objectweb.asm.tree.ClassNode node = new org.objectweb.asm.tree.ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES);
        org.objectweb.asm.util.Textifier printer = new org.objectweb.asm.util.Textifier();
        node.methods.stream().filter(m -> m.name.equals(method)).findFirst().get()
                .accept(new org.objectweb.asm.util.TraceMethodVisitor(printer));
        StringWriter s = new StringWriter();
        printer.print(new PrintWriter(s));
        return s.toString();
    }

    @Test
    void malformedBytesAreLeftAsTheyWereWithOneWarning() {
        SuspendableTransformer t = new SuspendableTransformer(AgentOptions.parse(""));
        byte[] good = sample("test/Broken");
        byte[][] inputs = {new byte[] {(byte) 0xCA, (byte) 0xFE}, Arrays.copyOf(good, good.length / 2), new byte[0]};
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            for (byte[] b : inputs) {
                byte[] copy = b.clone();
                assertNull(t.transform(RUNTIME_LOADER, "test/Broken", null, null, b));
                assertArrayEquals(copy, b);
            }
        } finally {
            System.setErr(saved);
        }
        String log = err.toString();
        assertTrue(log.contains("class test.Broken is left as it was"), log);
        assertEquals(1, log.split("left as it was", -1).length - 1, log);
    }

    @Test
    void classFilesUpToJava25AreInstrumented() {
        SuspendableTransformer t = new SuspendableTransformer(AgentOptions.parse("verify"));
        byte[] out = t.transform(RUNTIME_LOADER, "test/Modern", null, null, sample("test/Modern", Opcodes.V25));
        assertNotNull(out);
        assertEquals(Opcodes.V25, new ClassReader(out).readShort(6));
    }

    @Test
    void lineNumbersAndLocalVariablesAreKept() {
        SuspendableTransformer t = new SuspendableTransformer(AgentOptions.parse(""));
        byte[] out = t.transform(RUNTIME_LOADER, "test/Debug", null, null, sample("test/Debug"));
        org.objectweb.asm.tree.ClassNode node = new org.objectweb.asm.tree.ClassNode();
        new ClassReader(out).accept(node, 0);
        org.objectweb.asm.tree.MethodNode f = node.methods.stream().filter(m -> m.name.equals("f")).findFirst().get();
        assertEquals(1, f.localVariables.size());
        assertEquals("count", f.localVariables.get(0).name);
        assertEquals(0, f.localVariables.get(0).index);
        long lines = java.util.stream.StreamSupport.stream(f.instructions.spliterator(), false)
                .filter(i -> i instanceof org.objectweb.asm.tree.LineNumberNode)
                .filter(i -> ((org.objectweb.asm.tree.LineNumberNode) i).line == 42).count();
        assertEquals(1, lines);
    }
}
