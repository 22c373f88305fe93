package io.bobbin.agent;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Pass 3: plans a method's suspension points from its flow analysis: which values are live at each
 * one and of what type, and whether a monitor is held. It only reads the code, never changes it.
 * Objects under construction must have been moved off the operand stack at suspension points
 * ({@link NewRelocator}); one that is still there makes the method unsupported.
 */
final class MethodAnalysis {
    private final MethodNode method;
    private final List<MethodInsnNode> calls;
    private final FlowAnalyzer flow;

    /**
     * @param calls the method's {@linkplain #suspensionCalls suspension calls}
     * @param flow the analysis of the method's code as it is now
     */
    MethodAnalysis(MethodNode method, List<MethodInsnNode> calls, FlowAnalyzer flow) {
        this.method = method;
        this.calls = calls;
        this.flow = flow;
    }

    /** The calls of a method that may suspend, in code order: calls of suspendable methods, and the torture point. */
    static List<MethodInsnNode> suspensionCalls(MethodNode method, SuspendableIndex index) {
        List<MethodInsnNode> calls = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof MethodInsnNode) {
                MethodInsnNode call = (MethodInsnNode) insn;
                if (index.isSuspendableCall(call.owner, call.name, call.desc) || TorturePoint.isTorturePoint(call)) {
                    calls.add(call);
                }
            }
        }
        return calls;
    }

    /** The suspension points, in code order; empty when none is reachable. */
    List<SuspensionPoint> plan() throws UnsupportedCodeException {
        if (calls.isEmpty()) {
            return List.of();
        }
        Set<TypeInsnNode> unborn = flow.unbornOnStackAt(calls);
        if (!unborn.isEmpty()) {
            throw new UnsupportedCodeException("an object under construction (new " + unborn.iterator().next().desc
                    .replace('/', '.') + ") stays on the operand stack across a suspension point; " + NewRelocator.REMEDY);
        }
        Frame<BasicValue>[] frames = flow.getFrames();
        BitSet[] liveIn = liveness();
        int[] monitors = monitorDepths();
        boolean synchronizedMethod = (method.access & Opcodes.ACC_SYNCHRONIZED) != 0;

        List<SuspensionPoint> points = new ArrayList<>();
        InsnList insns = method.instructions;
        for (MethodInsnNode call : calls) {
            int i = insns.indexOf(call);
            Frame<BasicValue> f = frames[i];
            if (f == null) {
                continue; // unreachable
            }
            boolean isStatic = call.getOpcode() == Opcodes.INVOKESTATIC;
            int below = f.getStackSize() - Type.getArgumentCount(call.desc) - (isStatic ? 0 : 1);
            SuspensionPoint.Slot[] stack = new SuspensionPoint.Slot[below];
            for (int k = 0; k < below; k++) {
                stack[k] = slot(k, f.getStack(k), "stack value " + k, call);
            }
            List<SuspensionPoint.Slot> locals = new ArrayList<>();
            for (int j = 0; j < f.getLocals(); j++) {
                BasicValue v = f.getLocal(j);
                if (!liveIn[i].get(j) || v == BasicValue.UNINITIALIZED_VALUE || v.getType() == null) {
                    continue;
                }
                locals.add(slot(j, v, "local " + j, call));
            }
            Type receiver = null;
            if (!isStatic) {
                Type t = f.getStack(below).getType();
                receiver = t == null || t.equals(TypeInterpreter.NULL) || f.getStack(below) instanceof TypeInterpreter.Uninitialized
                        ? Type.getObjectType(call.owner) : t;
            }
            points.add(new SuspensionPoint(points.size(), call, locals.toArray(new SuspensionPoint.Slot[0]), stack, receiver,
                    synchronizedMethod || monitors[i] > 0));
        }
        return points;
    }

    private SuspensionPoint.Slot slot(int index, BasicValue v, String what, MethodInsnNode call) throws UnsupportedCodeException {
        if (v instanceof TypeInterpreter.Uninitialized) {
            throw new UnsupportedCodeException(what + " holds an object under construction at the call to " + name(call)
                    + "; make that call before the new, into a local variable");
        }
        Type t = v.getType();
        if (t == null) {
            throw new UnsupportedCodeException(what + " has no type the agent can tell at the call to " + name(call)
                    + "; if the class is valid, report this with the class file");
        }
        if (t.getSort() == Type.VOID) { // BasicValue.RETURNADDRESS_VALUE
            throw new UnsupportedCodeException(what + " holds a subroutine return address (jsr) at the call to " + name(call)
                    + "; compile the class without jsr/ret subroutines (for Java 7 or later)");
        }
        if (t.equals(TypeInterpreter.NULL)) {
            return new SuspensionPoint.Slot(index, SuspensionPoint.Kind.NULL, t);
        }
        return new SuspensionPoint.Slot(index, SuspensionPoint.kindOf(t), t);
    }

    private static String name(MethodInsnNode call) {
        return call.owner.replace('/', '.') + "." + call.name;
    }

    /** Locals live on entry to each instruction (by slot), following exception edges too. */
    private BitSet[] liveness() {
        InsnList insns = method.instructions;
        int n = insns.size();
        BitSet[] in = new BitSet[n];
        for (int i = 0; i < n; i++) {
            in[i] = new BitSet();
        }
        AbstractInsnNode[] array = insns.toArray();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = n - 1; i >= 0; i--) {
                BitSet live = new BitSet();
                for (int s : flow.successors(i)) {
                    live.or(in[s]);
                }
                AbstractInsnNode insn = array[i];
                int op = insn.getOpcode();
                if (insn instanceof VarInsnNode) {
                    int var = ((VarInsnNode) insn).var;
                    if (op >= Opcodes.ISTORE && op <= Opcodes.ASTORE) {
                        live.clear(var);
                    } else {
                        live.set(var);
                    }
                } else if (insn instanceof IincInsnNode) {
                    live.set(((IincInsnNode) insn).var);
                }
                for (int h : flow.handlers(i)) {
                    live.or(in[h]);
                }
                if (!live.equals(in[i])) {
                    in[i] = live;
                    changed = true;
                }
            }
        }
        return in;
    }

    /** The number of monitors this method holds before each instruction (the most over all paths). */
    private int[] monitorDepths() {
        InsnList insns = method.instructions;
        int n = insns.size();
        int[] depth = new int[n];
        java.util.Arrays.fill(depth, -1);
        if (n == 0) {
            return depth;
        }
        AbstractInsnNode[] array = insns.toArray();
        java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
        depth[0] = 0;
        work.add(0);
        while (!work.isEmpty()) {
            int i = work.poll();
            int d = depth[i];
            int op = array[i].getOpcode();
            int out = op == Opcodes.MONITORENTER ? d + 1 : op == Opcodes.MONITOREXIT ? Math.max(0, d - 1) : d;
            for (int s : flow.successors(i)) {
                if (out > depth[s]) {
                    depth[s] = out;
                    work.add(s);
                }
            }
            for (int h : flow.handlers(i)) {
                if (d > depth[h]) {
                    depth[h] = d;
                    work.add(h);
                }
            }
        }
        return depth;
    }
}
