package io.bobbin.agent;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Everything the agent keeps per class loader: class information and what is suspendable there. */
final class LoaderContext {
    /** The runtime class that every instrumented method calls first, as a resource. */
    static final String RUNTIME_PROBE = RuntimeProtocol.FRAME_STACK + ".class";

    final TypeHierarchy hierarchy;
    final SuspendableIndex index;
    private final ClassLoader loader;
    /** Whether {@link #loader} can see the runtime: {@code null} until asked. Racy, but any thread computes the same. */
    private volatile Boolean seesRuntime;
    /** Set by the first report that this loader cannot see the runtime: one report per loader. */
    final AtomicBoolean reportedBlind = new AtomicBoolean();

    private LoaderContext(ClassLoader loader, ExtraSuspendables base, boolean systemFallback) {
        this.loader = loader;
        ExtraSuspendables extras = new ExtraSuspendables(base);
        extras.addResources(loader);
        hierarchy = new TypeHierarchy(loader, systemFallback);
        index = new SuspendableIndex(hierarchy, extras);
    }

    /**
     * A context for build-time instrumentation: class bytes, and {@code META-INF/bobbin/suspendables}
     * resources, come from {@code loader} alone (its parent chain included), never from the system
     * class loader, which is the build tool's.
     */
    static LoaderContext forBuild(ClassLoader loader, ExtraSuspendables base) {
        return new LoaderContext(loader, base, false);
    }

    /**
     * Whether code defined by this context's loader can reach the runtime's classes: instrumented
     * code calls them, and fails with {@code NoClassDefFoundError} where it cannot. Asked of the
     * loader as a resource (never by loading a class, which a transformer must not do).
     */
    boolean seesRuntime() {
        Boolean sees = seesRuntime;
        if (sees == null) {
            try {
                sees = loader != null ? loader.getResource(RUNTIME_PROBE) != null
                        : ClassLoader.getPlatformClassLoader().getResource(RUNTIME_PROBE) != null; // asks the bootstrap loader first
            } catch (RuntimeException e) {
                sees = Boolean.TRUE; // a loader that fails to answer: let its classes fail as they would
            }
            seesRuntime = sees;
        }
        return sees;
    }

    /** The loader, for messages. */
    String describeLoader() {
        return loader == null ? "the bootstrap class loader" : "class loader " + loader;
    }

    /** One context per loader, weakly held so that a loader can still be unloaded. */
    static final class Registry {
        private final ExtraSuspendables base;
        private final Map<ClassLoader, LoaderContext> contexts = new WeakHashMap<>();
        private LoaderContext bootstrap;

        Registry(ExtraSuspendables base) {
            this.base = base;
        }

        synchronized LoaderContext forLoader(ClassLoader loader) {
            if (loader == null) {
                if (bootstrap == null) {
                    bootstrap = new LoaderContext(null, base, true);
                }
                return bootstrap;
            }
            return contexts.computeIfAbsent(loader, l -> new LoaderContext(l, base, true));
        }
    }
}
