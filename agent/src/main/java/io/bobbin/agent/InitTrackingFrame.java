package io.bobbin.agent;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.Interpreter;

/** A frame that, when a constructor runs, turns every copy of its uninitialised object into an initialised one. */
final class InitTrackingFrame extends Frame<BasicValue> {
    InitTrackingFrame(int numLocals, int maxStack) {
        super(numLocals, maxStack);
    }

    InitTrackingFrame(Frame<? extends BasicValue> frame) {
        super(frame);
    }

    @Override
    public void execute(AbstractInsnNode insn, Interpreter<BasicValue> interpreter) throws AnalyzerException {
        if (insn.getOpcode() == Opcodes.INVOKESPECIAL && "<init>".equals(((MethodInsnNode) insn).name)) {
            int receiverIndex = getStackSize() - 1 - Type.getArgumentCount(((MethodInsnNode) insn).desc);
            BasicValue receiver = getStack(receiverIndex);
            super.execute(insn, interpreter);
            if (receiver instanceof TypeInterpreter.Uninitialized) {
                BasicValue done = interpreter.newValue(((TypeInterpreter.Uninitialized) receiver).objectType);
                for (int i = 0; i < getLocals(); i++) {
                    if (getLocal(i) == receiver) {
                        setLocal(i, done);
                    }
                }
                for (int i = 0; i < getStackSize(); i++) {
                    if (getStack(i) == receiver) {
                        setStack(i, done);
                    }
                }
            }
            return;
        }
        super.execute(insn, interpreter);
    }
}
