package io.bobbin.agent;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.MethodTooLargeException;
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
 * still is. So is a method that instrumentation would grow past the JVM's limit of 64 KB of code.
 *
 * <p>Before any of this, the pre-scan ({@link ClassScan}) lets most classes through untouched, and
 * a class that carries the {@link InstrumentedMark} is never instrumented again. Every class this
 * changes gets that mark.
 */
final class ClassInstrumenter {
    /** The JVM's limit on a method's code, in bytes. */
    private static final int MAX_CODE = 65535;

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

    /** The instrumented class, or {@code null} when it needs no change (or carries the mark already). */
    static Outcome instrument(byte[] bytes, LoaderContext context, boolean torture) {
        return instrument(ClassScan.of(bytes), bytes, context, torture);
    }

    /**
     * The version in the class's {@link InstrumentedMark}, or {@code null} when it has none (its
     * pre-scan tells, without parsing, for nearly every class).
     */
    static String markOf(ClassScan scan, byte[] bytes) {
        return scan.instrumentedMark ? InstrumentedMark.versionOf(bytes) : null;
    }

    /**
     * The instrumented class, or {@code null} when it needs no change (or carries the mark already).
     *
     * @param scan the pre-scan of {@code bytes}
     */
    static Outcome instrument(ClassScan scan, byte[] bytes, LoaderContext context, boolean torture) {
        if (!context.index.mayHaveSuspendables(scan) || markOf(scan, bytes) != null) {
            return null;
        }
        ClassInfo info = context.hierarchy.define(bytes);
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
        Map<MethodNode, MethodNode> originals = new IdentityHashMap<>(); // instrumented copy -> method as it was
        Map<MethodNode, Integer> pointsOf = new IdentityHashMap<>();
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
            originals.put(copy, m);
            pointsOf.put(copy, planned);
            methods++;
            points += planned;
        }
        if (methods == 0) {
            return null;
        }
        InstrumentedMark.add(node);
        while (true) {
            HierarchyClassWriter writer = new HierarchyClassWriter(context.hierarchy);
            try {
                node.accept(writer);
                return new Outcome(writer.toByteArray(), methods, points);
            } catch (MethodTooLargeException e) {
                // Only that method is left as it was; the class is written again without it.
                MethodNode copy = instrumentedMethod(node, originals, e.getMethodName(), e.getDescriptor());
                if (copy == null) {
                    throw e; // too large as it was: not a class the JVM accepts
                }
                node.methods.set(node.methods.indexOf(copy), originals.remove(copy));
                warnUninstrumented(node.name, copy, "instrumented, its code would take " + e.getCodeSize()
                        + " bytes, over the JVM's limit of " + MAX_CODE + " bytes per method; split it into smaller"
                        + " methods (a suspension through it throws an IllegalStateException that names it)");
                methods--;
                points -= pointsOf.get(copy);
                if (methods == 0) {
                    return null;
                }
            }
        }
    }

    /** The instrumented copy among the class's methods with that name and descriptor, or {@code null}. */
    private static MethodNode instrumentedMethod(ClassNode node, Map<MethodNode, MethodNode> originals, String name,
                                                 String desc) {
        for (MethodNode m : node.methods) {
            if (m.name.equals(name) && m.desc.equals(desc) && originals.containsKey(m)) {
                return m;
            }
        }
        return null;
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
}
