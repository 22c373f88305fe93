package io.bobbin.agent;

import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/** ASM's {@link SimpleVerifier} answering its type questions from class bytes instead of loaded classes. */
final class HierarchyVerifier extends SimpleVerifier {
    private final TypeHierarchy hierarchy;

    HierarchyVerifier(TypeHierarchy hierarchy, Type currentClass, Type superClass, List<Type> interfaces, boolean isInterface) {
        super(Opcodes.ASM9, currentClass, superClass, interfaces, isInterface);
        this.hierarchy = hierarchy;
    }

    @Override
    protected boolean isInterface(Type type) {
        return type.getSort() == Type.OBJECT && hierarchy.isInterface(type.getInternalName());
    }

    @Override
    protected Type getSuperClass(Type type) {
        if (type.getSort() != Type.OBJECT) {
            return Type.getObjectType(TypeHierarchy.OBJECT);
        }
        ClassInfo info = hierarchy.get(type.getInternalName());
        return info == null || info.superName == null ? null : Type.getObjectType(info.superName);
    }

    @Override
    protected boolean isAssignableFrom(Type t, Type u) {
        if (t.equals(u)) {
            return true;
        }
        if (t.getSort() == Type.OBJECT && t.getInternalName().equals(TypeHierarchy.OBJECT)) {
            return true;
        }
        if (u.getSort() == Type.ARRAY) {
            if (t.getSort() == Type.ARRAY) {
                Type te = Type.getType(t.getDescriptor().substring(1));
                Type ue = Type.getType(u.getDescriptor().substring(1));
                boolean refs = te.getSort() >= Type.ARRAY && ue.getSort() >= Type.ARRAY;
                return refs ? isAssignableFrom(te, ue) : te.equals(ue);
            }
            String n = t.getInternalName();
            return n.equals("java/lang/Cloneable") || n.equals("java/io/Serializable");
        }
        if (t.getSort() == Type.ARRAY) {
            return false;
        }
        if (isInterface(t)) {
            return true; // as the JVM's verifier does: interfaces are checked at run time
        }
        return hierarchy.isAssignable(t.getInternalName(), u.getInternalName());
    }
}
