package io.bobbin.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The JDK's own internal continuation ({@code jdk.internal.vm.Continuation}, JDK 21+), the machinery
 * under virtual threads, reached through method handles so that this module still compiles for
 * release 17. Needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}. The handles are
 * constants, so the JIT calls the JDK's methods directly.
 */
public final class JdkContinuations {
    private static final Object SCOPE;
    private static final MethodHandle NEW;
    private static final MethodHandle RUN;
    private static final MethodHandle YIELD;
    private static final MethodHandle IS_DONE;
    /** Why the JDK's continuation is not usable here, or {@code null} when it is. */
    public static final String UNAVAILABLE;

    static {
        Object scope = null;
        MethodHandle nw = null, run = null, yield = null, done = null;
        String why = null;
        try {
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup l = MethodHandles.lookup(); // the export is qualified (to ALL-UNNAMED): publicLookup() cannot see it
            scope = l.findConstructor(scopeClass, MethodType.methodType(void.class, String.class)).invoke("bench");
            nw = l.findConstructor(contClass, MethodType.methodType(void.class, scopeClass, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            run = l.findVirtual(contClass, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            yield = l.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            done = l.findVirtual(contClass, "isDone", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
        } catch (Throwable t) {
            why = "jdk.internal.vm.Continuation is not available (JDK 21+ with --add-exports "
                    + "java.base/jdk.internal.vm=ALL-UNNAMED): " + t;
        }
        SCOPE = scope;
        NEW = nw;
        RUN = run;
        YIELD = yield;
        IS_DONE = done;
        UNAVAILABLE = why;
    }

    private JdkContinuations() {}

    public static Object create(Runnable body) {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException(UNAVAILABLE);
        }
        try {
            return (Object) NEW.invokeExact(SCOPE, body);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void run(Object continuation) {
        try {
            RUN.invokeExact(continuation);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void yieldNow() {
        try {
            boolean ignored = (boolean) YIELD.invokeExact(SCOPE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static boolean isDone(Object continuation) {
        try {
            return (boolean) IS_DONE.invokeExact(continuation);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new IllegalStateException(t);
    }
}
