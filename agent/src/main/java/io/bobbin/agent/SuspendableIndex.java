package io.bobbin.agent;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which methods are suspendable, from class bytes alone. A method declared in a class is
 * suspendable when it is marked {@code @Suspendable}; or its class is marked (constructors and static
 * initialisers aside); or it is named in the {@link ExtraSuspendables}; or it overrides or implements
 * a suspendable method of a supertype; or it is a bridge's target; or a lambda or method reference
 * made in its class implements a suspendable interface method with it.
 */
final class SuspendableIndex {
    private final TypeHierarchy hierarchy;
    private final ExtraSuspendables extras;
    private final ConcurrentHashMap<String, Boolean> declared = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Boolean> typeHas = new ConcurrentHashMap<>();
    /**
     * Questions this thread is answering now: a question met again while answering it (a cycle, in a
     * broken hierarchy or through lambdas) is answered "no" on this thread only, never cached as such.
     */
    private final ThreadLocal<Set<String>> inProgress = ThreadLocal.withInitial(HashSet::new);

    /** Whether the extras may name a JDK type: otherwise no JDK type has suspendable methods. */
    private final boolean platformExtras;

    /** {@code extras} must be complete: it is not read again for what concerns the JDK's types. */
    SuspendableIndex(TypeHierarchy hierarchy, ExtraSuspendables extras) {
        this.hierarchy = hierarchy;
        this.extras = extras;
        this.platformExtras = extras.mentionsPlatform();
    }

    TypeHierarchy hierarchy() {
        return hierarchy;
    }

    static boolean isPlatformClass(String name) {
        return name.startsWith("java/") || name.startsWith("javax/") || name.startsWith("jdk/")
                || name.startsWith("sun/") || name.startsWith("com/sun/");
    }

    /** Whether a call to {@code owner.name desc} (as an invoke instruction names it) may suspend. */
    boolean isSuspendableCall(String owner, String name, String desc) {
        if (name.startsWith("<") || owner.startsWith("[")) {
            return false;
        }
        return resolves(owner, name, desc, 0);
    }

    private boolean resolves(String owner, String name, String desc, int depth) {
        if (owner == null || depth > 64 || !typeHasSuspendables(owner)) {
            return false; // the cheap answer first: most calls are to types without any suspendable method
        }
        ClassInfo info = hierarchy.get(owner);
        if (info == null) {
            return false;
        }
        ClassInfo.MethodInfo m = info.methods.get(ClassInfo.key(name, desc));
        if (m != null) {
            return isSuspendable(info, m);
        }
        if (resolves(info.superName, name, desc, depth + 1)) {
            return true;
        }
        for (String i : info.interfaces) {
            if (resolves(i, name, desc, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the method {@code m} declared in {@code info} is suspendable. */
    boolean isSuspendable(ClassInfo info, ClassInfo.MethodInfo m) {
        String cacheKey = info.name + '.' + m.name + m.desc;
        Boolean cached = declared.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        if (!inProgress.get().add(cacheKey)) {
            return false;
        }
        try {
            boolean result = compute(info, m);
            declared.put(cacheKey, result);
            return result;
        } finally {
            inProgress.get().remove(cacheKey);
        }
    }

    private boolean compute(ClassInfo info, ClassInfo.MethodInfo m) {
        if (m.name.equals("<init>") || m.name.equals("<clinit>")) {
            return false;
        }
        if (m.marked || info.markedType || extras.matches(info.name, m.name, m.desc)) {
            return true;
        }
        if (!m.isStaticOrPrivate() && inherits(info, m.name, m.desc, 0)) {
            return true;
        }
        if (!m.isBridge()) {
            int args = argumentCount(m.desc);
            for (ClassInfo.MethodInfo b : info.methods.values()) {
                if (b.isBridge() && b.name.equals(m.name) && argumentCount(b.desc) == args && isSuspendable(info, b)) {
                    return true;
                }
            }
        }
        String key = ClassInfo.key(m.name, m.desc);
        for (ClassInfo.LambdaTarget t : info.lambdaTargets) {
            if (t.targetKey.equals(key) && isSuspendableCall(t.iface, t.samName, t.samDesc)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a supertype of {@code info} declares (or inherits) a suspendable {@code name desc}. */
    private boolean inherits(ClassInfo info, String name, String desc, int depth) {
        if (depth > 64) {
            return false;
        }
        if (info.superName != null && declaresOrInherits(info.superName, name, desc, depth + 1)) {
            return true;
        }
        for (String i : info.interfaces) {
            if (declaresOrInherits(i, name, desc, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    private boolean declaresOrInherits(String type, String name, String desc, int depth) {
        if (!typeHasSuspendables(type)) {
            return false;
        }
        ClassInfo info = hierarchy.get(type);
        if (info == null) {
            return false;
        }
        ClassInfo.MethodInfo m = info.methods.get(ClassInfo.key(name, desc));
        if (m != null && !m.isStaticOrPrivate() && isSuspendable(info, m)) {
            return true;
        }
        return inherits(info, name, desc, depth);
    }

    /**
     * Whether a class may have a suspendable method, from its pre-scan alone: the question the agent
     * asks of every class it sees, before any ASM parsing. {@code false} is certain; {@code true}
     * means "look closer". Records the scan, so that the class's subclasses can ask about it.
     */
    boolean mayHaveSuspendables(ClassScan scan) {
        hierarchy.define(scan);
        typeHas.remove(scan.name); // a retransformation, or a class defined again by another name's loader
        return typeHasSuspendables(scan.name);
    }

    /**
     * Whether the type may declare or inherit a suspendable method: a quick test for "needs a look",
     * answered from pre-scans ({@link ClassScan}), so never with a false "no". A type may have one if
     * its pool names {@code @Suspendable}, a suspendables entry names it, a supertype may have one,
     * or a lambda or method reference it makes implements a type that may have one.
     */
    boolean typeHasSuspendables(String type) {
        if (type == null || (isPlatformClass(type) && !platformExtras)) {
            return false; // a JDK type is suspendable only through suspendables entries naming JDK types
        }
        Boolean cached = typeHas.get(type);
        if (cached != null) {
            return cached;
        }
        String key = "type:" + type;
        if (!inProgress.get().add(key)) {
            return false;
        }
        try {
            ClassScan scan = hierarchy.scan(type);
            boolean result = extras.mentions(type);
            if (scan != null && !result) {
                result = scan.suspendableMark || typeHasSuspendables(scan.superName);
                for (int i = 0; i < scan.interfaces.length && !result; i++) {
                    result = typeHasSuspendables(scan.interfaces[i]);
                }
                for (int i = 0; i < scan.lambdaTypes.length && !result; i++) {
                    result = typeHasSuspendables(scan.lambdaTypes[i]);
                }
            }
            typeHas.put(type, result);
            return result;
        } finally {
            inProgress.get().remove(key);
        }
    }

    private static int argumentCount(String desc) {
        return org.objectweb.asm.Type.getArgumentCount(desc);
    }
}
