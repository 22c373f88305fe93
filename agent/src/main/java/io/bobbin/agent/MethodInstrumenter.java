package io.bobbin.agent;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Writes the suspend/resume protocol of the runtime's frame store ({@link RuntimeProtocol}) into a
 * method, from the plan that {@link MethodAnalysis} made:
 * <ul>
 *   <li>a prologue that finds the current frame store and, when restoring, jumps to the dispatch;</li>
 *   <li>around each suspension point, the arming of the call, and after it a test that branches to
 *       an out-of-line capture block when the callee is suspending;</li>
 *   <li>out of line, after the method's code (so outside every try range and line): one capture
 *       block and one restore block per point, and the dispatch switch.</li>
 * </ul>
 * The user's instructions, line numbers and local-variable table stay as they were.
 */
final class MethodInstrumenter {
    private final String className;
    private final TypeHierarchy hierarchy;
    private final MethodNode method;
    private final List<SuspensionPoint> points;
    /** The method's name for faults and errors: {@code pkg.Class.method}. */
    private final String methodName;
    private final int stackLocal;
    private final int faultLocal;

    private final String sourceFile;
    private final int base;

    MethodInstrumenter(String className, String sourceFile, TypeHierarchy hierarchy, MethodNode method,
                       List<SuspensionPoint> points) throws UnsupportedCodeException {
        if (points.size() > MethodMetadata.MAX_POINTS) {
            throw new UnsupportedCodeException("it has " + points.size() + " suspension points, more than the "
                    + MethodMetadata.MAX_POINTS + " a method can have; split it into smaller methods");
        }
        this.className = className;
        this.sourceFile = sourceFile;
        this.base = MethodMetadata.pointBase(className, method.name, method.desc);
        this.hierarchy = hierarchy;
        this.method = method;
        this.points = points;
        this.methodName = className.replace('/', '.') + "." + method.name;
        this.stackLocal = method.maxLocals++;
        this.faultLocal = method.maxLocals++;
    }

    void instrument() {
        List<String> described = new java.util.ArrayList<>(points.size());
        for (SuspensionPoint p : points) {
            described.add(MethodMetadata.describe(p, method));
        }
        long fingerprint = MethodMetadata.fingerprint(method, described);
        markInstrumented(method, MethodMetadata.annotation(base, fingerprint, sourceFile, described));
        InsnList code = method.instructions;
        LabelNode dispatch = new LabelNode();
        disarmAtHandlers();
        code.insert(prologue(dispatch));

        InsnList tail = new InsnList();
        LabelNode[] restores = new LabelNode[points.size()];
        for (SuspensionPoint p : points) {
            restores[p.id] = new LabelNode();
            instrumentPoint(p, tail, restores[p.id]);
        }
        tail.add(dispatch);
        tail.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
        tail.add(invoke(RuntimeProtocol.POP_POINT));
        LabelNode bad = new LabelNode();
        tail.add(new TableSwitchInsnNode(base, base + points.size() - 1, bad, restores));
        tail.add(bad);
        tail.add(new LdcInsnNode(methodName));
        tail.add(new InsnNode(Opcodes.ICONST_M1));
        tail.add(invoke(RuntimeProtocol.BAD_RESUME_POINT));
        tail.add(new InsnNode(Opcodes.ATHROW));
        code.add(tail);
    }

    /** {@code fault = null; s = FrameStack.current(); if (s != null) { if (s.mode != RUNNING) goto dispatch; fault = s.enter(id, name); }} */
    private InsnList prologue(LabelNode dispatch) {
        InsnList p = new InsnList();
        LabelNode start = new LabelNode();
        p.add(new InsnNode(Opcodes.ACONST_NULL));
        p.add(new VarInsnNode(Opcodes.ASTORE, faultLocal));
        p.add(invoke(RuntimeProtocol.CURRENT));
        p.add(new InsnNode(Opcodes.DUP));
        p.add(new VarInsnNode(Opcodes.ASTORE, stackLocal));
        p.add(new JumpInsnNode(Opcodes.IFNULL, start));
        jumpUnlessRunning(p, dispatch);
        p.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
        p.add(new LdcInsnNode(RuntimeProtocol.methodId(method.name, method.desc)));
        p.add(new LdcInsnNode(RuntimeProtocol.UNANCHORED + methodName));
        p.add(invoke(RuntimeProtocol.ENTER));
        p.add(new VarInsnNode(Opcodes.ASTORE, faultLocal));
        p.add(start);
        return p;
    }

    /** An exception that reaches a handler ends whatever call was armed. */
    private void disarmAtHandlers() {
        Set<LabelNode> handlers = new LinkedHashSet<>();
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            handlers.add(block.handler);
        }
        for (LabelNode handler : handlers) {
            InsnList d = new InsnList();
            LabelNode skip = new LabelNode();
            d.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
            d.add(new JumpInsnNode(Opcodes.IFNULL, skip));
            d.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
            d.add(invoke(RuntimeProtocol.DISARM));
            d.add(skip);
            method.instructions.insert(handler, d);
        }
    }

    private void instrumentPoint(SuspensionPoint p, InsnList tail, LabelNode restore) {
        InsnList code = method.instructions;
        LabelNode call = new LabelNode();
        LabelNode invoke = new LabelNode();
        LabelNode resume = new LabelNode();
        LabelNode capture = new LabelNode();
        Type[] args = p.arguments();

        // Keep the receiver in a local of its own: the capture block saves it, the restore block re-invokes on it.
        // An interface call may land in a forwarder the JVM spun, which converts (unboxes) its arguments
        // before the target can restore itself: its arguments are kept too, and restored for real.
        int receiverLocal = -1;
        int[] spill = null;
        InsnList before = new InsnList();
        if (p.receiver != null) {
            spill = new int[args.length];
            for (int a = 0; a < args.length; a++) {
                spill[a] = method.maxLocals;
                method.maxLocals += args[a].getSize();
            }
            for (int a = args.length - 1; a >= 0; a--) {
                before.add(new VarInsnNode(args[a].getOpcode(Opcodes.ISTORE), spill[a]));
            }
            receiverLocal = method.maxLocals++;
            before.add(new InsnNode(Opcodes.DUP));
            before.add(new VarInsnNode(Opcodes.ASTORE, receiverLocal));
            for (int a = 0; a < args.length; a++) {
                before.add(new VarInsnNode(args[a].getOpcode(Opcodes.ILOAD), spill[a]));
            }
        }
        int[] keptArgs = p.call.getOpcode() == Opcodes.INVOKEINTERFACE ? spill : null;
        before.add(call);
        before.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
        before.add(new JumpInsnNode(Opcodes.IFNULL, invoke));
        before.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
        before.add(new VarInsnNode(Opcodes.ALOAD, faultLocal));
        if (p.underMonitor) {
            before.add(new LdcInsnNode(RuntimeProtocol.MONITOR + methodName));
            before.add(new LdcInsnNode(RuntimeProtocol.methodId(p.call.name, p.call.desc)));
            before.add(invoke(RuntimeProtocol.ARM_UNDER_MONITOR));
        } else {
            before.add(new LdcInsnNode(RuntimeProtocol.methodId(p.call.name, p.call.desc)));
            before.add(invoke(RuntimeProtocol.ARM));
        }
        before.add(invoke);
        code.insertBefore(p.call, before);

        InsnList after = new InsnList();
        after.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
        after.add(new JumpInsnNode(Opcodes.IFNULL, resume));
        jumpUnlessRunning(after, capture);
        after.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
        after.add(invoke(RuntimeProtocol.DISARM));
        after.add(resume);
        code.insert(p.call, after);

        emitCapture(p, tail, capture, receiverLocal, args, keptArgs);
        emitRestore(p, tail, restore, call, receiverLocal, args, keptArgs);
    }

    /**
     * Saves the frame, leaf first: the stack below the call (top first), the live locals, the
     * receiver, the kept arguments, the point.
     */
    private void emitCapture(SuspensionPoint p, InsnList tail, LabelNode capture, int receiverLocal, Type[] args,
                             int[] keptArgs) {
        tail.add(capture);
        int returnSize = p.returnType().getSize();
        if (returnSize > 0) {
            tail.add(new InsnNode(returnSize == 2 ? Opcodes.POP2 : Opcodes.POP));
        }
        for (int k = p.stack.length - 1; k >= 0; k--) {
            SuspensionPoint.Slot v = p.stack[k];
            if (v.kind == SuspensionPoint.Kind.NULL) {
                tail.add(new InsnNode(Opcodes.POP));
            } else {
                push(tail, v.kind);
            }
        }
        for (SuspensionPoint.Slot v : p.locals) {
            if (v.kind != SuspensionPoint.Kind.NULL) {
                tail.add(new VarInsnNode(v.kind.load, v.index));
                push(tail, v.kind);
            }
        }
        if (receiverLocal >= 0) {
            tail.add(new VarInsnNode(Opcodes.ALOAD, receiverLocal));
            push(tail, SuspensionPoint.Kind.REF);
        }
        if (keptArgs != null) {
            for (int a = 0; a < args.length; a++) {
                SuspensionPoint.Kind kind = SuspensionPoint.kindOf(args[a]);
                tail.add(new VarInsnNode(kind.load, keptArgs[a]));
                push(tail, kind);
            }
        }
        tail.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
        tail.add(new LdcInsnNode(base + p.id));
        tail.add(invoke(RuntimeProtocol.PUSH_POINT));
        Type ret = Type.getReturnType(method.desc);
        if (ret.getSort() != Type.VOID) {
            tail.add(new InsnNode(SuspensionPoint.kindOf(ret).zero));
        }
        tail.add(new InsnNode(ret.getOpcode(Opcodes.IRETURN)));
    }

    private void push(InsnList out, SuspensionPoint.Kind kind) {
        out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
        out.add(invoke(kind.push));
    }

    /** Restores the frame in reverse order of the capture, rebuilds the operand stack and re-enters the call. */
    private void emitRestore(SuspensionPoint p, InsnList tail, LabelNode restore, LabelNode call, int receiverLocal,
                             Type[] args, int[] keptArgs) {
        tail.add(restore);
        if (keptArgs != null) {
            for (int a = args.length - 1; a >= 0; a--) {
                SuspensionPoint.Kind kind = SuspensionPoint.kindOf(args[a]);
                pop(tail, kind, args[a]);
                tail.add(new VarInsnNode(kind.store, keptArgs[a]));
            }
        }
        if (receiverLocal >= 0) {
            pop(tail, SuspensionPoint.Kind.REF, p.receiver);
            tail.add(new VarInsnNode(Opcodes.ASTORE, receiverLocal));
        }
        for (int i = p.locals.length - 1; i >= 0; i--) {
            SuspensionPoint.Slot v = p.locals[i];
            pop(tail, v.kind, v.type);
            tail.add(new VarInsnNode(v.kind.store, v.index));
        }
        for (SuspensionPoint.Slot v : p.stack) {
            pop(tail, v.kind, v.type);
        }
        if (receiverLocal >= 0) {
            tail.add(new VarInsnNode(Opcodes.ALOAD, receiverLocal));
        }
        if (keptArgs != null) {
            for (int a = 0; a < args.length; a++) {
                tail.add(new VarInsnNode(args[a].getOpcode(Opcodes.ILOAD), keptArgs[a]));
            }
        } else {
            // The callee restores its own locals, arguments included: any value of the right type will do.
            for (Type a : args) {
                tail.add(new InsnNode(SuspensionPoint.kindOf(a).zero));
            }
        }
        tail.add(new JumpInsnNode(Opcodes.GOTO, call));
    }

    private void pop(InsnList out, SuspensionPoint.Kind kind, Type type) {
        if (kind == SuspensionPoint.Kind.NULL) {
            out.add(new InsnNode(Opcodes.ACONST_NULL));
            return;
        }
        out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
        out.add(invoke(kind.pop));
        if (kind == SuspensionPoint.Kind.REF) {
            String cast = castable(type);
            if (!cast.equals(TypeHierarchy.OBJECT)) {
                out.add(new TypeInsnNode(Opcodes.CHECKCAST, cast));
            }
        }
    }

    /** The type to cast a restored reference to: {@code type}, or what this class may name of it. */
    private String castable(Type type) {
        Type element = type.getSort() == Type.ARRAY ? type.getElementType() : type;
        if (element.getSort() != Type.OBJECT) {
            return type.getInternalName(); // arrays of primitives are always accessible
        }
        String accessible = hierarchy.accessibleFrom(className, element.getInternalName());
        if (accessible.equals(element.getInternalName())) {
            return type.getInternalName();
        }
        if (type.getSort() == Type.ARRAY) {
            return "[".repeat(type.getDimensions()) + Type.getObjectType(accessible).getDescriptor();
        }
        return accessible;
    }

    /** For a suspendable method without suspension points: take the caller's arm, nothing more. */
    static void instrumentLeaf(String className, String sourceFile, MethodNode m) {
        markInstrumented(m, MethodMetadata.annotation(MethodMetadata.pointBase(className, m.name, m.desc),
                MethodMetadata.fingerprint(m, List.of()), sourceFile, List.of()));
        m.instructions.insert(invoke(RuntimeProtocol.ENTER_LEAF));
    }

    /** {@code if (s.mode != RUNNING) goto target}, {@code s} being the frame store (not {@code null}). */
    private void jumpUnlessRunning(InsnList out, LabelNode target) {
        out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
        out.add(getField(RuntimeProtocol.MODE));
        if (RuntimeProtocol.RUNNING == 0) {
            out.add(new JumpInsnNode(Opcodes.IFNE, target));
        } else {
            out.add(new LdcInsnNode(RuntimeProtocol.RUNNING));
            out.add(new JumpInsnNode(Opcodes.IF_ICMPNE, target));
        }
    }

    /** The call of a runtime method, by {@code invokestatic} or {@code invokevirtual} as the protocol says. */
    static MethodInsnNode invoke(RuntimeProtocol.Member m) {
        switch (m.kind) {
            case METHOD:
                return new MethodInsnNode(Opcodes.INVOKEVIRTUAL, m.owner, m.name, m.descriptor, false);
            case STATIC_METHOD:
                return new MethodInsnNode(Opcodes.INVOKESTATIC, m.owner, m.name, m.descriptor, false);
            default:
                throw new IllegalArgumentException("not a method of the runtime: " + m);
        }
    }

    /** The read of a runtime field (on the object on top of the stack). */
    private static FieldInsnNode getField(RuntimeProtocol.Member m) {
        if (m.kind != RuntimeProtocol.MemberKind.FIELD) {
            throw new IllegalArgumentException("not a field of the runtime: " + m);
        }
        return new FieldInsnNode(Opcodes.GETFIELD, m.owner, m.name, m.descriptor);
    }

    /**
     * The runtime tells instrumented methods by this annotation (for reflective calls), and reads the
     * method's metadata from it (see {@link MethodMetadata}).
     */
    private static void markInstrumented(MethodNode m, org.objectweb.asm.tree.AnnotationNode a) {
        if (m.visibleAnnotations == null) {
            m.visibleAnnotations = new java.util.ArrayList<>();
        }
        m.visibleAnnotations.add(a);
    }

    static boolean isInstrumentable(MethodNode m) {
        return (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0 && !m.name.startsWith("<")
                && m.instructions.size() > 0;
    }
}
