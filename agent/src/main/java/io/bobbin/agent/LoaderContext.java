package io.bobbin.agent;

import java.util.Map;
import java.util.WeakHashMap;

/** Everything the agent keeps per class loader: class information and what is suspendable there. */
final class LoaderContext {
    final TypeHierarchy hierarchy;
    final SuspendableIndex index;

    private LoaderContext(ClassLoader loader, ExtraSuspendables base) {
        ExtraSuspendables extras = new ExtraSuspendables(base);
        extras.addResources(loader);
        hierarchy = new TypeHierarchy(loader);
        index = new SuspendableIndex(hierarchy, extras);
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
                    bootstrap = new LoaderContext(null, base);
                }
                return bootstrap;
            }
            return contexts.computeIfAbsent(loader, l -> new LoaderContext(l, base));
        }
    }
}
