package io.bobbin.agent;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;

/**
 * Computes the type of every local and stack value the way the JVM's verifier sees it: exact
 * reference types merged to their common superclass (from class bytes, never loading a class),
 * {@code null} as a type of its own, and objects that {@code new} created but no constructor has
 * initialised yet as {@link Uninitialized} values that remember their {@code NEW} instruction.
 * It does not check the code; the JVM does that.
 */
final class TypeInterpreter extends BasicInterpreter {
    static final Type NULL = Type.getObjectType("null");

    private final TypeHierarchy hierarchy;

    /** The result of a {@code NEW} before its constructor ran. */
    static final class Uninitialized extends BasicValue {
        final Type objectType;
        final TypeInsnNode newInsn;

        Uninitialized(TypeInsnNode newInsn, int id) {
            // A type of its own, so that values of two NEWs never compare equal.
            super(Type.getObjectType("uninitialized#" + id));
            this.objectType = Type.getObjectType(newInsn.desc);
            this.newInsn = newInsn;
        }
    }

    private final InsnList insns;

    TypeInterpreter(TypeHierarchy hierarchy, InsnList insns) {
        super(Opcodes.ASM9);
        this.hierarchy = hierarchy;
        this.insns = insns;
    }

    static boolean isReference(BasicValue v) {
        Type t = v.getType();
        return t != null && (t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY);
    }

    @Override
    public BasicValue newValue(Type type) {
        if (type == null) {
            return BasicValue.UNINITIALIZED_VALUE;
        }
        switch (type.getSort()) {
            case Type.OBJECT:
            case Type.ARRAY:
                return new BasicValue(type);
            default:
                return super.newValue(type);
        }
    }

    @Override
    public BasicValue newOperation(AbstractInsnNode insn) throws AnalyzerException {
        if (insn.getOpcode() == Opcodes.NEW) {
            return new Uninitialized((TypeInsnNode) insn, insns.indexOf(insn));
        }
        return super.newOperation(insn);
    }

    @Override
    public BasicValue binaryOperation(AbstractInsnNode insn, BasicValue array, BasicValue index) throws AnalyzerException {
        if (insn.getOpcode() == Opcodes.AALOAD) {
            Type t = array.getType();
            if (t != null && t.getSort() == Type.ARRAY) {
                return newValue(Type.getType(t.getDescriptor().substring(1)));
            }
            return newValue(Type.getObjectType(TypeHierarchy.OBJECT));
        }
        return super.binaryOperation(insn, array, index);
    }

    @Override
    public BasicValue merge(BasicValue v, BasicValue w) {
        if (v.equals(w)) {
            return v;
        }
        if (!isReference(v) || !isReference(w) || v instanceof Uninitialized || w instanceof Uninitialized) {
            return BasicValue.UNINITIALIZED_VALUE;
        }
        Type t = v.getType();
        Type u = w.getType();
        if (t.equals(NULL)) {
            return w;
        }
        if (u.equals(NULL)) {
            return v;
        }
        return newValue(commonType(t, u));
    }

    /**
     * The verifier's merge of two reference types: two arrays whose components are references merge
     * to an array of the merged components ({@code int[][]} and {@code String[]} to {@code Object[]}),
     * other arrays to {@code Object}, classes to their common superclass.
     */
    private Type commonType(Type t, Type u) {
        if (t.equals(u)) {
            return t;
        }
        boolean ta = t.getSort() == Type.ARRAY;
        boolean ua = u.getSort() == Type.ARRAY;
        if (ta && ua) {
            Type tc = Type.getType(t.getDescriptor().substring(1));
            Type uc = Type.getType(u.getDescriptor().substring(1));
            if (isReferenceType(tc) && isReferenceType(uc)) {
                return Type.getType("[" + commonType(tc, uc).getDescriptor());
            }
            return Type.getObjectType(TypeHierarchy.OBJECT);
        }
        if (ta || ua) {
            return Type.getObjectType(TypeHierarchy.OBJECT);
        }
        return Type.getObjectType(hierarchy.commonSuperClass(t.getInternalName(), u.getInternalName()));
    }

    private static boolean isReferenceType(Type t) {
        return t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY;
    }
}
