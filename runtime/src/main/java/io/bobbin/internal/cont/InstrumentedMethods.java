package io.bobbin.internal.cont;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The methods a class declares, each with the agent's metadata when it is instrumented, found by
 * name and descriptor or by resume-point base: what {@link SavedFrames} and {@link SerialFrames} look
 * up for every frame. Built by reflection once per class, on first use, and kept with the class
 * ({@link ClassValue}), so a class loader that goes away takes it along.
 *
 * <p>Threads: any; an index is immutable once built.
 */
final class InstrumentedMethods {
    private static final ClassValue<InstrumentedMethods> INDEX = new ClassValue<>() {
        @Override
        protected InstrumentedMethods computeValue(Class<?> k) {
            return new InstrumentedMethods(k);
        }
    };

    /** A declared method: its descriptor, and its metadata ({@code null} when it is not instrumented). */
    static final class Entry {
        final Method method;
        final String desc;
        final Instrumented meta;
        /** Per resume point, its entry split in fields (see {@link Instrumented#points()}). */
        private final String[][] points;
        /** Per resume point, the class its call names, once loaded (a benign race: any thread may fill it). */
        private final Class<?>[] callOwners;

        Entry(Method method, String desc, Instrumented meta) {
            this.method = method;
            this.desc = desc;
            this.meta = meta;
            String[] p = meta == null ? new String[0] : meta.points();
            points = new String[p.length][];
            for (int i = 0; i < p.length; i++) {
                points[i] = p[i].split("\\|", 9);
            }
            callOwners = new Class<?>[p.length];
        }

        /** The class that the call of point {@code index} names, loaded by this method's loader, or {@code null}. */
        Class<?> callOwner(int index) {
            Class<?> k = callOwners[index];
            if (k == null) {
                k = load(points[index][6], method.getDeclaringClass().getClassLoader());
                callOwners[index] = k;
            }
            return k;
        }

        /** The fields of point {@code index}, or {@code null} when the method has no such point. */
        String[] point(int index) {
            return index >= 0 && index < points.length ? points[index] : null;
        }
    }

    private final Map<String, Entry> byNameAndDesc = new HashMap<>();
    private final Map<Integer, List<Entry>> byBase = new HashMap<>();
    /** The class, its superclasses, then every interface they implement, each once. */
    final List<Class<?>> hierarchy;
    /** For a lambda's or method reference's class, the class that made it; else {@code null}. */
    final Class<?> lambdaHost;

    private InstrumentedMethods(Class<?> k) {
        hierarchy = Collections.unmodifiableList(hierarchyOf(k));
        String name = k.getName();
        int cut = name.indexOf("$$Lambda");
        lambdaHost = cut > 0 ? load(name.substring(0, cut), k.getClassLoader()) : null;
        for (Method m : k.getDeclaredMethods()) {
            Entry e = new Entry(m, SavedFrames.descriptor(m), m.getAnnotation(Instrumented.class));
            byNameAndDesc.put(m.getName() + e.desc, e);
            if (e.meta != null) {
                byBase.computeIfAbsent(e.meta.base(), b -> new ArrayList<>(1)).add(e);
            }
        }
    }

    private static List<Class<?>> hierarchyOf(Class<?> c) {
        List<Class<?>> all = new ArrayList<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            all.add(k);
        }
        for (int i = 0; i < all.size(); i++) {
            for (Class<?> in : all.get(i).getInterfaces()) {
                if (!all.contains(in)) {
                    all.add(in);
                }
            }
        }
        return all;
    }

    /** The class named (internal or binary name) through {@code loader}, or {@code null}. */
    static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name.replace('/', '.'), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    static InstrumentedMethods of(Class<?> k) {
        return INDEX.get(k);
    }

    /** The method declared with that name and descriptor, instrumented or not, or {@code null}. */
    Entry named(String name, String desc) {
        return byNameAndDesc.get(name + desc);
    }

    /** The instrumented methods whose resume points start at {@code base} (usually one). */
    List<Entry> withBase(int base) {
        return byBase.getOrDefault(base, Collections.emptyList());
    }
}
