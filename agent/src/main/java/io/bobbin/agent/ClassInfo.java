package io.bobbin.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
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

    /** Reads a class; lambda targets are looked for only when the class has invokedynamic at all. */
    static ClassInfo read(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        boolean scanCode = hasInvokeDynamic(reader, bytes);
        Reader r = new Reader(scanCode);
        reader.accept(r, (scanCode ? 0 : ClassReader.SKIP_CODE) | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        // javac writes a method reference that needs a varargs adaptation (Owner::join, join(String...))
        // as a lambda body that builds the array and calls the target: the target is the reference's.
        List<LambdaTarget> targets = r.lambdaTargets;
        if (!r.forwards.isEmpty()) {
            targets = new ArrayList<>(targets);
            for (LambdaTarget t : r.lambdaTargets) {
                String forwarded = r.forwards.get(t.targetKey);
                MethodInfo target = forwarded == null ? null : r.methods.get(forwarded);
                if (target != null && (target.access & Opcodes.ACC_VARARGS) != 0) {
                    targets.add(new LambdaTarget(forwarded, t.iface, t.samName, t.samDesc));
                }
            }
        }
        return new ClassInfo(r.name, r.superName, r.interfaces, r.access, r.markedType, r.methods, targets);
    }

    private static boolean hasInvokeDynamic(ClassReader reader, byte[] b) {
        for (int i = 1; i < reader.getItemCount(); i++) {
            int offset = reader.getItem(i);
            if (offset > 0 && b[offset - 1] == 18) { // CONSTANT_InvokeDynamic
                return true;
            }
        }
        return false;
    }

    private static final class Reader extends ClassVisitor {
        private final boolean scanCode;
        String name;
        String superName;
        String[] interfaces;
        int access;
        boolean markedType;
        final Map<String, MethodInfo> methods = new HashMap<>();
        final List<LambdaTarget> lambdaTargets = new ArrayList<>();
        /**
         * Synthetic lambda bodies that only build an array and forward to a method of this class (a
         * method reference's varargs adaptation, if that method is varargs): body key -> target key.
         */
        final Map<String, String> forwards = new HashMap<>();

        Reader(boolean scanCode) {
            super(Opcodes.ASM9);
            this.scanCode = scanCode;
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
            String key = key(mname, mdesc);
            boolean lambdaBody = scanCode && (access & Opcodes.ACC_SYNTHETIC) != 0 && mname.startsWith("lambda$");
            return new MethodVisitor(Opcodes.ASM9) {
                boolean marked;
                /**
                 * For a lambda body: the one method of this class it calls, and whether it does anything
                 * but load its arguments, build a varargs array, cast, box and unbox, and return.
                 */
                String forwardsTo;
                boolean notAForwarder = !lambdaBody;
                boolean buildsArray;

                @Override
                public void visitMethodInsn(int opcode, String owner, String callName, String callDesc, boolean itf) {
                    if (notAForwarder) {
                        return;
                    }
                    if (owner.equals(name) && forwardsTo == null) {
                        forwardsTo = key(callName, callDesc);
                    } else if (!isBoxing(owner, callName)) {
                        notAForwarder = true;
                    }
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
                public void visitJumpInsn(int opcode, org.objectweb.asm.Label label) {
                    notAForwarder = true;
                }

                @Override
                public void visitTableSwitchInsn(int min, int max, org.objectweb.asm.Label dflt, org.objectweb.asm.Label... labels) {
                    notAForwarder = true;
                }

                @Override
                public void visitLookupSwitchInsn(org.objectweb.asm.Label dflt, int[] keys, org.objectweb.asm.Label[] labels) {
                    notAForwarder = true;
                }

                @Override
                public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
                    notAForwarder = true;
                }

                @Override
                public void visitTryCatchBlock(org.objectweb.asm.Label start, org.objectweb.asm.Label end,
                                               org.objectweb.asm.Label handler, String type) {
                    notAForwarder = true;
                }

                @Override
                public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                    if (RuntimeProtocol.SUSPENDABLE_DESC.equals(descriptor)) {
                        marked = true;
                    }
                    return null;
                }

                @Override
                public void visitInvokeDynamicInsn(String indyName, String indyDesc, Handle bsm, Object... args) {
                    notAForwarder = true;
                    if (scanCode && LAMBDA_METAFACTORY.equals(bsm.getOwner()) && args.length >= 3
                            && args[0] instanceof Type && args[1] instanceof Handle) {
                        Handle impl = (Handle) args[1];
                        if (impl.getOwner().equals(name)) {
                            String iface = Type.getReturnType(indyDesc).getInternalName();
                            lambdaTargets.add(new LambdaTarget(key(impl.getName(), impl.getDesc()), iface, indyName,
                                    ((Type) args[0]).getDescriptor()));
                        }
                    }
                }

                @Override
                public void visitEnd() {
                    methods.put(key, new MethodInfo(mname, mdesc, access, marked));
                    if (!notAForwarder && forwardsTo != null && buildsArray) {
                        forwards.put(key, forwardsTo);
                    }
                }
            };
        }

        /** The boxing and unboxing calls javac adds around a method reference's target. */
        private static boolean isBoxing(String owner, String callName) {
            return owner.startsWith("java/lang/") && (callName.equals("valueOf") || callName.endsWith("Value"));
        }
    }
}
