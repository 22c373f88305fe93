package io.bobbin.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * What the agent needs to know of one class, read from its bytes (never by loading it): its
 * supertypes, its methods and their {@code @Suspendable} marks, and the lambda bodies and method
 * references it creates. A method reference that javac adapts with a lambda body of its own (the
 * varargs case: {@code Join2 f = Owner::join} for {@code join(String...)}) counts as a reference to
 * its target: the body that only builds the array and calls a varargs method of this class names
 * that method as a lambda target too.
 */
final class ClassInfo {
    private static final String LAMBDA_METAFACTORY = "java/lang/invoke/LambdaMetafactory";

    final String name;
    final String superName;
    final String[] interfaces;
    final int access;
    final boolean markedType;
    /** Methods by name + descriptor. */
    final Map<String, MethodInfo> methods;
    /** Methods of this class that a lambda or method reference made here implements, with the interface method. */
    final List<LambdaTarget> lambdaTargets;

    static final class MethodInfo {
        final String name;
        final String desc;
        final int access;
        final boolean marked;

        MethodInfo(String name, String desc, int access, boolean marked) {
            this.name = name;
            this.desc = desc;
            this.access = access;
            this.marked = marked;
        }

        boolean isStaticOrPrivate() {
            return (access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) != 0;
        }

        boolean isBridge() {
            return (access & Opcodes.ACC_BRIDGE) != 0;
        }
    }

    /** An invokedynamic of the lambda metafactory: {@code targetKey} (in this class) implements {@code iface.samName samDesc}. */
    static final class LambdaTarget {
        final String targetKey;
        final String iface;
        final String samName;
        final String samDesc;

        LambdaTarget(String targetKey, String iface, String samName, String samDesc) {
            this.targetKey = targetKey;
            this.iface = iface;
            this.samName = samName;
            this.samDesc = samDesc;
        }
    }

    private ClassInfo(String name, String superName, String[] interfaces, int access, boolean markedType,
                      Map<String, MethodInfo> methods, List<LambdaTarget> lambdaTargets) {
        this.name = name;
        this.superName = superName;
        this.interfaces = interfaces == null ? new String[0] : interfaces;
        this.access = access;
        this.markedType = markedType;
        this.methods = methods;
        this.lambdaTargets = lambdaTargets;
    }

    boolean isInterface() {
        return (access & Opcodes.ACC_INTERFACE) != 0;
    }

    static String key(String name, String desc) {
        return name + desc;
    }

    /**
     * Reads a class. Its code is not visited: lambda targets come from the constant pool and the
     * {@code BootstrapMethods} attribute; only lambda bodies are read, to tell javac's adaptations of
     * method references.
     */
    static ClassInfo read(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        Reader r = new Reader();
        reader.accept(r, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        List<LambdaTarget> targets = lambdaTargets(reader, r.name);
        // javac writes a method reference that needs a varargs adaptation (Owner::join, join(String...))
        // as a lambda body that builds the array and calls the target: the target is the reference's.
        Set<String> bodies = new HashSet<>();
        for (LambdaTarget t : targets) {
            MethodInfo m = r.methods.get(t.targetKey);
            if (m != null && (m.access & Opcodes.ACC_SYNTHETIC) != 0 && m.name.startsWith("lambda$")) {
                bodies.add(t.targetKey);
            }
        }
        if (!bodies.isEmpty()) {
            Map<String, String> forwards = forwards(reader, r.name, bodies);
            List<LambdaTarget> all = new ArrayList<>(targets);
            for (LambdaTarget t : targets) {
                String forwarded = forwards.get(t.targetKey);
                MethodInfo target = forwarded == null ? null : r.methods.get(forwarded);
                if (target != null && (target.access & Opcodes.ACC_VARARGS) != 0) {
                    all.add(new LambdaTarget(forwarded, t.iface, t.samName, t.samDesc));
                }
            }
            targets = all;
        }
        return new ClassInfo(r.name, r.superName, r.interfaces, r.access, r.markedType, r.methods, targets);
    }

    /**
     * The lambdas and method references of the class whose implementation is a method of the class:
     * every {@code InvokeDynamic} constant bootstrapped by the lambda metafactory, read from the
     * constant pool and the {@code BootstrapMethods} attribute.
     */
    private static List<LambdaTarget> lambdaTargets(ClassReader reader, String className) {
        List<LambdaTarget> targets = new ArrayList<>();
        int[] bootstraps = bootstrapMethods(reader);
        if (bootstraps.length == 0) {
            return targets;
        }
        char[] buf = new char[reader.getMaxStringLength()];
        for (int i = 1; i < reader.getItemCount(); i++) {
            int item = reader.getItem(i);
            if (item == 0 || reader.readByte(item - 1) != 18) { // CONSTANT_InvokeDynamic
                continue;
            }
            int entry = bootstraps[reader.readUnsignedShort(item)];
            int nameAndType = reader.getItem(reader.readUnsignedShort(item + 2));
            Object bsm = reader.readConst(reader.readUnsignedShort(entry), buf);
            if (!(bsm instanceof Handle) || !LAMBDA_METAFACTORY.equals(((Handle) bsm).getOwner())
                    || reader.readUnsignedShort(entry + 2) < 3) {
                continue;
            }
            Object samType = reader.readConst(reader.readUnsignedShort(entry + 4), buf);
            Object impl = reader.readConst(reader.readUnsignedShort(entry + 6), buf);
            if (samType instanceof Type && impl instanceof Handle && ((Handle) impl).getOwner().equals(className)) {
                String factory = reader.readUTF8(nameAndType + 2, buf);
                targets.add(new LambdaTarget(key(((Handle) impl).getName(), ((Handle) impl).getDesc()),
                        Type.getReturnType(factory).getInternalName(), reader.readUTF8(nameAndType, buf),
                        ((Type) samType).getDescriptor()));
            }
        }
        return targets;
    }

    /** The offsets of the entries of the class's {@code BootstrapMethods} attribute (none when it has none). */
    private static int[] bootstrapMethods(ClassReader reader) {
        char[] buf = new char[reader.getMaxStringLength()];
        int p = reader.header + 6;
        p += 2 + 2 * reader.readUnsignedShort(p); // interfaces
        for (int members = 0; members < 2; members++) { // fields, then methods
            int count = reader.readUnsignedShort(p);
            p += 2;
            for (int m = 0; m < count; m++) {
                int attributes = reader.readUnsignedShort(p + 6);
                p += 8;
                for (int a = 0; a < attributes; a++) {
                    p += 6 + reader.readInt(p + 2);
                }
            }
        }
        int attributes = reader.readUnsignedShort(p);
        p += 2;
        for (int a = 0; a < attributes; a++) {
            if (reader.readUTF8(p, buf).equals("BootstrapMethods")) {
                int count = reader.readUnsignedShort(p + 6);
                int[] entries = new int[count];
                int e = p + 8;
                for (int k = 0; k < count; k++) {
                    entries[k] = e;
                    e += 4 + 2 * reader.readUnsignedShort(e + 2);
                }
                return entries;
            }
            p += 6 + reader.readInt(p + 2);
        }
        return new int[0];
    }

    /**
     * Of the given lambda bodies, those that only load their arguments, build an array, cast, box
     * and unbox, and call one method of the class: body key -> that method's key.
     */
    private static Map<String, String> forwards(ClassReader reader, String className, Set<String> bodies) {
        Map<String, String> forwards = new HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String mname, String mdesc, String signature, String[] exceptions) {
                String key = key(mname, mdesc);
                return bodies.contains(key) ? new ForwardFinder(className, key, forwards) : null;
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return forwards;
    }

    /** Tells whether a lambda body only forwards to a method of its class (see {@link #forwards}). */
    private static final class ForwardFinder extends MethodVisitor {
        private final String className;
        private final String key;
        private final Map<String, String> forwards;
        private String forwardsTo;
        private boolean notAForwarder;
        private boolean buildsArray;

        ForwardFinder(String className, String key, Map<String, String> forwards) {
            super(Opcodes.ASM9);
            this.className = className;
            this.key = key;
            this.forwards = forwards;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String callName, String callDesc, boolean itf) {
            if (owner.equals(className) && forwardsTo == null) {
                forwardsTo = key(callName, callDesc);
            } else if (!isBoxing(owner, callName)) {
                notAForwarder = true;
            }
        }

        /** The boxing and unboxing calls javac adds around a method reference's target. */
        private static boolean isBoxing(String owner, String callName) {
            return owner.startsWith("java/lang/") && (callName.equals("valueOf") || callName.endsWith("Value"));
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            notAForwarder |= opcode != Opcodes.ANEWARRAY && opcode != Opcodes.CHECKCAST; // the varargs array, casts
            buildsArray |= opcode == Opcodes.ANEWARRAY;
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            buildsArray |= opcode == Opcodes.NEWARRAY;
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String fieldName, String descriptor) {
            notAForwarder = true;
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            notAForwarder = true;
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            notAForwarder = true;
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            notAForwarder = true;
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            notAForwarder = true;
        }

        @Override
        public void visitInvokeDynamicInsn(String indyName, String indyDesc, Handle bsm, Object... args) {
            notAForwarder = true;
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            notAForwarder = true;
        }

        @Override
        public void visitEnd() {
            if (!notAForwarder && forwardsTo != null && buildsArray) {
                forwards.put(key, forwardsTo);
            }
        }
    }

    /** Names, supertypes, marks and methods: everything but code. */
    private static final class Reader extends ClassVisitor {
        String name;
        String superName;
        String[] interfaces;
        int access;
        boolean markedType;
        final Map<String, MethodInfo> methods = new HashMap<>();

        Reader() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            this.name = name;
            this.superName = superName;
            this.interfaces = interfaces;
            this.access = access;
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            if (RuntimeProtocol.SUSPENDABLE_DESC.equals(descriptor)) {
                markedType = true;
            }
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String mname, String mdesc, String signature, String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9) {
                boolean marked;

                @Override
                public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                    if (RuntimeProtocol.SUSPENDABLE_DESC.equals(descriptor)) {
                        marked = true;
                    }
                    return null;
                }

                @Override
                public void visitEnd() {
                    methods.put(key(mname, mdesc), new MethodInfo(mname, mdesc, access, marked));
                }
            };
        }
    }
}
