package io.bobbin.agent;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.util.CheckClassAdapter;

/** Checks an instrumented class with ASM's {@link CheckClassAdapter} and a type-checking {@link Analyzer}. */
final class ClassVerifier {
    private ClassVerifier() {}

    /** {@code null} when the class passes; otherwise what is wrong. */
    static String verify(byte[] bytes, TypeHierarchy hierarchy) {
        try {
            new ClassReader(bytes).accept(new CheckClassAdapter(new ClassNode(), false), 0);
        } catch (RuntimeException e) {
            return "CheckClassAdapter: " + e.getMessage();
        }
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        List<Type> interfaces = new ArrayList<>();
        for (String i : node.interfaces) {
            interfaces.add(Type.getObjectType(i));
        }
        Type superType = node.superName == null ? null : Type.getObjectType(node.superName);
        boolean isInterface = (node.access & org.objectweb.asm.Opcodes.ACC_INTERFACE) != 0;
        for (MethodNode m : node.methods) {
            if (m.instructions.size() == 0) {
                continue;
            }
            Analyzer<BasicValue> analyzer = new Analyzer<>(
                    new HierarchyVerifier(hierarchy, Type.getObjectType(node.name), superType, interfaces, isInterface));
            try {
                analyzer.analyze(node.name, m);
            } catch (AnalyzerException e) {
                return node.name + "." + m.name + m.desc + ": " + e.getMessage();
            }
        }
        return null;
    }
}
