package io.bobbin.internal.cont;

import io.bobbin.Continuation;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Reads the frames a suspended continuation has saved, root first: for each, its method, the line of
 * the call it stopped at, and the values it saved. Built from the frame store and the metadata the
 * agent writes into each method's {@link Instrumented} annotation, by reflection, only when asked (a
 * stack trace of a suspended task, a dump, a serialized continuation): nothing here costs anything on
 * the suspend/resume path.
 *
 * <p>How a frame's method is found: a resume point's id names its method (the bits above
 * {@link #POINT_BITS}, a hash of class, name and descriptor). The root's method is looked for in the
 * continuation body's class (for a lambda, in the class that declares it, and for a method reference,
 * in the class of the method it names); each next frame's, in the class of the receiver the caller
 * saved for the call (a virtual or interface call, the same way), or in the call's owner (a static or
 * private call), with their supertypes.
 *
 * <p>Threads: call it only while the continuation is not running (new, suspended or done) and with
 * the continuation's thread handing over to the caller (for a task: on its loop's thread); the store
 * is not read atomically.
 */
public final class SavedFrames {
    /** Bits of a resume-point id that number the points of one method (the agent's {@code MethodMetadata.POINT_BITS}). */
    public static final int POINT_BITS = 12;
    private static final int POINT_MASK = (1 << POINT_BITS) - 1;

    private SavedFrames() {}

    /** One saved frame. Its value arrays are copies, each in the order the frame pushed them. */
    public static final class Frame {
        /** The frame's method, or {@code null} when it could not be found (then only {@link #point} is known). */
        public final Method method;
        /** The index of the suspension point in its method, in code order. */
        public final int point;
        /** The source line of the call the frame stopped at, or -1. */
        public final int line;
        /** The source file of the method's class, or {@code null}. */
        public final String source;
        /** The method's fingerprint (see {@link Instrumented#fingerprint()}). */
        public final long fingerprint;
        /** The call the frame stopped at: owner (internal name), name, descriptor. */
        public final String callOwner;
        public final String callName;
        public final String callDesc;
        public final int[] ints;
        public final long[] longs;
        public final Object[] refs;

        Frame(Method method, int point, int line, String source, long fingerprint, String callOwner, String callName,
              String callDesc, int[] ints, long[] longs, Object[] refs) {
            this.method = method;
            this.point = point;
            this.line = line;
            this.source = source;
            this.fingerprint = fingerprint;
            this.callOwner = callOwner;
            this.callName = callName;
            this.callDesc = callDesc;
            this.ints = ints;
            this.longs = longs;
            this.refs = refs;
        }

        /** The frame as a thread's stack trace would show it. */
        public StackTraceElement toStackTraceElement() {
            if (method == null) {
                return new StackTraceElement("<unknown>", "<unknown>", null, -1);
            }
            return new StackTraceElement(method.getDeclaringClass().getName(), method.getName(), source, line);
        }

        @Override
        public String toString() {
            return toStackTraceElement().toString();
        }
    }

    /** The frames {@code c} has saved, root first; empty when it is not suspended. */
    public static List<Frame> of(Continuation c) {
        FrameStack s = ContinuationAccess.stackOf(c);
        int isp = s.isp;
        int lsp = s.lsp;
        int rsp = s.rsp;
        if (isp == 0) {
            return Collections.emptyList();
        }
        int[] ints = s.ints;
        long[] longs = s.longs;
        Object[] refs = s.refs;
        List<Frame> out = new ArrayList<>();
        Object target = ContinuationAccess.bodyOf(c); // what the next frame's method runs on, when known
        Class<?> owner = null; // else the class the call names
        String expectName = null;
        String expectDesc = null;
        while (isp > 0) {
            int id = ints[isp - 1];
            int base = id & ~POINT_MASK;
            int index = id & POINT_MASK;
            InstrumentedMethods.Entry e = target != null ? findFor(target, base, expectName, expectDesc)
                    : find(owner == null ? new Class<?>[0] : new Class<?>[] {owner}, base, expectName, expectDesc);
            String[] f = e == null ? null : e.point(index);
            if (f == null) {
                out.add(new Frame(null, index, -1, null, 0, null, null, null, new int[0], new long[0], new Object[0]));
                break; // without the method, the frame's size is unknown: nothing below can be read
            }
            Method m = e.method;
            Instrumented meta = e.meta;
            int line = Integer.parseInt(f[0]);
            int ni = Integer.parseInt(f[1]);
            int nl = Integer.parseInt(f[2]);
            int nr = Integer.parseInt(f[3]);
            int receiver = Integer.parseInt(f[4]);
            if (ni + 1 > isp || nl > lsp || nr > rsp) {
                out.add(new Frame(m, index, line, source(meta), meta.fingerprint(), f[6], f[7], f[8], new int[0], new long[0], new Object[0]));
                break; // the store does not hold what the method says: a class changed under it
            }
            int[] fi = Arrays.copyOfRange(ints, isp - 1 - ni, isp - 1);
            long[] fl = Arrays.copyOfRange(longs, lsp - nl, lsp);
            Object[] fr = Arrays.copyOfRange(refs, rsp - nr, rsp);
            out.add(new Frame(m, index, line, source(meta), meta.fingerprint(), f[6], f[7], f[8], fi, fl, fr));
            isp -= ni + 1;
            lsp -= nl;
            rsp -= nr;
            expectName = f[7];
            expectDesc = f[8];
            if (receiver >= 0 && fr[receiver] != null) {
                target = fr[receiver];
            } else {
                target = null;
                owner = e.callOwner(index);
            }
        }
        return out;
    }

    private static String source(Instrumented meta) {
        return meta.source().isEmpty() ? null : meta.source();
    }

    /**
     * The instrumented method with that base that {@code target} runs: looked for in its class; for a
     * lambda or method reference, in the class that made it (where a lambda's body is), then, only if
     * not found there, in the class of the method a method reference names (from its
     * {@link SerializedLambda} when it is serializable) and in the classes of what it captured (the
     * receiver of a bound method reference).
     */
    private static InstrumentedMethods.Entry findFor(Object target, int base, String name, String desc) {
        Class<?> k = target.getClass();
        Class<?> host = InstrumentedMethods.of(k).lambdaHost;
        if (host == null) {
            return find(new Class<?>[] {k}, base, name, desc);
        }
        ClassLoader loader = k.getClassLoader();
        InstrumentedMethods.Entry e = find(host == null ? new Class<?>[] {k} : new Class<?>[] {k, host}, base, name, desc);
        if (e != null) {
            return e;
        }
        List<Class<?>> more = new ArrayList<>();
        if (target instanceof Serializable) {
            try {
                Method replace = k.getDeclaredMethod("writeReplace");
                replace.setAccessible(true);
                Object form = replace.invoke(target);
                if (form instanceof SerializedLambda) {
                    addIfAbsent(more, InstrumentedMethods.load(((SerializedLambda) form).getImplClass(), loader));
                }
            } catch (ReflectiveOperationException | RuntimeException x) {
                // not a lambda of the JDK's making, or one this package may not open: the captures may tell
            }
        }
        for (Field f : k.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                try {
                    f.setAccessible(true);
                    Object captured = f.get(target);
                    if (captured != null) {
                        addIfAbsent(more, captured.getClass());
                    }
                } catch (ReflectiveOperationException | RuntimeException x) {
                    // a module that does not open it: nothing more to learn
                }
            }
        }
        return find(more.toArray(new Class<?>[0]), base, name, desc);
    }

    private static void addIfAbsent(List<Class<?>> all, Class<?> k) {
        if (k != null && !all.contains(k)) {
            all.add(k);
        }
    }

    /**
     * The instrumented method with that base among the candidates and their supertypes; when several
     * share it (a hash collision, or a bridge and its target), the one with the call's name and
     * descriptor first.
     */
    private static InstrumentedMethods.Entry find(Class<?>[] candidates, int base, String name, String desc) {
        InstrumentedMethods.Entry found = null;
        for (Class<?> c : candidates) {
            for (Class<?> k : InstrumentedMethods.of(c).hierarchy) {
                for (InstrumentedMethods.Entry e : InstrumentedMethods.of(k).withBase(base)) {
                    if (name == null || (e.method.getName().equals(name) && e.desc.equals(desc))) {
                        return e;
                    }
                    if (found == null) {
                        found = e;
                    }
                }
            }
        }
        return found;
    }

    /** The JVM descriptor of {@code m}. */
    static String descriptor(Method m) {
        StringBuilder b = new StringBuilder("(");
        for (Class<?> p : m.getParameterTypes()) {
            b.append(p.descriptorString());
        }
        return b.append(')').append(m.getReturnType().descriptorString()).toString();
    }
}
