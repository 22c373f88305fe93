package io.bobbin.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Class information for one class loader, read from class bytes through that loader and cached.
 * Never loads a class, so it is safe inside a transformer: no class-loading cycles, no classes
 * loaded by the wrong loader, no early static initialisers.
 *
 * <p>Two kinds of information are kept: the pre-scan of a class ({@link ClassScan}: its supertypes
 * and marks, from the constant pool), which is all that most classes ever need, and the full
 * {@link ClassInfo} (methods, annotations, lambdas, read with ASM), only for the classes that a
 * suspendable method's instrumentation asks about. Both caches are safe for concurrent use.
 */
final class TypeHierarchy {
    static final String OBJECT = "java/lang/Object";

    private final ClassLoader loader;
    /** Whether the system class loader is asked for what {@link #loader} does not have (not for build time). */
    private final boolean systemFallback;
    private final ConcurrentHashMap<String, ClassInfo> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ClassScan> scans = new ConcurrentHashMap<>();
    /** Names whose bytes could not be found, so that they are not searched for again. */
    private final ConcurrentHashMap<String, Boolean> missing = new ConcurrentHashMap<>();

    /** For the agent: bytes through {@code loader} ({@code null}: the bootstrap loader), then the system class loader. */
    TypeHierarchy(ClassLoader loader) {
        this(loader, true);
    }

    /** @param systemFallback whether to ask the system class loader for what {@code loader} does not have */
    TypeHierarchy(ClassLoader loader, boolean systemFallback) {
        this.loader = loader;
        this.systemFallback = systemFallback;
    }

    /** Records the bytes of a class being defined (they may not be reachable as a resource). */
    ClassInfo define(byte[] bytes) {
        ClassInfo info = ClassInfo.read(bytes);
        cache.put(info.name, info);
        missing.remove(info.name);
        return info;
    }

    /** Records the pre-scan of a class being defined. */
    void define(ClassScan scan) {
        scans.put(scan.name, scan);
        missing.remove(scan.name);
    }

    /** The class's pre-scan, or {@code null} if its bytes cannot be found or are not a class file. */
    ClassScan scan(String internalName) {
        if (internalName == null || internalName.startsWith("[")) {
            return null;
        }
        ClassScan scan = scans.get(internalName);
        if (scan != null || missing.containsKey(internalName)) {
            return scan;
        }
        byte[] bytes = readBytes(internalName);
        if (bytes == null) {
            missing.put(internalName, Boolean.TRUE);
            return null;
        }
        try {
            scan = ClassScan.of(bytes);
        } catch (IllegalArgumentException e) {
            missing.put(internalName, Boolean.TRUE);
            return null;
        }
        ClassScan raced = scans.putIfAbsent(internalName, scan);
        return raced != null ? raced : scan;
    }

    /** The class's information, or {@code null} if its bytes cannot be found. */
    ClassInfo get(String internalName) {
        if (internalName == null || internalName.startsWith("[")) {
            return null;
        }
        ClassInfo info = cache.get(internalName);
        if (info != null || missing.containsKey(internalName)) {
            return info;
        }
        byte[] bytes = readBytes(internalName);
        if (bytes == null) {
            missing.put(internalName, Boolean.TRUE);
            return null;
        }
        try {
            info = ClassInfo.read(bytes);
        } catch (RuntimeException e) {
            missing.put(internalName, Boolean.TRUE);
            return null;
        }
        ClassInfo raced = cache.putIfAbsent(internalName, info);
        return raced != null ? raced : info;
    }

    private byte[] readBytes(String internalName) {
        String resource = internalName + ".class";
        try {
            InputStream in = loader != null ? loader.getResourceAsStream(resource) : null;
            if (in == null && (systemFallback || loader == null)) {
                in = ClassLoader.getSystemResourceAsStream(resource);
            }
            if (in == null) {
                return null;
            }
            try (InputStream s = in) {
                return s.readAllBytes();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The type itself when code in class {@code from} may name it (in a {@code checkcast}), else its
     * nearest superclass that it may. Merges can produce classes the code never named, such as
     * {@code java.lang.AbstractStringBuilder}; the code only relies on types it names, which are
     * that superclass or above it.
     */
    String accessibleFrom(String from, String type) {
        String t = type;
        while (t != null && !isAccessible(from, t)) {
            ClassInfo info = get(t);
            t = info == null ? null : info.superName;
        }
        return t == null ? OBJECT : t;
    }

    private boolean isAccessible(String from, String type) {
        if (packageOf(from).equals(packageOf(type))) {
            return true;
        }
        if (type.startsWith("jdk/internal/") || type.startsWith("sun/") || type.startsWith("com/sun/proxy/")) {
            return false; // packages a module does not export to the application
        }
        ClassInfo info = get(type);
        return info != null && (info.access & org.objectweb.asm.Opcodes.ACC_PUBLIC) != 0;
    }

    private static String packageOf(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    boolean isInterface(String name) {
        ClassInfo info = get(name);
        return info != null && info.isInterface();
    }

    /** Whether a value of class {@code sub} is assignable to {@code sup}. Unknown classes are assumed not to be. */
    boolean isAssignable(String sup, String sub) {
        if (sup.equals(sub) || OBJECT.equals(sup)) {
            return true;
        }
        ClassInfo info = get(sub);
        if (info == null) {
            return false;
        }
        if (info.superName != null && isAssignable(sup, info.superName)) {
            return true;
        }
        for (String i : info.interfaces) {
            if (isAssignable(sup, i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The most specific common superclass, as the JVM's verifier merges two class types: an
     * interface on either side gives {@code java/lang/Object}.
     */
    String commonSuperClass(String a, String b) {
        if (a.equals(b)) {
            return a;
        }
        if (isInterface(a) || isInterface(b)) {
            return OBJECT;
        }
        if (isAssignable(a, b)) {
            return a;
        }
        if (isAssignable(b, a)) {
            return b;
        }
        String c = a;
        while (true) {
            ClassInfo info = get(c);
            if (info == null || info.superName == null) {
                return OBJECT;
            }
            c = info.superName;
            if (isAssignable(c, b)) {
                return c;
            }
        }
    }
}
