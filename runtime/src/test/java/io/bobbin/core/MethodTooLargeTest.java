package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.SuspendableRunnable;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A suspendable method that instrumentation would grow past the JVM's limit of 64 KB of code is
 * left uninstrumented, with a warning; the rest of its class is instrumented and suspends, and a
 * suspension through that method throws the usual error naming it (the whole class used to be left
 * as it was). The classes are generated, and loaded under the agent.
 */
class MethodTooLargeTest {
    private static final String SUSPENDABLE = "Lio/bobbin/Suspendable;";

    /**
     * {@code gen.Big}: {@code @Suspendable g()} suspends; {@code @Suspendable small()} calls it once;
     * {@code @Suspendable big()} calls it 1,500 times, a long live across each call.
     */
    static byte[] big() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "gen/Big", null, "java/lang/Object", null);
        MethodVisitor g = suspendable(cw, "g", "()V");
        g.visitMethodInsn(Opcodes.INVOKESTATIC, "io/bobbin/Continuation", "suspend", "()V", false);
        g.visitInsn(Opcodes.RETURN);
        end(g);
        MethodVisitor small = suspendable(cw, "small", "()J");
        small.visitMethodInsn(Opcodes.INVOKESTATIC, "gen/Big", "g", "()V", false);
        small.visitLdcInsn(7L);
        small.visitInsn(Opcodes.LRETURN);
        end(small);
        MethodVisitor big = suspendable(cw, "big", "()J");
        big.visitInsn(Opcodes.LCONST_0);
        big.visitVarInsn(Opcodes.LSTORE, 0);
        for (int i = 0; i < 1500; i++) {
            big.visitMethodInsn(Opcodes.INVOKESTATIC, "gen/Big", "g", "()V", false);
            big.visitVarInsn(Opcodes.LLOAD, 0);
            big.visitInsn(Opcodes.LCONST_1);
            big.visitInsn(Opcodes.LADD);
            big.visitVarInsn(Opcodes.LSTORE, 0);
        }
        big.visitVarInsn(Opcodes.LLOAD, 0);
        big.visitInsn(Opcodes.LRETURN);
        end(big);
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** {@code gen.NAME implements SuspendableRunnable}: {@code run()} calls {@code gen.Big.method()J} and stores it in {@code result}. */
    static byte[] caller(String name, String method) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "gen/" + name, null, "java/lang/Object",
                new String[] {"io/bobbin/SuspendableRunnable"});
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "result", "J", null, null).visitEnd();
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        end(init);
        MethodVisitor run = cw.visitMethod(Opcodes.ACC_PUBLIC, "run", "()V", null, null);
        run.visitCode();
        run.visitMethodInsn(Opcodes.INVOKESTATIC, "gen/Big", method, "()J", false);
        run.visitFieldInsn(Opcodes.PUTSTATIC, "gen/" + name, "result", "J");
        run.visitInsn(Opcodes.RETURN);
        end(run);
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static MethodVisitor suspendable(ClassWriter cw, String name, String desc) {
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name, desc, null, null);
        m.visitAnnotation(SUSPENDABLE, true).visitEnd();
        m.visitCode();
        return m;
    }

    private static void end(MethodVisitor m) {
        m.visitMaxs(0, 0);
        m.visitEnd();
    }

    /** Defines the generated classes (so the agent sees them load) and serves their bytes as resources. */
    static final class GenLoader extends ClassLoader {
        private final Map<String, byte[]> classes = new HashMap<>();

        GenLoader() {
            super("gen", MethodTooLargeTest.class.getClassLoader());
            classes.put("gen.Big", big());
            classes.put("gen.RunSmall", caller("RunSmall", "small"));
            classes.put("gen.RunBig", caller("RunBig", "big"));
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            byte[] b = name.endsWith(".class") ? classes.get(name.substring(0, name.length() - 6).replace('/', '.')) : null;
            return b != null ? new ByteArrayInputStream(b) : super.getResourceAsStream(name);
        }
    }

    private static SuspendableRunnable body(ClassLoader loader, String name) throws ReflectiveOperationException {
        return (SuspendableRunnable) loader.loadClass(name).getConstructor().newInstance();
    }

    @Test
    void theRestOfTheClassIsInstrumentedAndSuspends() throws Exception {
        GenLoader loader = new GenLoader();
        Continuation c = new Continuation(body(loader, "gen.RunSmall"));
        int resumes = 0;
        while (!c.isDone()) {
            c.resume();
            resumes++;
        }
        assertEquals(2, resumes);
        assertEquals(7L, loader.loadClass("gen.RunSmall").getField("result").getLong(null));
    }

    @Test
    void aSuspensionThroughTheMethodLeftUninstrumentedThrowsTheUsualErrorNamingIt() throws Exception {
        GenLoader loader = new GenLoader();
        Continuation c = new Continuation(body(loader, "gen.RunBig"));
        IllegalStateException e = assertThrows(IllegalStateException.class, c::resume);
        assertTrue(e.getMessage().startsWith("Cannot suspend: the frame at fault is gen.Big.big"), e.getMessage());
        assertTrue(e.getMessage().contains("gen.Big.big"), e.getMessage());
        assertTrue(c.isDone());
    }
}
