package io.bobbin.agent;

import org.objectweb.asm.ClassWriter;

/** A {@code COMPUTE_FRAMES} writer that merges types from class bytes, never by loading classes. */
final class HierarchyClassWriter extends ClassWriter {
    private final TypeHierarchy hierarchy;

    HierarchyClassWriter(TypeHierarchy hierarchy) {
        super(ClassWriter.COMPUTE_FRAMES);
        this.hierarchy = hierarchy;
    }

    /**
     * A writer that starts from the class {@code reader} reads: its constant pool is kept, and the
     * methods that reach this writer unchanged are copied as they were (frames included).
     */
    HierarchyClassWriter(org.objectweb.asm.ClassReader reader, TypeHierarchy hierarchy) {
        super(reader, ClassWriter.COMPUTE_FRAMES);
        this.hierarchy = hierarchy;
    }

    @Override
    protected String getCommonSuperClass(String type1, String type2) {
        return hierarchy.commonSuperClass(type1, type2);
    }
}
