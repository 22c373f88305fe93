package io.bobbin.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.JSRInlinerAdapter;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * Instruments one class: decides which of its methods are suspendable, runs the method passes on
 * each, and writes the class: the instrumented methods with frames computed from class bytes, every
 * other method copied as it was. Each suspendable method goes through the passes on a tree of its
 * own, which replaces the method only when every pass succeeded:
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
        ClassReader reader = new ClassReader(bytes);
        Map<String, MethodNode> instrumented = new LinkedHashMap<>(); // by name + descriptor: the methods rewritten
        Map<String, Integer> pointsOf = new HashMap<>();
        int points = 0;
        String[] source = new String[1]; // the class's source file, for the methods' metadata
        for (MethodNode m : readMethods(reader, suspendable, source)) {
            if (!MethodInstrumenter.isInstrumentable(m)) {
                continue;
            }
            int planned;
            try {
                planned = runPasses(info.name, source[0], m, context, torture);
            } catch (UnsupportedCodeException e) {
                warnUninstrumented(info.name, m, e.getMessage());
                continue;
            } catch (AnalyzerException e) {
                warnUninstrumented(info.name, m, "the agent cannot analyse its code (" + e.getMessage()
                        + "); if the class is valid, report this with the class file");
                continue;
            } catch (RuntimeException e) {
                warnUninstrumented(info.name, m, "the agent failed on it (" + e
                        + "); report this with the class file");
                continue;
            }
            String key = ClassInfo.key(m.name, m.desc);
            instrumented.put(key, m);
            pointsOf.put(key, planned);
            points += planned;
        }
        while (!instrumented.isEmpty()) {
            try {
                return new Outcome(write(reader, instrumented, context.hierarchy), instrumented.size(), points);
            } catch (MethodTooLargeException e) {
                // Only that method is left as it was; the class is written again without it.
                String key = ClassInfo.key(e.getMethodName(), e.getDescriptor());
                MethodNode m = instrumented.remove(key);
                if (m == null) {
                    throw e; // too large as it was: not a class the JVM accepts
                }
                warnUninstrumented(info.name, m, "instrumented, its code would take " + e.getCodeSize()
                        + " bytes, over the JVM's limit of " + MAX_CODE + " bytes per method; split it into smaller"
                        + " methods (a suspension through it throws an IllegalStateException that names it)");
                points -= pointsOf.get(key);
            }
        }
        return null;
    }

    /**
     * The trees of the class's suspendable methods, and only those (the code of the others is not
     * even visited), and the class's source file into {@code source[0]}. Before Java 7, subroutines
     * (JSR/RET) are inlined, which the passes need.
     */
    private static List<MethodNode> readMethods(ClassReader reader, Set<String> suspendable, String[] source) {
        boolean old = reader.readShort(6) < Opcodes.V1_7; // JSR/RET exist only before Java 7
        List<MethodNode> methods = new ArrayList<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visitSource(String file, String debug) {
                source[0] = file;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if (!suspendable.contains(ClassInfo.key(name, descriptor))) {
                    return null;
                }
                MethodNode m = new MethodNode(Opcodes.ASM9, access, name, descriptor, signature, exceptions);
                methods.add(m);
                return old ? new JSRInlinerAdapter(m, access, name, descriptor, signature, exceptions) : m;
            }
        }, ClassReader.SKIP_FRAMES);
        return methods;
    }

    /**
     * Writes the class with the instrumented methods in place of theirs, and the mark. Every other
     * method is copied as it was, byte for byte, stack map frames included: frames are computed for
     * the instrumented methods only.
     */
    private static byte[] write(ClassReader reader, Map<String, MethodNode> instrumented, TypeHierarchy hierarchy) {
        HierarchyClassWriter writer = new HierarchyClassWriter(reader, hierarchy);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodNode m = instrumented.get(ClassInfo.key(name, descriptor));
                if (m == null) {
                    return super.visitMethod(access, name, descriptor, signature, exceptions); // copied by the writer
                }
                m.accept(super.visitMethod(m.access, m.name, m.desc, m.signature,
                        m.exceptions == null ? null : m.exceptions.toArray(new String[0])));
                return null;
            }

            @Override
            public void visitEnd() {
                InstrumentedMark.add(cv); // a class annotation: the writer keeps annotations apart from methods
                super.visitEnd();
            }
        }, 0);
        return writer.toByteArray();
    }

    /** Runs the method passes on {@code m}, in place; returns its number of suspension points. */
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

    private static void warnUninstrumented(String owner, MethodNode m, String why) {
        Log.warn("method " + owner.replace('/', '.') + "." + m.name + m.desc
                + " is left uninstrumented, so it cannot suspend: " + why);
    }
}
