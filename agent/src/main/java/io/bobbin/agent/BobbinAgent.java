package io.bobbin.agent;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Bobbin Java agent. Start it with {@code -javaagent:bobbin-agent.jar[=options]} (see
 * {@link AgentOptions}), as a launcher agent of an executable jar, or at run time through the
 * attach API ({@code agentmain}). It instruments the suspendable methods of every class loaded
 * after it starts, and retransforms the classes loaded before. Starting it twice in one JVM is
 * harmless: the second start only says so.
 */
public final class BobbinAgent {
    private static final String ACTIVE = "io.bobbin.agent.active";
    private static volatile SuspendableTransformer transformer;

    private BobbinAgent() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    private static synchronized void start(String args, Instrumentation inst) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            // Stops the JVM at start-up (premain), or fails the attach (agentmain): say it is ours.
            throw new IllegalArgumentException(Log.PREFIX + e.getMessage(), e);
        }
        if (System.getProperty(ACTIVE) != null || transformer != null) {
            if (options.verbose) {
                Log.verbose = true;
            }
            Log.info("the agent is already active in this JVM; this start does nothing");
            return;
        }
        Log.verbose = options.verbose;
        if (options.torture) {
            System.setProperty("bobbin.torture", "true"); // read once by io.bobbin.internal.cont.Torture
        }
        SuspendableTransformer t = new SuspendableTransformer(options);
        transformer = t;
        System.setProperty(ACTIVE, "true");
        inst.addTransformer(t, true);
        retransformLoaded(inst);
    }

    /** Retransforms the application classes already loaded, so that the agent can start late. */
    private static void retransformLoaded(Instrumentation inst) {
        List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null || c.isArray() || c.isPrimitive() || c.isHidden()
                    || !inst.isModifiableClass(c) || SuspendableTransformer.isExcluded(c.getName().replace('.', '/'))) {
                continue;
            }
            candidates.add(c);
        }
        if (candidates.isEmpty()) {
            return;
        }
        try {
            inst.retransformClasses(candidates.toArray(new Class<?>[0]));
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            // One class spoiled the batch: do them one by one, so that only that class stays as it was.
            for (Class<?> c : candidates) {
                try {
                    inst.retransformClasses(c);
                } catch (UnmodifiableClassException | RuntimeException | LinkageError e1) {
                    Log.warn("class " + c.getName() + " was loaded before the agent started and cannot be retransformed ("
                            + e1 + "), so its suspendable methods cannot suspend; start the agent with -javaagent"
                            + " so that it sees the class load");
                }
            }
        }
        Log.info("retransformed " + candidates.size() + " classes loaded before the agent");
    }

    /** How many classes, methods and suspension points the agent has instrumented so far (for tests and tools). */
    public static int[] counts() {
        SuspendableTransformer t = transformer;
        return t == null ? new int[3] : new int[] {t.classes.get(), t.methods.get(), t.points.get()};
    }
}
