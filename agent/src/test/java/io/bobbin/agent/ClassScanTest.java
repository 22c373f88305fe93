package io.bobbin.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/** The pre-scan: what it reads from the constant pool, and which classes it lets through unparsed. */
class ClassScanTest {
    static byte[] resource(String internalName) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    /** The object types the class's invokedynamics return, as ASM reads them. */
    static Set<String> indyTypes(byte[] bytes) {
        Set<String> types = new LinkedHashSet<>();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitInvokeDynamicInsn(String n, String d, Handle bsm, Object... args) {
                        Type r = Type.getReturnType(d);
                        if (r.getSort() == Type.OBJECT) {
                            types.add(r.getInternalName());
                        }
                    }
                };
            }
        }, 0);
        return types;
    }

    @Test
    void theScanReadsTheNameSupertypesAndLambdaTypesThatAsmReads() throws IOException {
        // Every kind of constant: longs and doubles (two slots), method handles, invokedynamic, and more.
        for (String name : List.of("java/lang/String", "java/util/HashMap", "java/util/stream/Collectors",
                "java/lang/invoke/MethodHandles", "io/bobbin/agent/ClassScanTest", "java/lang/Object")) {
            byte[] bytes = resource(name);
            ClassScan scan = ClassScan.of(bytes);
            ClassReader asm = new ClassReader(bytes);
            assertEquals(asm.getClassName(), scan.name, name);
            assertEquals(asm.getSuperName(), scan.superName, name);
            assertArrayEquals(asm.getInterfaces(), scan.interfaces, name);
            assertEquals(indyTypes(bytes), new LinkedHashSet<>(Arrays.asList(scan.lambdaTypes)), name);
            assertFalse(scan.suspendableMark, name);
            assertFalse(scan.instrumentedMark, name);
        }
        assertTrue(Arrays.asList(ClassScan.of(resource("io/bobbin/agent/ClassScanTest")).lambdaTypes)
                .contains("java/util/function/Function"));
    }

    /** Gives this class a lambda of a JDK type, for the test above. */
    static final Function<String, String> LAMBDA = s -> s + "!";

    @Test
    void theScanSeesTheSuspendableAndInstrumentedMarks() {
        assertTrue(ClassScan.of(TestClasses.marked("t/M", "java/lang/Object")).suspendableMark);
        assertFalse(ClassScan.of(TestClasses.plain("t/P", "java/lang/Object")).suspendableMark);
        byte[] out = new SuspendableTransformer(AgentOptions.parse("")).transform(TransformerTest.RUNTIME_LOADER,
                "test/Marked", null, null, TransformerTest.sample("test/Marked"));
        assertTrue(ClassScan.of(out).instrumentedMark);
        assertFalse(ClassScan.of(TransformerTest.sample("test/Marked")).instrumentedMark);
    }

    @Test
    void bytesThatAreNotAClassFileAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClassScan.of(new byte[] {1, 2, 3})).getMessage()
                .contains("not a class file"));
        byte[] good = TestClasses.plain("t/P", "java/lang/Object");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClassScan.of(Arrays.copyOf(good, 40))).getMessage()
                .contains("truncated class file"));
    }

    /** The pre-scan's answer for {@code name}, among classes served by a loader. */
    private static boolean mayHave(String extras, String name, byte[]... classes) {
        TestClasses.Loader loader = new TestClasses.Loader(true);
        byte[] subject = null;
        for (byte[] c : classes) {
            loader.with(c);
            if (new ClassReader(c).getClassName().equals(name)) {
                subject = c;
            }
        }
        LoaderContext context = new LoaderContext.Registry(AgentOptions.parse(extras).extras).forLoader(loader);
        return context.index.mayHaveSuspendables(ClassScan.of(subject));
    }

    @Test
    void aClassWithoutMarksSuspendableSupertypesOrSuspendableLambdasIsLetThrough() {
        assertFalse(mayHave("", "t/Plain", TestClasses.plain("t/Plain", "t/Base", "t/Api"),
                TestClasses.plain("t/Base", "java/lang/Object"), TestClasses.iface("t/Api", false)));
        assertFalse(mayHave("", "t/Lambdas", TestClasses.withLambda("t/Lambdas", "java/lang/Runnable")));
        assertFalse(mayHave("", "t/Lambdas", TestClasses.withLambda("t/Lambdas", "t/Api"), TestClasses.iface("t/Api", false)));
    }

    @Test
    void aClassWithAMarkedMethodIsLookedAt() {
        assertTrue(mayHave("", "t/M", TestClasses.marked("t/M", "java/lang/Object")));
    }

    @Test
    void aClassThatMayOverrideASuspendableMethodIsLookedAt() {
        // Through its superclass's superclass, and through an interface's superinterface.
        assertTrue(mayHave("", "t/Sub", TestClasses.plain("t/Sub", "t/Mid"), TestClasses.plain("t/Mid", "t/Top"),
                TestClasses.marked("t/Top", "java/lang/Object")));
        assertTrue(mayHave("", "t/Impl", TestClasses.plain("t/Impl", "java/lang/Object", "t/Api"),
                TestClasses.type(Opcodes.ACC_PUBLIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT, "t/Api",
                        "java/lang/Object", new String[] {"t/Root"}, cw -> { }),
                TestClasses.iface("t/Root", true)));
    }

    @Test
    void aClassWithALambdaOfASuspendableInterfaceIsLookedAt() {
        assertTrue(mayHave("", "t/Lambdas", TestClasses.withLambda("t/Lambdas", "t/Task"), TestClasses.iface("t/Task", true)));
    }

    @Test
    void aClassNamedBySuspendablesEntriesOrUnderAllIsLookedAt() {
        assertTrue(mayHave("all=com.example", "com/example/deep/P", TestClasses.plain("com/example/deep/P", "java/lang/Object")));
        assertFalse(mayHave("all=com.example", "com/other/P", TestClasses.plain("com/other/P", "java/lang/Object")));
        // A JDK interface named as suspendable: its lambdas are.
        assertTrue(mayHaveWithFile("java.lang.Runnable.run", "t/Lambdas", TestClasses.withLambda("t/Lambdas", "java/lang/Runnable")));
    }

    private static boolean mayHaveWithFile(String line, String name, byte[] subject) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("suspendables", ".txt");
            try {
                java.nio.file.Files.writeString(file, line + "\n");
                return mayHave("suspendables=" + file, name, subject);
            } finally {
                java.nio.file.Files.delete(file);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A class cut right after its header: whole for the pre-scan, broken for any parser that reads on. */
    private static byte[] headerOnly(byte[] bytes) {
        ClassReader r = new ClassReader(bytes);
        int afterInterfaces = r.header + 8 + 2 * r.getInterfaces().length;
        return Arrays.copyOf(bytes, afterInterfaces);
    }

    @Test
    void aClassThePreScanLetsThroughIsNeverParsed() {
        SuspendableTransformer t = new SuspendableTransformer(AgentOptions.parse(""));
        List<String> warnings = TestClasses.warnings(() -> assertNull(t.transform(TransformerTest.RUNTIME_LOADER, "t/Cut",
                null, null, headerOnly(TestClasses.plain("t/Cut", "java/lang/Object")))));
        assertEquals(List.of(), warnings); // ASM would have failed on the missing methods
        // The same cut on a class with a mark goes on to ASM, which fails, and the class is left as it was.
        List<String> marked = TestClasses.warnings(() -> assertNull(t.transform(TransformerTest.RUNTIME_LOADER,
                "t/CutMarked", null, null, headerOnly(TestClasses.marked("t/CutMarked", "java/lang/Object")))));
        assertEquals(1, marked.size(), marked.toString());
        assertTrue(marked.get(0).contains("class t.CutMarked is left as it was"), marked.get(0));
    }
}
