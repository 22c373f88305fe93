package io.bobbin.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/** What the agent reads of a class without visiting its code: its lambda targets, from the constant pool. */
class ClassInfoTest {
    /** The lambda targets as the code makes them: every lambda-metafactory invokedynamic whose implementation is in the class. */
    static Set<String> fromCode(byte[] bytes) {
        Set<String> targets = new TreeSet<>();
        ClassReader reader = new ClassReader(bytes);
        String owner = reader.getClassName();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitInvokeDynamicInsn(String n, String d, Handle bsm, Object... args) {
                        if (bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory") && args.length >= 3
                                && args[1] instanceof Handle && ((Handle) args[1]).getOwner().equals(owner)) {
                            Handle impl = (Handle) args[1];
                            targets.add(impl.getName() + impl.getDesc() + " <- " + Type.getReturnType(d).getInternalName()
                                    + "." + n + ((Type) args[0]).getDescriptor());
                        }
                    }
                };
            }
        }, 0);
        return targets;
    }

    static Set<String> fromInfo(ClassInfo info) {
        Set<String> targets = new TreeSet<>();
        for (ClassInfo.LambdaTarget t : info.lambdaTargets) {
            targets.add(t.targetKey + " <- " + t.iface + "." + t.samName + t.samDesc);
        }
        return targets;
    }

    @Test
    void lambdaTargetsReadFromTheConstantPoolAreTheOnesTheCodeMakes() throws IOException {
        for (String name : List.of("java/util/stream/Collectors", "java/util/HashMap", "java/util/concurrent/CompletableFuture",
                "java/lang/String", "io/bobbin/agent/ClassInfoTest", "io/bobbin/agent/ClassScanTest")) {
            byte[] bytes = ClassScanTest.resource(name);
            ClassInfo info = ClassInfo.read(bytes);
            Set<String> expected = fromCode(bytes);
            Set<String> read = fromInfo(info);
            assertTrue(read.containsAll(expected), name + ": " + expected + " vs " + read);
            read.removeAll(expected);
            for (String extra : read) { // only the targets of javac's varargs adaptations come on top
                String key = extra.substring(0, extra.indexOf(' '));
                assertTrue((info.methods.get(key).access & Opcodes.ACC_VARARGS) != 0, name + ": " + extra);
            }
        }
        assertFalse(fromCode(ClassScanTest.resource("java/util/stream/Collectors")).isEmpty());
    }

    static String join(String... parts) {
        return String.join("+", parts);
    }

    /** Gives this class a varargs method reference for the test below. */
    static final BiFunction<String, String, String> JOIN = ClassInfoTest::join;

    @Test
    void aVarargsMethodReferenceOfTheClassNamesItsTargetToo() throws IOException {
        ClassInfo info = ClassInfo.read(ClassScanTest.resource("io/bobbin/agent/ClassInfoTest"));
        Set<String> targets = fromInfo(info);
        assertTrue(targets.contains("join([Ljava/lang/String;)Ljava/lang/String; <- java/util/function/BiFunction.apply"
                + "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;"), targets.toString());
        assertEquals("a+b", JOIN.apply("a", "b"));
    }
}
