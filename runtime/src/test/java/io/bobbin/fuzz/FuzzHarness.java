package io.bobbin.fuzz;

import io.bobbin.Continuation;
import io.bobbin.ContinuationException;
import io.bobbin.SuspendableCallable;
import io.bobbin.SuspendableRunnable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * The differential fuzzer of Bobbin's transformation. For one seed it generates a program
 * ({@link ProgramGenerator}), compiles it in memory, loads it through fresh class loaders that also
 * serve the class bytes as resources (the agent reads supertypes that way), and demands:
 * <ol>
 *   <li>every instrumented class loads, links and initialises, and the agent says nothing;</li>
 *   <li>every class the agent dumped passes ASM's {@link CheckClassAdapter#verify};</li>
 *   <li>the same result and trace from the baseline (the same bytes without any {@code @Suspendable}
 *       mark, which the agent leaves alone) run plainly, and from the instrumented program run
 *       plainly, in a {@link Continuation} resumed until done (every Nth resume on another thread),
 *       in a continuation nested three deep, and as one of two copies whose continuations are
 *       resumed in turn. For programs generated serializable (half the seeds: every helper type and
 *       suspendable interface {@code Serializable}) the first of these continuations is written to
 *       bytes and read back at every suspension, the copy going on in its place.</li>
 * </ol>
 * A failure is shrunk (smaller settings from the same seed, then whole statements, single
 * statements and expressions left out or made plain) and printed with its seed and smallest source.
 *
 * <p>Run it long with {@link #main}, or through {@code FuzzTest} with {@code -Dbobbin.fuzz.count=N};
 * see docs/fuzzing.md.
 */
public final class FuzzHarness {

    enum Kind {
        /** The generator wrote code that does not compile: a bug of the fuzzer, not of the agent. */
        COMPILE,
        /** An instrumented class failed to load or initialise (VerifyError...), or the agent warned. */
        LOAD,
        /** ASM's verifier rejects a class the agent wrote. */
        ASM_VERIFY,
        /** The instrumented program run plainly differs from the uninstrumented baseline. */
        PLAIN_MISMATCH,
        /** The program run in a continuation differs from the baseline. */
        CONTINUATION_MISMATCH,
        /** The program run in a continuation written and read back at every suspension differs from the baseline. */
        SERIAL_MISMATCH,
        /** A run did not end in time. */
        HANG,
        /** javac wrote code that does not verify even uninstrumented (JDK 17's javac does, for some switch expressions). */
        JAVAC
    }

    /** What one case gave: {@code kind} null when it passed. */
    static final class Result {
        final Kind kind;
        final String detail;
        final String source;
        final int suspensions;
        final int statements;
        final int expressions;
        final List<int[]> groups;

        Result(Kind kind, String detail, String source, int suspensions, ProgramGenerator g) {
            this.groups = g.groups();
            this.kind = kind;
            this.detail = detail;
            this.source = source;
            this.suspensions = suspensions;
            this.statements = g.statementCount();
            this.expressions = g.expressionCount();
        }

        boolean failed() {
            return kind != null;
        }

        /** What a shrunk program must still show: the kind, and for load failures the error's first words. */
        String signature() {
            if (kind != Kind.LOAD && kind != Kind.ASM_VERIFY) {
                return String.valueOf(kind);
            }
            String first = detail.split("\n", 2)[0];
            int colon = first.indexOf(": ");
            return kind + (colon < 0 ? first : first.substring(colon + 2)).replaceAll("[0-9]", "");
        }

        /** The agent left a class alone because its instrumented code would pass the JVM's limits: not a bug. */
        boolean tooLarge() {
            return kind == Kind.LOAD && detail.contains("MethodTooLargeException");
        }
    }

    /** What one run of a program gave: its rendered result or exception, its trace and its suspensions. */
    private static final class Run {
        final String outcome;
        final String trace;
        final int suspensions;
        final String where;

        Run(String outcome, String trace, int suspensions, String where) {
            this.outcome = outcome;
            this.trace = trace;
            this.suspensions = suspensions;
            this.where = where;
        }

        boolean sameAs(Run o) {
            return outcome.equals(o.outcome) && trace.equals(o.trace);
        }

        @Override
        public String toString() {
            return "result: " + outcome + "\n    trace: " + trace + (where.isEmpty() ? "" : "\n    " + where);
        }
    }

    private static final long RUN_TIMEOUT_SECONDS = 30;
    private static final boolean VERBOSE = Boolean.getBoolean("bobbin.fuzz.verbose");
    private static final int MAX_RESUMES = 1_000_000;
    private static final AtomicInteger PACKAGES = new AtomicInteger();
    private static final JavaCompiler COMPILER = ToolProvider.getSystemJavaCompiler();
    private static final StandardJavaFileManager FILES = COMPILER.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
    private static final String CLASSPATH = classpath();
    private static final Path DUMP = System.getProperty("bobbin.dump") == null ? null : Paths.get(System.getProperty("bobbin.dump"));

    private static ExecutorService driver = newDriver();
    private static final ExecutorService OTHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(null, r, "fuzz-other", 64L << 20);
        t.setDaemon(true);
        return t;
    });

    private FuzzHarness() {}

    private static ExecutorService newDriver() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, "fuzz-driver", 64L << 20);
            t.setDaemon(true);
            return t;
        });
    }

    private static String classpath() {
        try {
            return Paths.get(Continuation.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            return System.getProperty("java.class.path");
        }
    }

    // ---- one case ------------------------------------------------------------------------------

    /** Generates, compiles, runs and compares the program of {@code seed} with these settings. */
    static Result runCase(long seed, ProgramGenerator.Settings settings, Set<Integer> skip, Set<Integer> simplify) {
        ProgramGenerator generator = new ProgramGenerator(seed, settings, skip, simplify);
        String template = generator.generate();
        ProgramGenerator gen = generator;
        int id = PACKAGES.incrementAndGet();
        String pkgS = "fz" + id + "s";
        String srcS = ProgramGenerator.render(template, pkgS, true);
        Map<String, byte[]> classesS;
        try {
            Map<String, String> units = new LinkedHashMap<>();
            units.put(pkgS + ".Prog", srcS);
            ProgramGenerator.OTHER.forEach((name, text) ->
                    units.put(pkgS + ".other." + name,
                            ProgramGenerator.render(ProgramGenerator.serial(text, settings.serializable), pkgS, true)));
            classesS = compile(units, settings.debugInfo);
        } catch (CompileError e) {
            if (e.getMessage() == null) {
                return new Result(Kind.JAVAC, "javac crashed", srcS, 0, gen);
            }
            return new Result(Kind.COMPILE, e.getMessage(), srcS, 0, gen);
        }
        Map<String, byte[]> classesP;
        try {
            classesP = baseline(classesS);
        } catch (RuntimeException e) {
            return new Result(Kind.JAVAC, "ASM cannot read what javac wrote: " + e, srcS, 0, gen);
        }
        try {
            deleteDumps(pkgS);
            Run base = run(classesP, pkgS, Mode.PLAIN, 0);
            if (base.outcome.contains("VerifyError") || base.outcome.contains("ClassFormatError")) {
                return new Result(Kind.JAVAC, "the uninstrumented program does not verify:\n" + base.outcome + "\n"
                        + base.where, srcS, 0, gen);
            }
            if (DUMP != null && Files.exists(DUMP.resolve(pkgS))) {
                throw new IllegalStateException("the agent instrumented the baseline of " + pkgS);
            }
            // The instrumented classes must all load, link and initialise, without a word from the agent.
            String load = loadAll(classesS);
            if (load != null) {
                return new Result(Kind.LOAD, load, srcS, 0, gen);
            }
            String verify = verifyDumps(pkgS, classesS);
            if (verify != null) {
                return new Result(Kind.ASM_VERIFY, verify, srcS, 0, gen);
            }
            Run plain = run(classesS, pkgS, Mode.PLAIN, 0);
            if (!plain.sameAs(base)) {
                return new Result(Kind.PLAIN_MISMATCH, "baseline:\n    " + base + "\ninstrumented, plain:\n    " + plain,
                        srcS, 0, gen);
            }
            int every = 2 + (int) Math.floorMod(seed, 3L);
            if (plain.suspensions != 0) {
                return new Result(Kind.PLAIN_MISMATCH, "suspended outside any continuation", srcS, 0, gen);
            }
            // A serializable program's continuation is written and read back at every suspension too: in
            // place of a run of its own, which would cost another load of the program.
            boolean serial = settings.serializable;
            Run cont = run(classesS, pkgS, serial ? Mode.SERIALIZED : Mode.CONTINUATION, every);
            if (!cont.sameAs(base)) {
                return new Result(serial ? Kind.SERIAL_MISMATCH : Kind.CONTINUATION_MISMATCH, "baseline:\n    " + base
                        + "\nin a continuation" + (serial ? " written to bytes and read back at every suspension" : "")
                        + " (every " + every + "th resume on another thread, " + cont.suspensions + " suspensions):\n    "
                        + cont, srcS, cont.suspensions, gen);
            }
            Run nested = run(classesS, pkgS, Mode.NESTED, every);
            if (!nested.sameAs(base)) {
                return new Result(Kind.CONTINUATION_MISMATCH, "baseline:\n    " + base + "\nin a continuation nested in another"
                        + " that suspends after each of its resumes (every " + every + "th outer resume on another thread, "
                        + nested.suspensions + " suspensions):\n    " + nested, srcS, nested.suspensions, gen);
            }
            Run[] two = interleaved(classesS, pkgS, every);
            for (Run r : two) {
                if (!r.sameAs(base)) {
                    return new Result(Kind.CONTINUATION_MISMATCH, "baseline:\n    " + base + "\nin one of two continuations"
                            + " of two copies of the program, resumed in turn (every " + every + "th resume on another"
                            + " thread):\n    " + r, srcS, r.suspensions, gen);
                }
            }
            if (VERBOSE) {
                System.out.println("seed " + seed + ": " + srcS.length() + " chars, " + cont.suspensions + " suspensions, "
                        + cont.trace.length() + " trace chars, " + (cont.outcome.length() > 70 ? cont.outcome.substring(0, 70) : cont.outcome));
            }
            return new Result(null, null, srcS, cont.suspensions, gen);
        } catch (TimeoutException e) {
            driver.shutdownNow();
            driver = newDriver();
            return new Result(Kind.HANG, "a run did not end within " + RUN_TIMEOUT_SECONDS + " s", srcS, 0, gen);
        } finally {
            deleteDumps(pkgS);
        }
    }

    /**
     * The uninstrumented baseline: the same class bytes without any {@code @Suspendable} mark, and
     * implementing {@code Callable} instead of {@code SuspendableCallable} (the same method), so that
     * the agent finds nothing suspendable in them. Loaded by a loader of its own, under the same names.
     * (Since the marks are gone, {@code Continuation.suspend()} is never reached: outside a
     * continuation {@code point()} does not call it.)
     */
    static Map<String, byte[]> baseline(Map<String, byte[]> classes) {
        String mark = "Lio/bobbin/Suspendable;";
        Map<String, byte[]> out = new LinkedHashMap<>();
        classes.forEach((name, bytes) -> {
            ClassWriter w = new ClassWriter(0);
            ClassVisitor unmark = new ClassVisitor(Opcodes.ASM9, w) {
                @Override
                public void visit(int version, int access, String n, String signature, String superName, String[] interfaces) {
                    for (int i = 0; i < interfaces.length; i++) {
                        if (interfaces[i].equals("io/bobbin/SuspendableCallable")) {
                            interfaces[i] = "java/util/concurrent/Callable";
                        }
                    }
                    if (signature != null) {
                        signature = signature.replace("Lio/bobbin/SuspendableCallable<", "Ljava/util/concurrent/Callable<");
                    }
                    super.visit(version, access, n, signature, superName, interfaces);
                }

                @Override
                public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                    return descriptor.equals(mark) ? null : super.visitAnnotation(descriptor, visible);
                }

                @Override
                public MethodVisitor visitMethod(int access, String n, String d, String sig, String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, n, d, sig, exceptions)) {
                        @Override
                        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                            return descriptor.equals(mark) ? null : super.visitAnnotation(descriptor, visible);
                        }
                    };
                }
            };
            new ClassReader(bytes).accept(unmark, 0);
            out.put(name, w.toByteArray());
        });
        return out;
    }

    private static Map<String, byte[]> only(Map<String, byte[]> classes, String prefix) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        classes.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Loads and initialises every class through a loader of its own; stderr (the agent's warnings) is watched. */
    private static String loadAll(Map<String, byte[]> classes) {
        GenLoader loader = new GenLoader(classes);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(new Tee(old, err), true));
        try {
            for (String name : classes.keySet()) {
                try {
                    Class.forName(name, true, loader);
                } catch (Throwable t) {
                    return name + ": " + stackTrace(t);
                }
            }
        } finally {
            System.setErr(old);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        if (said.contains("[bobbin]")) {
            return "the agent said:\n" + said;
        }
        return null;
    }

    private static String verifyDumps(String pkg, Map<String, byte[]> classes) {
        if (DUMP == null) {
            return null;
        }
        GenLoader loader = new GenLoader(classes);
        StringBuilder problems = new StringBuilder();
        for (String name : classes.keySet()) {
            Path file = DUMP.resolve(name.replace('.', '/') + ".class");
            if (!Files.exists(file)) {
                continue; // not instrumented
            }
            try {
                StringWriter out = new StringWriter();
                CheckClassAdapter.verify(new ClassReader(Files.readAllBytes(file)), loader, false, new PrintWriter(out));
                if (!out.toString().isBlank()) {
                    problems.append(name).append(":\n").append(out);
                }
            } catch (Throwable t) {
                problems.append(name).append(": ").append(stackTrace(t));
            }
        }
        return problems.length() == 0 ? null : problems.toString();
    }

    private static void deleteDumps(String pkg) {
        if (DUMP == null) {
            return;
        }
        Path dir = DUMP.resolve(pkg);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // only litter
        }
    }

    /** How {@link #run} runs the program. */
    private enum Mode {
        /** {@code Prog.call()} called plainly. */
        PLAIN,
        /** In a continuation resumed until done. */
        CONTINUATION,
        /** In a continuation nested in another that suspends after each of its resumes. */
        NESTED,
        /** In a continuation written to bytes and read back at every suspension, the copy going on in its place. */
        SERIALIZED
    }
    /** Continuations written and read back by {@link #serialized}, in all. */
    private static final java.util.concurrent.atomic.AtomicLong ROUND_TRIPS = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Runs {@code Prog.call()} in a fresh loader as {@code mode} says; in a continuation, every
     * {@code every}th resume is on another thread.
     */
    @SuppressWarnings("unchecked")
    private static Run run(Map<String, byte[]> classes, String pkg, Mode mode, int every) throws TimeoutException {
        GenLoader loader = new GenLoader(classes);
        Callable<Run> task = () -> {
            Class<?> prog = Class.forName(pkg + ".Prog", true, loader);
            Object instance = prog.getConstructor().newInstance();
            String outcome;
            String where = "";
            try {
                Object value;
                if (mode == Mode.SERIALIZED) {
                    value = serialized((SuspendableCallable<Object>) instance, prog, loader, every);
                } else if (mode == Mode.NESTED) {
                    value = nested((SuspendableCallable<Object>) instance, every);
                } else if (mode == Mode.CONTINUATION) {
                    value = inContinuation((SuspendableCallable<Object>) instance, every);
                } else {
                    value = instance instanceof Callable ? ((Callable<Object>) instance).call()
                            : ((SuspendableCallable<Object>) instance).call();
                }
                outcome = "returned " + value;
            } catch (Throwable t) {
                outcome = "threw " + describe(t);
                if (!t.getClass().getName().startsWith(pkg)) {
                    where = stackTrace(t); // the machinery's exception rather than the program's
                }
            }
            String trace = String.valueOf(prog.getDeclaredField("T").get(null));
            int susp = prog.getDeclaredField("SUSP").getInt(null);
            return new Run(outcome, trace, susp, where);
        };
        Future<Run> f = driver.submit(task);
        try {
            return f.get(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            return new Run("harness failure " + e.getCause(), "", 0, stackTrace(e.getCause()));
        }
    }

    /**
     * Two copies of the program (class loaders of their own, so their statics apart), each in a
     * continuation, resumed in turn until both are done; every Nth resume on the other thread.
     */
    @SuppressWarnings("unchecked")
    private static Run[] interleaved(Map<String, byte[]> classes, String pkg, int every) throws TimeoutException {
        Callable<Run[]> task = () -> {
            Class<?>[] progs = new Class<?>[2];
            Continuation[] cs = new Continuation[2];
            Object[] values = new Object[2];
            String[] outcomes = new String[2];
            String[] wheres = {"", ""};
            for (int i = 0; i < 2; i++) {
                progs[i] = Class.forName(pkg + ".Prog", true, new GenLoader(classes));
                SuspendableCallable<Object> prog = (SuspendableCallable<Object>) progs[i].getConstructor().newInstance();
                int k = i;
                cs[i] = new Continuation(() -> {
                    values[k] = prog.call();
                });
            }
            int resumes = 0;
            while (outcomes[0] == null || outcomes[1] == null) {
                for (int i = 0; i < 2; i++) {
                    if (outcomes[i] != null) {
                        continue;
                    }
                    Continuation c = cs[i];
                    try {
                        if (resumes++ % every == every - 1) {
                            try {
                                OTHER.submit(c::resume).get();
                            } catch (ExecutionException e) {
                                throw e.getCause();
                            }
                        } else {
                            c.resume();
                        }
                        if (c.isDone()) {
                            outcomes[i] = "returned " + values[i];
                        }
                    } catch (Throwable t) {
                        Throwable u = t instanceof ContinuationException ? t.getCause() : t;
                        outcomes[i] = "threw " + describe(u);
                        if (!u.getClass().getName().startsWith(pkg)) {
                            wheres[i] = stackTrace(u);
                        }
                    }
                    if (resumes > MAX_RESUMES) {
                        throw new IllegalStateException("more than " + MAX_RESUMES + " resumes");
                    }
                }
            }
            Run[] out = new Run[2];
            for (int i = 0; i < 2; i++) {
                out[i] = new Run(outcomes[i], String.valueOf(progs[i].getDeclaredField("T").get(null)),
                        progs[i].getDeclaredField("SUSP").getInt(null), wheres[i]);
            }
            return out;
        };
        Future<Run[]> f = driver.submit(task);
        try {
            return f.get(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            Run failed = new Run("harness failure " + e.getCause(), "", 0, stackTrace(e.getCause()));
            return new Run[] {failed, failed};
        }
    }

    private static Object inContinuation(SuspendableCallable<Object> prog, int every) throws Throwable {
        Object[] out = new Object[1];
        Continuation c = new Continuation(() -> {
            out[0] = prog.call();
        });
        int resumes = 0;
        try {
            while (!c.isDone()) {
                if (resumes % every == every - 1) {
                    try {
                        OTHER.submit(c::resume).get();
                    } catch (ExecutionException e) {
                        throw e.getCause();
                    }
                } else {
                    c.resume();
                }
                if (++resumes > MAX_RESUMES) {
                    throw new IllegalStateException("more than " + MAX_RESUMES + " resumes");
                }
            }
        } catch (ContinuationException e) {
            throw e.getCause();
        }
        return out[0];
    }

    /**
     * The program in an inner continuation, driven from the body of an outer one that suspends after
     * each resume of the inner: the inner is resumed on whichever thread the outer runs on.
     */
    private static Object nested(SuspendableCallable<Object> prog, int every) throws Throwable {
        Object[] out = new Object[1];
        Continuation outer = new Continuation(() -> {
            Continuation inner = new Continuation(() -> {
                out[0] = prog.call();
            });
            while (!inner.isDone()) {
                inner.resume();
                Continuation.suspend();
            }
        });
        inContinuation(() -> {
            while (!outer.isDone()) {
                outer.resume();
                Continuation.suspend();
            }
            return null;
        }, every);
        return out[0];
    }

    /** The body of a continuation that is written and read back: it keeps the program's result. */
    static final class SerialBody implements SuspendableRunnable, Serializable {
        private static final long serialVersionUID = 1L;
        private final SuspendableCallable<Object> prog;
        Object result;

        SerialBody(SuspendableCallable<Object> prog) {
            this.prog = prog;
        }

        @Override
        public void run() throws Exception {
            result = prog.call();
        }
    }

    /**
     * The program in a continuation that, at every suspension, is written to bytes and read back (through
     * the program's loader), the copy going on in its place; every {@code every}th resume on another
     * thread. The program's one static object field, {@code INST} (the program itself, also held by its
     * frames), is written in the same stream and set to its copy, so that the copy's objects are the ones
     * the program sees (its other statics are numbers, the trace, and strings never compared by identity).
     */
    private static Object serialized(SuspendableCallable<Object> prog, Class<?> progClass, GenLoader loader, int every)
            throws Throwable {
        java.lang.reflect.Field inst = progClass.getDeclaredField("INST");
        inst.setAccessible(true);
        SerialBody body = new SerialBody(prog);
        Continuation c = new Continuation(body);
        int resumes = 0;
        try {
            while (true) {
                if (resumes % every == every - 1) {
                    Continuation k = c;
                    try {
                        OTHER.submit(k::resume).get();
                    } catch (ExecutionException e) {
                        throw e.getCause();
                    }
                } else {
                    c.resume();
                }
                if (c.isDone()) {
                    return body.result;
                }
                if (++resumes > MAX_RESUMES) {
                    throw new IllegalStateException("more than " + MAX_RESUMES + " resumes");
                }
                Object[] copy = (Object[]) throughBytes(new Object[] {c, body, inst.get(null)}, loader);
                ROUND_TRIPS.incrementAndGet();
                c = (Continuation) copy[0];
                body = (SerialBody) copy[1];
                inst.set(null, copy[2]);
            }
        } catch (ContinuationException e) {
            throw e.getCause();
        }
    }

    private static Object throughBytes(Object o, ClassLoader loader) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray())) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }
        }) {
            return in.readObject();
        }
    }

    /** An exception as the comparison sees it: its class and message, and its cause's. */
    private static String describe(Throwable t) {
        String s = t.getClass().getSimpleName() + ": " + t.getMessage();
        if (t.getCause() != null && t.getCause() != t) {
            s += " (cause " + describe(t.getCause()) + ")";
        }
        return s;
    }

    static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
    }

    // ---- compiling and loading ----------------------------------------------------------------

    static final class CompileError extends Exception {
        CompileError(String message) {
            super(message);
        }
    }

    static synchronized Map<String, byte[]> compile(Map<String, String> units, boolean debug) throws CompileError {
        Map<String, ByteArrayOutputStream> out = new LinkedHashMap<>();
        JavaFileManager fm = new ForwardingJavaFileManager<>(FILES) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                       FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        out.put(className, b);
                        return b;
                    }
                };
            }
        };
        List<JavaFileObject> files = new ArrayList<>();
        units.forEach((name, source) -> files.add(new SimpleJavaFileObject(
                URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        }));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("--release", "17", debug ? "-g" : "-g:none", "-proc:none", "-nowarn",
                "-Xlint:none", "-classpath", CLASSPATH);
        boolean ok = COMPILER.getTask(null, fm, diagnostics, options, null, files).call();
        if (!ok) {
            StringBuilder sb = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    sb.append("line ").append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
                }
            }
            if (sb.length() == 0) {
                throw new CompileError(null); // javac crashed (it said so on standard error)
            }
            throw new CompileError(sb.toString());
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        out.forEach((k, v) -> classes.put(k, v.toByteArray()));
        return classes;
    }

    /** Defines the generated classes, and serves their bytes as resources for the agent's hierarchy lookups. */
    static final class GenLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        GenLoader(Map<String, byte[]> classes) {
            super("fuzz", FuzzHarness.class.getClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            if (name.endsWith(".class")) {
                byte[] b = classes.get(name.substring(0, name.length() - 6).replace('/', '.'));
                if (b != null) {
                    return new ByteArrayInputStream(b);
                }
            }
            return super.getResourceAsStream(name);
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }

    // ---- shrinking -------------------------------------------------------------------------------

    /** A failure made as small as the time allows. */
    static final class Shrunk {
        final ProgramGenerator.Settings settings;
        final Set<Integer> skip;
        final Set<Integer> simplify;
        final Result result;

        Shrunk(ProgramGenerator.Settings settings, Set<Integer> skip, Set<Integer> simplify, Result result) {
            this.settings = settings;
            this.skip = skip;
            this.simplify = simplify;
            this.result = result;
        }
    }

    static Shrunk shrink(long seed, ProgramGenerator.Settings settings, Result failure, long deadlineNanos) {
        String signature = failure.signature();
        ProgramGenerator.Settings best = settings;
        Result bestResult = failure;
        Set<Integer> none = Set.of();
        boolean progress = true;
        while (progress && System.nanoTime() < deadlineNanos) {
            progress = false;
            for (ProgramGenerator.Settings c : simpler(best)) {
                if (System.nanoTime() > deadlineNanos) {
                    break;
                }
                Result r = runCase(seed, c, none, none);
                if (signature.equals(r.signature()) && r.source.length() <= bestResult.source.length() * 3 / 2) {
                    best = c;
                    bestResult = r;
                    progress = true;
                    break;
                }
            }
        }
        // leave out whole statements with what they contain, biggest first (whole method bodies, loops...)
        Set<Integer> skip = new TreeSet<>();
        Set<Integer> simplify = new TreeSet<>();
        for (int[] g : bestResult.groups) {
            if (System.nanoTime() > deadlineNanos) {
                break;
            }
            if (skip.contains(g[0])) {
                continue; // inside something already left out
            }
            Set<Integer> trial = new TreeSet<>(skip);
            for (int i = g[0]; i < g[1]; i++) {
                trial.add(i);
            }
            Result r = runCase(seed, best, trial, simplify);
            if (signature.equals(r.signature())) {
                skip = trial;
                bestResult = r;
            }
        }
        for (int[] g : bestResult.groups) {
            if (skip.contains(g[0])) {
                for (int i = g[2]; i < g[3]; i++) {
                    simplify.add(i); // the expressions of statements left out: nothing to try there
                }
            }
        }
        // then single statements, and expressions made plain values: big chunks first, then smaller ones
        for (int round = 0; round < 2; round++) {
            for (int which = 0; which < 2; which++) {
                boolean statements = which == 0;
                Set<Integer> target = statements ? skip : simplify;
                int n = statements ? bestResult.statements : bestResult.expressions;
                for (int chunk = Math.max(1, n / 2); chunk >= 1 && System.nanoTime() < deadlineNanos; chunk /= 2) {
                    for (int from = 0; from < n && System.nanoTime() < deadlineNanos; from += chunk) {
                        Set<Integer> trial = new TreeSet<>(target);
                        for (int i = from; i < Math.min(n, from + chunk); i++) {
                            trial.add(i);
                        }
                        if (trial.size() == target.size()) {
                            continue;
                        }
                        Result r = statements ? runCase(seed, best, trial, simplify) : runCase(seed, best, skip, trial);
                        if (signature.equals(r.signature())) {
                            target.clear();
                            target.addAll(trial);
                            bestResult = r;
                        }
                    }
                    if (chunk == 1) {
                        break;
                    }
                }
            }
        }
        return new Shrunk(best, skip, simplify, bestResult);
    }

    private static List<ProgramGenerator.Settings> simpler(ProgramGenerator.Settings s) {
        List<ProgramGenerator.Settings> out = new ArrayList<>();
        ProgramGenerator.Settings c;
        if (s.methods > 1) {
            c = s.copy();
            c.methods--;
            out.add(c);
        }
        if (s.stmts > 1) {
            c = s.copy();
            c.stmts--;
            out.add(c);
        }
        if (s.nesting > 0) {
            c = s.copy();
            c.nesting--;
            out.add(c);
        }
        if (s.exprDepth > 0) {
            c = s.copy();
            c.exprDepth--;
            out.add(c);
        }
        String[] flags = {}; // turning features off makes another program, which seldom fails the same way
        for (String f : flags) {
            try {
                java.lang.reflect.Field field = ProgramGenerator.Settings.class.getDeclaredField(f);
                if (field.getBoolean(s)) {
                    c = s.copy();
                    field.setBoolean(c, false);
                    out.add(c);
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    // ---- many cases ----------------------------------------------------------------------------

    /** Totals of a fuzzing session. */
    static final class Report {
        int cases;
        int passed;
        long suspensions;
        int generatorErrors;
        int tooLarge;
        int javacBugs;
        /** Cases generated serializable, and how often their continuations were written and read back. */
        int serialCases;
        long roundTrips;
        final List<String> failures = new ArrayList<>();
        final Map<Kind, Integer> byKind = new LinkedHashMap<>();

        @Override
        public String toString() {
            return cases + " cases, " + passed + " passed, " + suspensions + " suspensions, " + failures.size()
                    + " failures " + byKind + ", " + generatorErrors + " generator errors, " + tooLarge
                    + " left alone as too large, " + javacBugs + " skipped for javac's bugs; " + serialCases
                    + " cases serializable, their continuations written and read back " + roundTrips + " times";
        }
    }

    /**
     * Runs seeds {@code first, first+1, ...}: at most {@code count} of them and for at most
     * {@code seconds}; shrinks and prints each failure (at most {@code shrinks} of them).
     */
    static Report fuzz(long first, long count, long seconds, int shrinks, PrintStream log) {
        Report report = new Report();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Set<String> seen = new HashSet<>();
        for (long seed = first; seed < first + count && System.nanoTime() < deadline; seed++) {
            ProgramGenerator.Settings settings = ProgramGenerator.Settings.random(seed);
            long t0 = System.nanoTime();
            long trips = ROUND_TRIPS.get();
            Result r = runCase(seed, settings, Set.of(), Set.of());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (settings.serializable) {
                report.serialCases++;
                report.roundTrips += ROUND_TRIPS.get() - trips;
            }
            if (ms > 3000) {
                log.println("slow: seed " + seed + " took " + ms + " ms (" + r.source.length() + " chars, "
                        + r.suspensions + " suspensions)");
            }
            report.cases++;
            report.suspensions += r.suspensions;
            if (report.cases % 100 == 0) {
                log.println("progress: seed " + seed + ": " + report);
            }
            if (!r.failed()) {
                report.passed++;
                continue;
            }
            if (r.tooLarge()) {
                report.tooLarge++;
                continue;
            }
            if (r.kind == Kind.JAVAC) {
                report.javacBugs++;
                log.println("JAVAC BUG seed " + seed + " (" + settings + "): "
                        + (r.detail.length() > 400 ? r.detail.substring(0, 400) : r.detail));
                continue;
            }
            if (r.kind == Kind.COMPILE) {
                report.generatorErrors++;
                log.println("GENERATOR ERROR seed " + seed + " (" + settings + "):\n" + r.detail);
                continue;
            }
            report.byKind.merge(r.kind, 1, Integer::sum);
            String head = r.kind + " seed " + seed + " (" + settings + ")";
            report.failures.add(head);
            log.println("\n==== " + head + "\n" + r.detail);
            String key = r.signature();
            if (shrinks-- > 0 && seen.add(key)) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("bobbin.fuzz.shrinkSeconds", 90));
                Shrunk s = shrink(seed, settings, r, until);
                log.println("---- shrunk: seed " + seed + ", settings " + s.settings + ", " + s.skip.size()
                        + " statements left out, " + s.simplify.size() + " expressions made plain\n"
                        + s.result.detail + "\n---- source:\n" + s.result.source);
                save(seed, s);
            }
        }
        return report;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void save(long seed, Shrunk s) {
        try {
            Path dir = Paths.get("target", "fuzz-failures");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("seed-" + seed + ".txt"), "// seed " + seed + ", settings " + s.settings
                    + ", skip " + s.skip + ", simplify " + s.simplify + "\n/*\n" + s.result.kind + "\n" + s.result.detail + "\n*/\n" + s.result.source);
        } catch (IOException e) {
            // printing it was the main thing
        }
    }

    /** {@code FuzzHarness [first [count [seconds]]]}: a long run (needs the agent on the JVM). */
    public static void main(String[] args) {
        long first = args.length > 0 ? Long.parseLong(args[0]) : 1;
        long count = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE / 4;
        long seconds = args.length > 2 ? Long.parseLong(args[2]) : 3600;
        Report r = fuzz(first, count, seconds, 10, System.out);
        System.out.println(r);
        System.exit(r.failures.isEmpty() && r.generatorErrors == 0 ? 0 : 1);
    }
}
