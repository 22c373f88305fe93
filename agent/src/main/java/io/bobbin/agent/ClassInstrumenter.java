package io.bobbin.agent;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.ListIterator;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.JSRInlinerAdapter;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * Instruments one class: decides which of its methods are suspendable, runs the method passes on
 * each, and writes the class with frames computed from class bytes. Each method goes through the
 * passes on a copy of its tree, which replaces it only when every pass succeeded:
 * <ol>
 *   <li>{@link TorturePoint} (torture mode only): a suspension point at the method's entry;</li>
 *   <li>{@link NewRelocator}: moves {@code new T} past the suspension points in its constructor's
 *       arguments, from the flow analysis ({@link FlowAnalyzer}), which is redone when it moved any;</li>
 *   <li>{@link MethodAnalysis}: plans each suspension point (live values, their types, monitors),
 *       reading the code only;</li>
 *   <li>{@link MethodInstrumenter}: writes the protocol of {@link RuntimeProtocol} into the method.</li>
 * </ol>
 * A method that cannot be instrumented is left as it was, with one warning; the rest of its class
 * still is.
 */
final class ClassInstrumenter {
    private static final byte[] MARK = RuntimeProtocol.FRAME_STACK.getBytes(StandardCharsets.ISO_8859_1);

    /** Counts for the verbose log and the tests. */
    static final class Outcome {
        final byte[] bytes;
        final int methods;
        final int points;

        Outcome(byte[] bytes, int methods, int points) {
            this.bytes = bytes;
            this.methods = methods;
            this.points = points;
        }
    }

    private ClassInstrumenter() {}

    /** The instrumented class, or {@code null} when it needs no change. */
    static Outcome instrument(byte[] bytes, LoaderContext context, boolean torture) {
        if (contains(bytes, MARK)) {
            return null; // already instrumented (by another copy of the agent, or before a retransformation)
        }
        ClassInfo info = context.hierarchy.define(bytes);
        if (!mayHaveSuspendables(info, context.index)) {
            return null;
        }
        Set<String> suspendable = new HashSet<>();
        for (ClassInfo.MethodInfo m : info.methods.values()) {
            if (context.index.isSuspendable(info, m)) {
                suspendable.add(ClassInfo.key(m.name, m.desc));
            }
        }
        if (suspendable.isEmpty()) {
            return null;
        }
        ClassNode node = read(bytes);
        int methods = 0;
        int points = 0;
        for (ListIterator<MethodNode> it = node.methods.listIterator(); it.hasNext(); ) {
            MethodNode m = it.next();
            if (!suspendable.contains(ClassInfo.key(m.name, m.desc)) || !MethodInstrumenter.isInstrumentable(m)) {
                continue;
            }
            MethodNode copy = copyOf(m);
            int planned;
            try {
                planned = runPasses(node.name, node.sourceFile, copy, context, torture);
            } catch (UnsupportedCodeException e) {
                warnUninstrumented(node.name, m, e.getMessage());
                continue;
            } catch (AnalyzerException e) {
                warnUninstrumented(node.name, m, "the agent cannot analyse its code (" + e.getMessage()
                        + "); if the class is valid, report this with the class file");
                continue;
            } catch (RuntimeException e) {
                warnUninstrumented(node.name, m, "the agent failed on it (" + e
                        + "); report this with the class file");
                continue;
            }
            it.set(copy);
            methods++;
            points += planned;
        }
        if (methods == 0) {
            return null;
        }
        HierarchyClassWriter writer = new HierarchyClassWriter(context.hierarchy);
        node.accept(writer);
        return new Outcome(writer.toByteArray(), methods, points);
    }

    /** Runs the method passes on {@code m} (a copy), in place; returns its number of suspension points. */
    private static int runPasses(String owner, String sourceFile, MethodNode m, LoaderContext context, boolean torture)
            throws UnsupportedCodeException, AnalyzerException {
        if (torture) {
            TorturePoint.insert(m);
        }
        List<MethodInsnNode> calls = MethodAnalysis.suspensionCalls(m, context.index);
        List<SuspensionPoint> plan = List.of();
        if (!calls.isEmpty()) {
            FlowAnalyzer flow = FlowAnalyzer.of(owner, m, context.hierarchy);
            if (NewRelocator.relocate(m, calls, flow)) {
                flow = FlowAnalyzer.of(owner, m, context.hierarchy); // the code changed
            }
            plan = new MethodAnalysis(m, calls, flow).plan();
        }
        if (plan.isEmpty()) {
            MethodInstrumenter.instrumentLeaf(owner, sourceFile, m);
        } else {
            new MethodInstrumenter(owner, sourceFile, context.hierarchy, m, plan).instrument();
        }
        return plan.size();
    }

    /** A copy of a method's tree (code, annotations, attributes) that the passes may change freely. */
    static MethodNode copyOf(MethodNode m) {
        MethodNode copy = new MethodNode(Opcodes.ASM9, m.access, m.name, m.desc, m.signature,
                m.exceptions == null ? null : m.exceptions.toArray(new String[0]));
        m.accept(copy);
        m.instructions.resetLabels(); // the original may still be written, if the copy is dropped
        return copy;
    }

    private static void warnUninstrumented(String owner, MethodNode m, String why) {
        Log.warn("method " + owner.replace('/', '.') + "." + m.name + m.desc
                + " is left uninstrumented, so it cannot suspend: " + why);
    }

    private static boolean mayHaveSuspendables(ClassInfo info, SuspendableIndex index) {
        if (info.markedType || !info.lambdaTargets.isEmpty() || index.typeHasSuspendables(info.superName)) {
            return true;
        }
        for (ClassInfo.MethodInfo m : info.methods.values()) {
            if (m.marked) {
                return true;
            }
        }
        for (String i : info.interfaces) {
            if (index.typeHasSuspendables(i)) {
                return true;
            }
        }
        return index.typeHasSuspendables(info.name);
    }

    private static ClassNode read(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        boolean old = reader.readShort(6) < Opcodes.V1_7; // JSR/RET exist only before Java 7
        ClassNode node = new ClassNode(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                return old ? new JSRInlinerAdapter(mv, access, name, descriptor, signature, exceptions) : mv;
            }
        };
        reader.accept(node, ClassReader.SKIP_FRAMES);
        return node;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
