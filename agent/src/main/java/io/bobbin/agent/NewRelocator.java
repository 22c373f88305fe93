package io.bobbin.agent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Pass 2, a transform: moves {@code new T} past suspension points. The verifier forbids saving an object that no
 * constructor has initialised, so for {@code new T(a, suspending(), b)} the {@code NEW T; DUP} pair
 * is removed from before the arguments and made again right before the constructor call: the
 * arguments, already computed, are spilled to fresh locals, {@code NEW T; DUP} is emitted, and the
 * arguments are reloaded. {@code NEW} also initialises the class, before the arguments run; so that
 * this stays so, a {@code NEW T; POP} is left where the pair was (the JIT drops the allocation).
 * Order of evaluation is then unchanged but for when the object is allocated, which no code can
 * observe.
 *
 * <p>It finds the objects to move from the flow analysis of the code as it is, and tells whether it
 * moved any: that analysis is then stale.
 */
final class NewRelocator {
    /** What a user can do about a {@code new} the agent cannot move. */
    static final String REMEDY = "compute the suspending arguments into local variables before the new";

    private NewRelocator() {}

    /**
     * Moves every {@code new} whose object is unconstructed on the stack at one of the suspension
     * {@code calls}. {@code flow} is the analysis of the method's code as it is now.
     *
     * @return whether the code changed
     */
    static boolean relocate(MethodNode method, List<MethodInsnNode> calls, FlowAnalyzer flow) throws UnsupportedCodeException {
        Set<TypeInsnNode> news = flow.unbornOnStackAt(calls);
        if (news.isEmpty()) {
            return false;
        }
        Frame<BasicValue>[] frames = flow.getFrames();
        InsnList insns = method.instructions;
        Map<TypeInsnNode, MethodInsnNode> constructors = new HashMap<>();
        int i = 0;
        for (AbstractInsnNode insn : insns) {
            if (insn.getOpcode() == Opcodes.INVOKESPECIAL && "<init>".equals(((MethodInsnNode) insn).name) && frames[i] != null) {
                Frame<BasicValue> f = frames[i];
                BasicValue receiver = f.getStack(f.getStackSize() - 1 - Type.getArgumentCount(((MethodInsnNode) insn).desc));
                if (receiver instanceof TypeInterpreter.Uninitialized) {
                    TypeInsnNode origin = ((TypeInterpreter.Uninitialized) receiver).newInsn;
                    if (news.contains(origin)) {
                        MethodInsnNode previous = constructors.put(origin, (MethodInsnNode) insn);
                        if (previous != null && previous != insn) {
                            throw new UnsupportedCodeException("new " + origin.desc.replace('/', '.') + " reaches more than one"
                                    + " constructor call, so it cannot be moved past the suspension point in its arguments; "
                                    + REMEDY);
                        }
                    }
                }
            }
            i++;
        }
        for (TypeInsnNode alloc : news) {
            MethodInsnNode init = constructors.get(alloc);
            AbstractInsnNode dup = nextReal(alloc);
            if (init == null || dup == null || dup.getOpcode() != Opcodes.DUP) {
                throw new UnsupportedCodeException("new " + alloc.desc.replace('/', '.') + " is not the NEW/DUP/<init> shape"
                        + " that javac writes, so it cannot be moved past the suspension point in its arguments; " + REMEDY);
            }
            insns.insertBefore(alloc, new TypeInsnNode(Opcodes.NEW, alloc.desc));
            insns.insertBefore(alloc, new InsnNode(Opcodes.POP));
            insns.remove(dup);
            insns.remove(alloc);
            Type[] args = Type.getArgumentTypes(init.desc);
            int[] slots = new int[args.length];
            for (int a = 0; a < args.length; a++) {
                slots[a] = method.maxLocals;
                method.maxLocals += args[a].getSize();
            }
            InsnList rebuild = new InsnList();
            for (int a = args.length - 1; a >= 0; a--) {
                rebuild.add(new VarInsnNode(args[a].getOpcode(Opcodes.ISTORE), slots[a]));
            }
            rebuild.add(new TypeInsnNode(Opcodes.NEW, alloc.desc));
            rebuild.add(new InsnNode(Opcodes.DUP));
            for (int a = 0; a < args.length; a++) {
                rebuild.add(new VarInsnNode(args[a].getOpcode(Opcodes.ILOAD), slots[a]));
            }
            insns.insertBefore(init, rebuild);
        }
        return true;
    }

    private static AbstractInsnNode nextReal(AbstractInsnNode insn) {
        AbstractInsnNode n = insn.getNext();
        while (n != null && n.getOpcode() < 0) {
            n = n.getNext();
        }
        return n;
    }
}
