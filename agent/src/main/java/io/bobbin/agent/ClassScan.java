package io.bobbin.agent;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The pre-scan: what the agent needs from a class file to decide whether it may have suspendable
 * methods at all, read from the constant pool and the class header with no ASM parsing and no
 * allocation but the few names kept. Most classes a JVM loads have none, and are let through after
 * this scan alone (see {@link SuspendableIndex#mayHaveSuspendables(ClassScan)}).
 *
 * <p>A class may have a suspendable method only if its pool names {@code io.bobbin.Suspendable} (a
 * mark on the class or a method), a suspendables entry names it, one of its supertypes may have
 * suspendable methods (overrides), or one of its {@code invokedynamic}s returns a type that may (a
 * lambda or method reference of a suspendable interface): each of these leaves a trace in the pool.
 * Supertypes are answered from their own scans, kept per class loader by {@link TypeHierarchy}.
 */
final class ClassScan {
    private static final byte[] SUSPENDABLE = RuntimeProtocol.SUSPENDABLE_DESC.getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] MARK = InstrumentedMark.DESC.getBytes(StandardCharsets.ISO_8859_1);
    private static final String[] NONE = new String[0];

    /** Internal names. {@code superName} is {@code null} for {@code java/lang/Object} and {@code module-info}. */
    final String name;
    final String superName;
    final String[] interfaces;
    /** The pool names {@code Lio/bobbin/Suspendable;}: the class, a method, or something it uses is marked. */
    final boolean suspendableMark;
    /** The pool names {@link InstrumentedMark#DESC}: the class is most likely instrumented already. */
    final boolean instrumentedMark;
    /** The object types returned by the class's {@code invokedynamic}s (lambdas' functional interfaces), distinct. */
    final String[] lambdaTypes;

    private ClassScan(String name, String superName, String[] interfaces, boolean suspendableMark,
                      boolean instrumentedMark, String[] lambdaTypes) {
        this.name = name;
        this.superName = superName;
        this.interfaces = interfaces;
        this.suspendableMark = suspendableMark;
        this.instrumentedMark = instrumentedMark;
        this.lambdaTypes = lambdaTypes;
    }

    /**
     * Scans a class file.
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed class file header and pool
     */
    static ClassScan of(byte[] b) {
        try {
            return scan(b);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated class file (" + b.length + " bytes)");
        }
    }

    private static ClassScan scan(byte[] b) {
        if (b.length < 10 || u2(b, 0) != 0xCAFE || u2(b, 2) != 0xBABE) {
            throw new IllegalArgumentException("not a class file (no 0xCAFEBABE at its start)");
        }
        int count = u2(b, 8);
        int[] entries = new int[count]; // offset of each entry's tag
        boolean suspendable = false;
        boolean mark = false;
        int dynamics = 0;
        int p = 10;
        for (int i = 1; i < count; i++) {
            entries[i] = p;
            int tag = b[p] & 0xff;
            switch (tag) {
                case 1: { // Utf8
                    int len = u2(b, p + 1);
                    if (len == SUSPENDABLE.length && equal(b, p + 3, SUSPENDABLE)) {
                        suspendable = true;
                    } else if (len == MARK.length && equal(b, p + 3, MARK)) {
                        mark = true;
                    }
                    p += 3 + len;
                    break;
                }
                case 3: // Integer
                case 4: // Float
                    p += 5;
                    break;
                case 5: // Long
                case 6: // Double
                    p += 9;
                    i++;
                    break;
                case 7: // Class
                case 8: // String
                case 16: // MethodType
                case 19: // Module
                case 20: // Package
                    p += 3;
                    break;
                case 15: // MethodHandle
                    p += 4;
                    break;
                case 18: // InvokeDynamic
                    dynamics++;
                    p += 5;
                    break;
                case 9: // Fieldref
                case 10: // Methodref
                case 11: // InterfaceMethodref
                case 12: // NameAndType
                case 17: // Dynamic
                    p += 5;
                    break;
                default:
                    throw new IllegalArgumentException("unknown constant pool tag " + tag + " at offset " + p);
            }
        }
        String name = className(b, entries, u2(b, p + 2));
        int superIndex = u2(b, p + 4);
        String superName = superIndex == 0 ? null : className(b, entries, superIndex);
        int n = u2(b, p + 6);
        String[] interfaces = n == 0 ? NONE : new String[n];
        for (int k = 0; k < n; k++) {
            interfaces[k] = className(b, entries, u2(b, p + 8 + 2 * k));
        }
        String[] lambdaTypes = dynamics == 0 ? NONE : lambdaTypes(b, entries, dynamics);
        return new ClassScan(name, superName, interfaces, suspendable, mark, lambdaTypes);
    }

    /** The object types returned by the pool's {@code InvokeDynamic} entries, each once. */
    private static String[] lambdaTypes(byte[] b, int[] entries, int dynamics) {
        String[] types = new String[dynamics];
        int n = 0;
        for (int i = 1; i < entries.length; i++) {
            int e = entries[i];
            if (e == 0 || b[e] != 18) {
                continue;
            }
            int desc = entries[u2(b, entries[u2(b, e + 3)] + 3)]; // NameAndType -> descriptor
            int len = u2(b, desc + 1);
            int start = desc + 3;
            int end = start + len;
            int close = start;
            while (close < end && b[close] != ')') {
                close++;
            }
            if (close + 1 >= end || b[close + 1] != 'L' || b[end - 1] != ';') {
                continue; // returns a primitive or an array: no lambda
            }
            String type = utf8(b, close + 2, end - 1 - (close + 2));
            boolean seen = false;
            for (int k = 0; k < n && !seen; k++) {
                seen = types[k].equals(type);
            }
            if (!seen) {
                types[n++] = type;
            }
        }
        return n == types.length ? types : Arrays.copyOf(types, n);
    }

    private static String className(byte[] b, int[] entries, int classIndex) {
        int c = entries[classIndex];
        if (b[c] != 7) {
            throw new IllegalArgumentException("constant " + classIndex + " is not a class");
        }
        int u = entries[u2(b, c + 1)];
        return utf8(b, u + 3, u2(b, u + 1));
    }

    /** Decodes the JVM's modified UTF-8 (names are nearly always ASCII, the fast path). */
    private static String utf8(byte[] b, int start, int len) {
        boolean ascii = true;
        for (int i = start; i < start + len && ascii; i++) {
            ascii = b[i] >= 0;
        }
        if (ascii) {
            return new String(b, start, len, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[len];
        int n = 0;
        for (int i = start; i < start + len; ) {
            int c = b[i++] & 0xff;
            if (c < 0x80) {
                chars[n++] = (char) c;
            } else if ((c & 0xe0) == 0xc0) {
                chars[n++] = (char) (((c & 0x1f) << 6) | (b[i++] & 0x3f));
            } else {
                chars[n++] = (char) (((c & 0x0f) << 12) | ((b[i++] & 0x3f) << 6) | (b[i++] & 0x3f));
            }
        }
        return new String(chars, 0, n);
    }

    private static boolean equal(byte[] b, int at, byte[] s) {
        for (int k = 0; k < s.length; k++) {
            if (b[at + k] != s[k]) {
                return false;
            }
        }
        return true;
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
