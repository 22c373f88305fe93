package io.bobbin.agent;

import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's {@link ClassFileTransformer}: instruments the suspendable methods of every class as
 * it is loaded or retransformed. It never makes class loading fail: a class it cannot transform is
 * left as it was, with one warning that says which and why.
 *
 * <p>Each class goes first through the pre-scan ({@link ClassScan}), which lets most of them through
 * with no parsing at all. A class that carries the {@link InstrumentedMark} (instrumented at build
 * time) is used as it is. A class whose loader cannot see the runtime is left as it was, with one
 * warning per loader, rather than fail at its first call.
 */
final class SuspendableTransformer implements ClassFileTransformer {
    private final AgentOptions options;
    private final LoaderContext.Registry contexts;
    final AtomicInteger classes = new AtomicInteger();
    final AtomicInteger methods = new AtomicInteger();
    final AtomicInteger points = new AtomicInteger();

    SuspendableTransformer(AgentOptions options) {
        this.options = options;
        this.contexts = new LoaderContext.Registry(options.extras);
    }

    /** Classes the agent never looks into: the JDK's, its own, the runtime's side of the protocol, and the JVM's lambda forwarders. */
    static boolean isExcluded(String name) {
        return SuspendableIndex.isPlatformClass(name)
                || name.startsWith("io/bobbin/agent/")
                || RuntimeProtocol.isRuntimeInternal(name)
                || name.contains("$$Lambda");
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] bytes) {
        if (className == null || bytes == null || isExcluded(className)) {
            return null;
        }
        try {
            return transform(loader, className, bytes);
        } catch (Throwable t) {
            Log.warnOnce(className, "class " + className.replace('/', '.') + " is left as it was, so none of its"
                    + " methods can suspend: the agent failed on it (" + t + "); if the class is valid, report this"
                    + " with the class file");
            return null;
        }
    }

    /** Transforms class bytes as the JVM would have them transformed; {@code null} when nothing changes. */
    byte[] transform(ClassLoader loader, String className, byte[] bytes) {
        LoaderContext context = contexts.forLoader(loader);
        ClassScan scan = ClassScan.of(bytes);
        String mark = ClassInstrumenter.markOf(scan, bytes);
        if (mark != null) {
            instrumentedAlready(context, className, mark);
            return null;
        }
        ClassInstrumenter.Outcome outcome = ClassInstrumenter.instrument(scan, bytes, context, options.torture);
        if (outcome == null) {
            return null;
        }
        if (!context.seesRuntime()) {
            // Instrumented, the class would fail with NoClassDefFoundError at its first call; as it is, it still runs.
            if (context.reportedBlind.compareAndSet(false, true)) {
                Log.warn("class " + className.replace('/', '.') + " is left uninstrumented, so its methods cannot suspend: "
                        + context.describeLoader() + ", which defines it, cannot see the Bobbin runtime ("
                        + RuntimeProtocol.FRAME_STACK.replace('/', '.') + ", in bobbin-runtime.jar) that instrumented"
                        + " code calls; add bobbin-runtime.jar to the class path of that loader, or of a parent of it"
                        + " (other classes of that loader are not reported)");
            }
            return null;
        }
        if (options.verify) {
            String problem = ClassVerifier.verify(outcome.bytes, context.hierarchy);
            if (problem != null) {
                Log.warnOnce(className, "class " + className.replace('/', '.') + " is left as it was, so none of its"
                        + " methods can suspend: its instrumented code does not verify (" + problem + "); report this"
                        + " with the class file");
                return null;
            }
        }
        if (options.dump != null) {
            dump(className, outcome.bytes);
        }
        classes.incrementAndGet();
        methods.addAndGet(outcome.methods);
        points.addAndGet(outcome.points);
        Log.info("instrumented " + className.replace('/', '.') + ": " + outcome.methods + " methods, "
                + outcome.points + " suspension points");
        return outcome.bytes;
    }

    /** A class instrumented before (at build time, as a rule): used as it is, with a word if something is off. */
    private static void instrumentedAlready(LoaderContext context, String className, String version) {
        if (!version.equals(InstrumentedMark.VERSION)) {
            Log.warnOnce("version:" + version, InstrumentedMark.mismatch(className, version));
        }
        if (!context.seesRuntime() && context.reportedBlind.compareAndSet(false, true)) {
            Log.warn("class " + className.replace('/', '.') + " was instrumented at build time, but "
                    + context.describeLoader() + ", which defines it, cannot see the Bobbin runtime ("
                    + RuntimeProtocol.FRAME_STACK.replace('/', '.') + ", in bobbin-runtime.jar): its suspendable methods"
                    + " will throw NoClassDefFoundError; add bobbin-runtime.jar to the class path of that loader, or of"
                    + " a parent of it (other classes of that loader are not reported)");
        }
        Log.info("left " + className.replace('/', '.') + " as it is: instrumented already, by Bobbin " + version);
    }

    private void dump(String className, byte[] bytes) {
        Path file = options.dump.resolve(className + ".class");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            Log.warnOnce("dump:" + className, "instrumented class " + className.replace('/', '.') + " cannot be dumped to "
                    + file + " (" + e + "); check that the dump directory can be written");
        }
    }
}
