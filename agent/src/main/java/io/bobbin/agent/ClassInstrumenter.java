package io.bobbin.agent;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.JSRInlinerAdapter;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * Instruments one class: decides which of its methods are suspendable, plans and rewrites each one
 * that has suspension points, and writes the class with frames computed from class bytes. A method
 * that cannot be instrumented is left as it was, with a warning; the rest of its class still is.
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
        Set<String> skipped = new HashSet<>();
        while (true) {
            ClassNode node = read(bytes);
            int methods = 0;
            int points = 0;
            String failed = null;
            for (MethodNode m : node.methods) {
                String key = ClassInfo.key(m.name, m.desc);
                if (!suspendable.contains(key) || skipped.contains(key) || !MethodInstrumenter.isInstrumentable(m)) {
                    continue;
                }
                try {
                    if (torture) {
                        MethodInstrumenter.addTorturePoint(m);
                    }
                    List<SuspensionPoint> plan = new MethodAnalysis(node.name, m, context.index).plan();
                    if (plan.isEmpty()) {
                        MethodInstrumenter.instrumentLeaf(m);
                    } else {
                        new MethodInstrumenter(node.name, context.hierarchy, m, plan).instrument();
                        points += plan.size();
                    }
                    methods++;
                } catch (UnsupportedCodeException | AnalyzerException | RuntimeException e) {
                    Log.warn("method " + node.name.replace('/', '.') + "." + m.name + m.desc
                            + " is left uninstrumented (it cannot suspend): " + e.getMessage());
                    failed = key;
                    break;
                }
            }
            if (failed != null) {
                skipped.add(failed); // its analysis may have changed the tree: start again from the bytes
                continue;
            }
            if (methods == 0) {
                return null;
            }
            HierarchyClassWriter writer = new HierarchyClassWriter(context.hierarchy);
            node.accept(writer);
            return new Outcome(writer.toByteArray(), methods, points);
        }
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
