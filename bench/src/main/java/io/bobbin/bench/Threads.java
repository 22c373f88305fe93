package io.bobbin.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/** Virtual threads (JDK 21+) reached reflectively, so that this module compiles for release 17. */
public final class Threads {
    private Threads() {}

    public static boolean virtualAvailable() {
        return Runtime.version().feature() >= 21;
    }

    /** {@code Thread.ofVirtual().factory()}. */
    public static ThreadFactory virtualFactory() {
        try {
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            Object builder = l.findStatic(Thread.class, "ofVirtual",
                    MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual"))).invoke();
            MethodHandle factory = l.findVirtual(Class.forName("java.lang.Thread$Builder"), "factory",
                    MethodType.methodType(ThreadFactory.class));
            return (ThreadFactory) factory.invoke(builder);
        } catch (Throwable t) {
            throw new IllegalStateException("virtual threads need JDK 21+", t);
        }
    }
}
