package io.bobbin.agent;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * ASM's {@link Analyzer} with {@link TypeInterpreter} types and {@link InitTrackingFrame}s, which
 * also keeps the control-flow graph it walks: normal and exception successors of every instruction.
 * Once it has analysed a method it is that method's flow facts ({@link #getFrames()}, the graph),
 * valid until a pass changes the method's code.
 */
final class FlowAnalyzer extends Analyzer<BasicValue> {
    private int[][] successors;
    private int[][] handlers;
    private InsnList insns;

    FlowAnalyzer(TypeInterpreter interpreter) {
        super(interpreter);
    }

    /** Analyses a method's code as it is now. */
    static FlowAnalyzer of(String owner, MethodNode method, TypeHierarchy hierarchy) throws AnalyzerException {
        FlowAnalyzer flow = new FlowAnalyzer(new TypeInterpreter(hierarchy, method.instructions));
        flow.analyze(owner, method);
        return flow;
    }

    @Override
    public Frame<BasicValue>[] analyze(String owner, MethodNode method) throws AnalyzerException {
        int n = method.instructions.size();
        successors = new int[n][];
        handlers = new int[n][];
        insns = method.instructions;
        return super.analyze(owner, method);
    }

    /** The frame before an instruction of the analysed code, or {@code null} when it is unreachable. */
    Frame<BasicValue> frameAt(AbstractInsnNode insn) {
        return getFrames()[insns.indexOf(insn)];
    }

    /** The {@code NEW} instructions whose object is still unconstructed on the operand stack before one of {@code insns}. */
    Set<TypeInsnNode> unbornOnStackAt(List<? extends AbstractInsnNode> at) {
        Set<TypeInsnNode> found = new LinkedHashSet<>();
        for (AbstractInsnNode insn : at) {
            Frame<BasicValue> f = frameAt(insn);
            if (f == null) {
                continue;
            }
            for (int k = 0; k < f.getStackSize(); k++) {
                BasicValue v = f.getStack(k);
                if (v instanceof TypeInterpreter.Uninitialized) {
                    found.add(((TypeInterpreter.Uninitialized) v).newInsn);
                }
            }
        }
        return found;
    }

    @Override
    protected void newControlFlowEdge(int insn, int successor) {
        successors[insn] = add(successors[insn], successor);
    }

    @Override
    protected boolean newControlFlowExceptionEdge(int insn, int successor) {
        handlers[insn] = add(handlers[insn], successor);
        return true;
    }

    private static int[] add(int[] list, int value) {
        if (list == null) {
            return new int[] {value};
        }
        for (int v : list) {
            if (v == value) {
                return list;
            }
        }
        int[] grown = Arrays.copyOf(list, list.length + 1);
        grown[list.length] = value;
        return grown;
    }

    private static final int[] NONE = new int[0];

    int[] successors(int insn) {
        int[] s = successors[insn];
        return s == null ? NONE : s;
    }

    int[] handlers(int insn) {
        int[] h = handlers[insn];
        return h == null ? NONE : h;
    }

    @Override
    protected Frame<BasicValue> newFrame(int numLocals, int numStack) {
        return new InitTrackingFrame(numLocals, numStack);
    }

    @Override
    protected Frame<BasicValue> newFrame(Frame<? extends BasicValue> frame) {
        return new InitTrackingFrame(frame);
    }
}
