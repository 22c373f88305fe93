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

    SuspendableIndex(TypeHierarchy hierarchy, ExtraSuspendables extras) {
        this.hierarchy = hierarchy;
        this.extras = extras;
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
        if (owner == null || depth > 64 || (isPlatformClass(owner) && extras.isEmpty())) {
            return false;
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
        if (isPlatformClass(type) && !extras.mentions(type) && extras.isEmpty()) {
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

    /** Whether the type declares or inherits any suspendable method: a quick test for "needs a look". */
    boolean typeHasSuspendables(String type) {
        if (type == null || (isPlatformClass(type) && extras.isEmpty())) {
            return false;
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
            ClassInfo info = hierarchy.get(type);
            boolean result = false;
            if (info != null) {
                result = info.markedType || extras.mentions(type);
                for (ClassInfo.MethodInfo m : info.methods.values()) {
                    result |= m.marked;
                }
                result = result || typeHasSuspendables(info.superName);
                for (String i : info.interfaces) {
                    result = result || typeHasSuspendables(i);
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
