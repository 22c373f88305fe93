package io.bobbin.agent;

import java.util.Arrays;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * ASM's {@link Analyzer} with {@link TypeInterpreter} types and {@link InitTrackingFrame}s, which
 * also keeps the control-flow graph it walks: normal and exception successors of every instruction.
 */
final class FlowAnalyzer extends Analyzer<BasicValue> {
    private int[][] successors;
    private int[][] handlers;

    FlowAnalyzer(TypeInterpreter interpreter) {
        super(interpreter);
    }

    @Override
    public Frame<BasicValue>[] analyze(String owner, MethodNode method) throws AnalyzerException {
        int n = method.instructions.size();
        successors = new int[n][];
        handlers = new int[n][];
        return super.analyze(owner, method);
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
