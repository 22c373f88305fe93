package io.bobbin.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

class MethodMetadataTest {
    /** {@code static int f(int x) { return x + add; }}, its one line numbered {@code line}. */
    private static MethodNode method(int line, int add) {
        MethodNode m = new MethodNode(Opcodes.ASM9, Opcodes.ACC_STATIC, "f", "(I)I", null, null);
        m.visitCode();
        Label start = new Label();
        m.visitLabel(start);
        m.visitLineNumber(line, start);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitIntInsn(Opcodes.BIPUSH, add);
        m.visitInsn(Opcodes.IADD);
        m.visitInsn(Opcodes.IRETURN);
        m.visitMaxs(2, 1);
        m.visitEnd();
        return m;
    }

    @Test
    void aMethodMovedInItsFileKeepsItsFingerprint() {
        assertEquals(MethodMetadata.fingerprint(method(10, 3), List.of()),
                MethodMetadata.fingerprint(method(42, 3), List.of()));
    }

    @Test
    void aChangedInstructionChangesTheFingerprint() {
        assertNotEquals(MethodMetadata.fingerprint(method(10, 3), List.of()),
                MethodMetadata.fingerprint(method(10, 4), List.of()));
    }

    @Test
    void aChangedPlanChangesTheFingerprintButAChangedLineOfAPointDoesNot() {
        MethodNode m = method(10, 3);
        long a = MethodMetadata.fingerprint(m, List.of("10|1|0|0|-1|184|A|g|()V"));
        long b = MethodMetadata.fingerprint(m, List.of("11|1|0|0|-1|184|A|g|()V"));
        long c = MethodMetadata.fingerprint(m, List.of("10|2|0|0|-1|184|A|g|()V"));
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void resumePointBasesLeaveRoomForTheMostPointsAndStayPositive() {
        for (String name : List.of("a", "run", "lambda$main$0", "call", "x".repeat(300))) {
            int base = MethodMetadata.pointBase("com/example/Owner", name, "()V");
            assertEquals(0, base & (MethodMetadata.MAX_POINTS - 1));
            assertTrue(base >= 0 && base + MethodMetadata.MAX_POINTS - 1 > base, "no overflow: " + base);
        }
        assertNotEquals(MethodMetadata.pointBase("A", "f", "()V"), MethodMetadata.pointBase("B", "f", "()V"));
    }
}
