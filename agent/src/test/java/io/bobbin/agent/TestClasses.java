package io.bobbin.agent;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/** Class files written with ASM for the agent's tests, a loader that serves them, and captured warnings. */
final class TestClasses {
    private TestClasses() {}

    /** A class with straight-line methods only (no frames needed); {@code body} adds members. */
    static byte[] type(int access, String name, String superName, String[] interfaces, Consumer<ClassWriter> body) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, access, name, null, superName, interfaces);
        body.accept(cw);
        cw.visitEnd();
        return cw.toByteArray();
    }

    static byte[] plain(String name, String superName, String... interfaces) {
        return type(Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, superName, interfaces, cw -> method(cw, "work", false));
    }

    /** A class with one {@code @Suspendable void work()}. */
    static byte[] marked(String name, String superName, String... interfaces) {
        return type(Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, superName, interfaces, cw -> method(cw, "work", true));
    }

    /** An interface with one abstract {@code void run()}, marked or not. */
    static byte[] iface(String name, boolean marked) {
        return type(Opcodes.ACC_PUBLIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT, name, "java/lang/Object", null, cw -> {
            MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "run", "()V", null, null);
            if (marked) {
                m.visitAnnotation(RuntimeProtocol.SUSPENDABLE_DESC, true).visitEnd();
            }
            m.visitEnd();
        });
    }

    /** A class whose {@code make()} returns a lambda of {@code iface} (sam {@code run()V}) with body {@code lambda$make$0}. */
    static byte[] withLambda(String name, String iface) {
        return type(Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, "java/lang/Object", null, cw -> {
            MethodVisitor body = cw.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                    "lambda$make$0", "()V", null, null);
            body.visitCode();
            body.visitInsn(Opcodes.RETURN);
            body.visitMaxs(0, 0);
            body.visitEnd();
            MethodVisitor make = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "make", "()L" + iface + ";", null, null);
            make.visitCode();
            Handle bsm = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/LambdaMetafactory", "metafactory",
                    "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
                            + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;Ljava/lang/invoke/MethodType;)"
                            + "Ljava/lang/invoke/CallSite;", false);
            make.visitInvokeDynamicInsn("run", "()L" + iface + ";", bsm, Type.getType("()V"),
                    new Handle(Opcodes.H_INVOKESTATIC, name, "lambda$make$0", "()V", false), Type.getType("()V"));
            make.visitInsn(Opcodes.ARETURN);
            make.visitMaxs(0, 0);
            make.visitEnd();
        });
    }

    /** {@code public void NAME()} that returns at once, marked {@code @Suspendable} or not. */
    static void method(ClassWriter cw, String name, boolean marked) {
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC, name, "()V", null, null);
        if (marked) {
            m.visitAnnotation(RuntimeProtocol.SUSPENDABLE_DESC, true).visitEnd();
        }
        m.visitCode();
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
    }

    /**
     * A class {@code name} with {@code @Suspendable static void g()}, {@code @Suspendable static int
     * small()} that calls it once, and {@code @Suspendable static long big()} that calls it
     * {@code calls} times, keeping a long live across each call: instrumented, big() grows about
     * tenfold. {@code g} calls {@code leaf} ({@code owner.name()V}, static) if not {@code null}.
     */
    static byte[] bigMethod(String name, int calls, String[] leaf) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
        MethodVisitor g = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "g", "()V", null, null);
        g.visitAnnotation(RuntimeProtocol.SUSPENDABLE_DESC, true).visitEnd();
        g.visitCode();
        if (leaf != null) {
            g.visitMethodInsn(Opcodes.INVOKESTATIC, leaf[0], leaf[1], "()V", false);
        }
        g.visitInsn(Opcodes.RETURN);
        g.visitMaxs(0, 0);
        g.visitEnd();
        MethodVisitor small = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "small", "()I", null, null);
        small.visitAnnotation(RuntimeProtocol.SUSPENDABLE_DESC, true).visitEnd();
        small.visitCode();
        small.visitMethodInsn(Opcodes.INVOKESTATIC, name, "g", "()V", false);
        small.visitInsn(Opcodes.ICONST_1);
        small.visitInsn(Opcodes.IRETURN);
        small.visitMaxs(0, 0);
        small.visitEnd();
        MethodVisitor big = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "big", "()J", null, null);
        big.visitAnnotation(RuntimeProtocol.SUSPENDABLE_DESC, true).visitEnd();
        big.visitCode();
        big.visitInsn(Opcodes.LCONST_0);
        big.visitVarInsn(Opcodes.LSTORE, 0);
        for (int i = 0; i < calls; i++) {
            big.visitMethodInsn(Opcodes.INVOKESTATIC, name, "g", "()V", false);
            big.visitVarInsn(Opcodes.LLOAD, 0);
            big.visitInsn(Opcodes.LCONST_1);
            big.visitInsn(Opcodes.LADD);
            big.visitVarInsn(Opcodes.LSTORE, 0);
        }
        big.visitVarInsn(Opcodes.LLOAD, 0);
        big.visitInsn(Opcodes.LRETURN);
        big.visitMaxs(0, 0);
        big.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * A loader that serves class files from a map as resources (it never defines them), and that
     * sees the runtime, or not.
     */
    static final class Loader extends ClassLoader {
        final Map<String, byte[]> classes = new HashMap<>();
        private final boolean seesRuntime;

        Loader(boolean seesRuntime) {
            super(TestClasses.class.getClassLoader());
            this.seesRuntime = seesRuntime;
        }

        Loader with(byte[] bytes) {
            classes.put(new org.objectweb.asm.ClassReader(bytes).getClassName(), bytes);
            return this;
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            byte[] b = name.endsWith(".class") ? classes.get(name.substring(0, name.length() - 6)) : null;
            return b != null ? new ByteArrayInputStream(b) : super.getResourceAsStream(name);
        }

        @Override
        public java.net.URL getResource(String name) {
            if (name.equals(LoaderContext.RUNTIME_PROBE)) {
                return seesRuntime ? TestClasses.class.getResource("TestClasses.class") : null;
            }
            return super.getResource(name);
        }
    }

    /** The agent's warnings while {@code action} runs on this thread. */
    static List<String> warnings(Runnable action) {
        List<String> warnings = new ArrayList<>();
        Log.Sink previous = Log.redirect(new Log.Sink(warnings::add, null));
        try {
            action.run();
        } finally {
            Log.restore(previous);
        }
        return warnings;
    }
}
