package io.bobbin.suites;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import io.bobbin.SuspendableInvoker;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import junit.framework.Test;
import junit.framework.TestCase;
import junit.framework.TestSuite;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Ignore;
import org.junit.internal.AssumptionViolatedException;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

/**
 * Runs a library's own JUnit 3 and JUnit 4 tests, from its published tests jar, without JUnit's
 * runners: it builds the tests as JUnit would and calls every {@code setUp}, test method and
 * {@code tearDown} (and {@code @Before}, {@code @After}, {@code @BeforeClass}, {@code @AfterClass})
 * itself through {@link SuspendableInvoker}, so that, when the library and its tests are
 * instrumented, every frame from the continuation down to the test method is instrumented.
 *
 * <pre>
 * java [-javaagent:bobbin-agent.jar=all=PACKAGE,...] -cp ... io.bobbin.suites.SuiteRunner \
 *     --tests LIB-tests.jar --out results.tsv [--continuation] [--include REGEX] [--exclude REGEX]... [--only REGEX]...
 * </pre>
 *
 * <ul>
 *   <li>{@code --include}: the simple names of the test classes to run (default: JUnit's usual
 *       {@code Test*}, {@code *Test}, {@code *Tests}, {@code *TestCase}); classes with {@code $} in
 *       their name and abstract classes never run.</li>
 *   <li>{@code --exclude}: a regex on the fully qualified class name, or on {@code Class#method} for
 *       a single test; may be repeated.</li>
 *   <li>{@code --only}: when given (repeatable), only the classes whose name matches one of these run.</li>
 *   <li>{@code --preinit JAR}: initializes every class of the jar first, outside any continuation (repeatable).</li>
 *   <li>{@code --continuation}: every test (set-up, method, tear-down) runs inside a
 *       {@link Continuation}, resumed until it is done.</li>
 * </ul>
 *
 * <p>It writes one line a test, {@code id TAB result TAB millis TAB suspensions TAB detail}, where the result is {@code pass},
 * {@code skip} (a failed assumption or {@code @Ignore}) or {@code fail: <exception class>}, and
 * the rest (time taken, suspensions forced, a message: never compared) helps a human; then lines starting with {@code #} with the
 * agent's counts and the forced suspensions. Order: classes by name, JUnit 4 methods by name.
 * Not supported: {@code @Rule}/{@code @ClassRule} fields, {@code @Test(timeout)} (run without a
 * time limit), runners other than {@code Parameterized}; a class that needs one fails as a whole
 * with a result that says so, the same in every mode.
 */
public final class SuiteRunner {
    private final boolean inContinuation;
    private final List<Pattern> excludes = new ArrayList<>();
    private final Set<String> seenIds = new HashSet<>();
    private final PrintWriter out;

    private SuiteRunner(boolean inContinuation, PrintWriter out) {
        this.inContinuation = inContinuation;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path testsJar = null;
        Path out = null;
        boolean continuation = false;
        Pattern include = Pattern.compile("Test.*|.*Test|.*Tests|.*TestCase");
        List<Pattern> excludes = new ArrayList<>();
        List<Pattern> only = new ArrayList<>();
        List<Path> preinit = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tests": testsJar = Paths.get(args[++i]); break;
                case "--out": out = Paths.get(args[++i]); break;
                case "--continuation": continuation = true; break;
                case "--include": include = Pattern.compile(args[++i]); break;
                case "--exclude": excludes.add(Pattern.compile(args[++i])); break;
                case "--only": only.add(Pattern.compile(args[++i])); break;
                case "--preinit": preinit.add(Paths.get(args[++i])); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (testsJar == null || out == null) {
            throw new IllegalArgumentException("usage: SuiteRunner --tests JAR --out FILE [--continuation] [--include REGEX] [--exclude REGEX]... [--only REGEX]...");
        }
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            SuiteRunner runner = new SuiteRunner(continuation, w);
            runner.excludes.addAll(excludes);
            for (Path jar : preinit) {
                preinitialize(jar);
            }
            long start = System.nanoTime();
            for (String name : testClassNames(testsJar, include, excludes, only)) {
                runner.runClass(name);
            }
            runner.writeFacts((System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The test classes of a tests jar, sorted by name: concrete, public, not nested, name included and not excluded. */
    static List<String> testClassNames(Path jar, Pattern include, List<Pattern> excludes, List<Pattern> only) throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
                String entry = e.nextElement().getName();
                if (!entry.endsWith(".class") || entry.contains("$") || entry.endsWith("module-info.class")) {
                    continue;
                }
                String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
                String simple = name.substring(name.lastIndexOf('.') + 1);
                if (!include.matcher(simple).matches() || matchesAny(excludes, name)) {
                    continue;
                }
                if (!only.isEmpty() && !matchesAny(only, name)) {
                    continue;
                }
                names.add(name);
            }
        }
        Collections.sort(names);
        return names;
    }

    /**
     * Initializes every class of a jar, by name, before any test runs and outside any continuation.
     * It was the workaround (off by default since main's c863aad fixed it) for the agent bug "the caller's arm
     * leaks into a static initializer" (see
     * RegressionTest.staticInitializerTakesNoArmUnderTorture): a class first initialized by an armed call inside a
     * continuation has its static initializer's first instrumented call take the arm, so the torture
     * mode suspends through the initializer and leaves its static fields at their defaults.
     */
    private static void preinitialize(Path jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
                String entry = e.nextElement().getName();
                if (entry.endsWith(".class") && !entry.endsWith("module-info.class") && !entry.startsWith("META-INF/")) {
                    names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
        Collections.sort(names);
        for (String name : names) {
            try {
                Class.forName(name, true, SuiteRunner.class.getClassLoader());
            } catch (Throwable t) {
                System.err.println("preinit: " + name + ": " + t);
            }
        }
    }

    private static boolean matchesAny(List<Pattern> patterns, String s) {
        for (Pattern p : patterns) {
            if (p.matcher(s).matches()) {
                return true;
            }
        }
        return false;
    }

    // ---- classes ------------------------------------------------------------------------------

    private void runClass(String name) {
        Class<?> cls;
        try {
            cls = Class.forName(name, false, SuiteRunner.class.getClassLoader());
        } catch (Throwable t) {
            record(name + "#<load>", t);
            return;
        }
        if (cls.isInterface() || Modifier.isAbstract(cls.getModifiers()) || !Modifier.isPublic(cls.getModifiers())) {
            return;
        }
        Method suite = suiteMethod(cls);
        if (suite != null || TestCase.class.isAssignableFrom(cls)) {
            runJUnit3Class(cls, suite);
        } else if (hasJUnit4Tests(cls)) {
            runJUnit4Class(cls);
        }
    }

    private static Method suiteMethod(Class<?> cls) {
        try {
            Method m = cls.getMethod("suite");
            return Modifier.isStatic(m.getModifiers()) && Test.class.isAssignableFrom(m.getReturnType()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    // ---- JUnit 3 ------------------------------------------------------------------------------

    private void runJUnit3Class(Class<?> cls, Method suiteMethod) {
        Test root;
        try {
            root = suiteMethod != null ? (Test) suiteMethod.invoke(null) : new TestSuite(cls);
        } catch (Throwable t) {
            record(cls.getName() + "#<suite>", unwrap(t));
            return;
        }
        walk(cls.getName(), root);
    }

    private void walk(String className, Test test) {
        if (test instanceof TestSuite) {
            TestSuite suite = (TestSuite) test;
            for (Enumeration<Test> e = suite.tests(); e.hasMoreElements(); ) {
                walk(className, e.nextElement());
            }
        } else if (test instanceof TestCase) {
            TestCase tc = (TestCase) test;
            String id = uniqueId(className + " " + tc.getClass().getName() + " " + tc);
            if (matchesAny(excludes, tc.getClass().getName() + "#" + tc.getName())) {
                return;
            }
            runTest(id, () -> runBare(tc));
        } else {
            // Neither a suite nor a TestCase: JUnit's own kinds of tests (adapters, decorators) are not handled.
            record(uniqueId(className + " " + test), new UnsupportedOperationException("test of class " + test.getClass().getName()));
        }
    }

    /** What {@code TestCase.runBare} does, every call through {@link SuspendableInvoker}. */
    @Suspendable
    private static void runBare(TestCase tc) throws Throwable {
        Method setUp = findMethod(tc.getClass(), "setUp");
        Method tearDown = findMethod(tc.getClass(), "tearDown");
        invoke(setUp, tc);
        Throwable failure = null;
        try {
            Method runTest = findMethod(tc.getClass(), "runTest");
            if (runTest.getDeclaringClass() != TestCase.class) {
                invoke(runTest, tc); // the test case runs its test itself
            } else {
                invoke(junit3TestMethod(tc), tc);
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            try {
                invoke(tearDown, tc);
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The method {@code TestCase.runTest} would call, with the same failures when there is none. */
    private static Method junit3TestMethod(TestCase tc) {
        String name = tc.getName();
        TestCase.assertNotNull("TestCase.fName cannot be null", name);
        Method m;
        try {
            m = tc.getClass().getMethod(name);
        } catch (NoSuchMethodException e) {
            TestCase.fail("Method \"" + name + "\" not found");
            return null;
        }
        if (!Modifier.isPublic(m.getModifiers())) {
            TestCase.fail("Method \"" + name + "\" should be public");
        }
        return m;
    }

    // ---- JUnit 4 ------------------------------------------------------------------------------

    private static boolean hasJUnit4Tests(Class<?> cls) {
        return !annotated(cls, org.junit.Test.class).isEmpty();
    }

    /**
     * The public methods carrying {@code annotation} in the class and its superclasses, as JUnit 4
     * finds them: a method shadowed by a subclass's annotated method of the same signature counts
     * once. Superclasses' first; each class's own by name.
     */
    static List<Method> annotated(Class<?> cls, Class<? extends Annotation> annotation) {
        List<List<Method>> perClass = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) {
            List<Method> own = new ArrayList<>();
            Method[] declared = c.getDeclaredMethods();
            Arrays.sort(declared, (a, b) -> a.getName().equals(b.getName()) ? a.toString().compareTo(b.toString()) : a.getName().compareTo(b.getName()));
            for (Method m : declared) {
                if (m.isAnnotationPresent(annotation) && !m.isBridge() && !m.isSynthetic()
                        && seen.add(m.getName() + Arrays.toString(m.getParameterTypes()))) {
                    own.add(m);
                }
            }
            perClass.add(0, own);
        }
        List<Method> all = new ArrayList<>();
        perClass.forEach(all::addAll);
        return all;
    }

    private void runJUnit4Class(Class<?> cls) {
        String name = cls.getName();
        List<Method> tests = annotated(cls, org.junit.Test.class);
        for (Field f : fields(cls)) {
            if (f.isAnnotationPresent(org.junit.Rule.class) || f.isAnnotationPresent(org.junit.ClassRule.class)) {
                record(name + "#<rules>", new UnsupportedOperationException("@Rule and @ClassRule are not supported: " + f));
                return;
            }
        }
        RunWith runWith = cls.getAnnotation(RunWith.class);
        List<Object[]> parameterSets = null;
        if (runWith != null) {
            if (runWith.value() != Parameterized.class) {
                record(name + "#<runner>", new UnsupportedOperationException("runner " + runWith.value().getName()));
                return;
            }
            try {
                parameterSets = parameters(cls);
            } catch (Throwable t) {
                record(name + "#<parameters>", unwrap(t));
                return;
            }
        }
        if (cls.isAnnotationPresent(Ignore.class)) {
            for (Method m : tests) {
                recordSkip(uniqueId(name + "#" + m.getName()), "@Ignore on the class");
            }
            return;
        }
        List<Method> beforeClass = annotated(cls, BeforeClass.class);
        List<Method> afterClass = annotated(cls, AfterClass.class);
        Collections.reverse(afterClass);
        Throwable classFailure = runMethods(beforeClass, null, true);
        List<Object[]> sets = parameterSets == null ? Collections.singletonList(null) : parameterSets;
        for (int i = 0; i < sets.size(); i++) {
            Object[] params = sets.get(i);
            String suffix = params == null ? "" : "[" + i + "]";
            for (Method m : tests) {
                String id = uniqueId(name + "#" + m.getName() + suffix);
                if (matchesAny(excludes, name + "#" + m.getName())) {
                    continue;
                }
                if (m.isAnnotationPresent(Ignore.class)) {
                    recordSkip(id, "@Ignore");
                } else if (classFailure != null) {
                    record(id, classFailure);
                } else {
                    runTest(id, () -> runJUnit4Test(cls, m, params));
                }
            }
        }
        if (classFailure == null) {
            Throwable after = runMethods(afterClass, null, false);
            if (after != null) {
                record(uniqueId(name + "#<AfterClass>"), after);
            }
        }
    }

    private static List<Field> fields(Class<?> cls) {
        List<Field> all = new ArrayList<>();
        for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) {
            all.addAll(Arrays.asList(c.getDeclaredFields()));
        }
        return all;
    }

    /** Runs static or instance methods in order: stops at the first failure, or runs them all and keeps the first. */
    private Throwable runMethods(List<Method> methods, Object target, boolean stopAtFirst) {
        if (methods.isEmpty()) {
            return null;
        }
        Throwable[] failure = new Throwable[1];
        Throwable outer = inContext(() -> failure[0] = invokeAll(methods, target, stopAtFirst));
        return outer != null ? outer : failure[0];
    }

    @Suspendable
    private static Throwable invokeAll(List<Method> methods, Object target, boolean stopAtFirst) {
        Throwable first = null;
        for (Method m : methods) {
            try {
                invoke(m, target);
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                }
                if (stopAtFirst) {
                    break;
                }
            }
        }
        return first;
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> parameters(Class<?> cls) throws Exception {
        for (Method m : cls.getMethods()) {
            if (m.isAnnotationPresent(Parameterized.Parameters.class) && Modifier.isStatic(m.getModifiers())) {
                m.setAccessible(true);
                Object value = m.invoke(null);
                Iterable<?> items = value instanceof Object[] ? Arrays.asList((Object[]) value) : (Iterable<Object>) value;
                List<Object[]> sets = new ArrayList<>();
                for (Object item : items) {
                    sets.add(item instanceof Object[] ? (Object[]) item : new Object[] {item});
                }
                return sets;
            }
        }
        throw new IllegalArgumentException("no public static @Parameters method in " + cls.getName());
    }

    /** A JUnit 4 test: a fresh instance, the {@code @Before}s, the method, the {@code @After}s. */
    @Suspendable
    private static void runJUnit4Test(Class<?> cls, Method test, Object[] params) throws Throwable {
        Object instance = newInstance(cls, params);
        List<Method> befores = annotated(cls, Before.class);
        List<Method> afters = annotated(cls, After.class);
        Collections.reverse(afters);
        Throwable failure = null;
        try {
            for (Method m : befores) {
                invoke(m, instance);
            }
            runExpecting(test, instance);
        } catch (Throwable t) {
            failure = t;
        } finally {
            for (Method m : afters) {
                try {
                    invoke(m, instance);
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The test method, with {@code @Test(expected = ...)} as JUnit 4 checks it. */
    @Suspendable
    private static void runExpecting(Method test, Object instance) throws Throwable {
        Class<? extends Throwable> expected = test.getAnnotation(org.junit.Test.class).expected();
        if (expected == org.junit.Test.None.class) {
            invoke(test, instance);
            return;
        }
        boolean threw = false;
        try {
            invoke(test, instance);
        } catch (AssumptionViolatedException e) {
            throw e;
        } catch (Throwable t) {
            threw = true;
            if (!expected.isInstance(t)) {
                throw new Exception("Unexpected exception, expected<" + expected.getName() + "> but was<" + t.getClass().getName() + ">", t);
            }
        }
        if (!threw) {
            throw new AssertionError("Expected exception: " + expected.getName());
        }
    }

    private static Object newInstance(Class<?> cls, Object[] params) throws Throwable {
        try {
            if (params == null) {
                return cls.getConstructor().newInstance();
            }
            List<Field> injected = new ArrayList<>();
            for (Field f : cls.getFields()) {
                if (f.isAnnotationPresent(Parameterized.Parameter.class)) {
                    injected.add(f);
                }
            }
            if (injected.isEmpty()) {
                Constructor<?> c = cls.getConstructors()[0];
                return c.newInstance(params);
            }
            Object o = cls.getConstructor().newInstance();
            for (Field f : injected) {
                f.set(o, params[f.getAnnotation(Parameterized.Parameter.class).value()]);
            }
            return o;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    // ---- running one test -----------------------------------------------------------------------

    /** A test body: calls test code through instrumented frames only. */
    @FunctionalInterface
    interface Body {
        @Suspendable
        void run() throws Throwable;
    }

    private void runTest(String id, Body body) {
        long t0 = System.nanoTime();
        long s0 = io.bobbin.internal.cont.Torture.suspensions();
        Throwable failure = inContext(body);
        emit(id, outcome(failure), (System.nanoTime() - t0) / 1_000_000 + "\t" + (io.bobbin.internal.cont.Torture.suspensions() - s0));
    }

    /** Runs {@code body} plainly or inside a continuation resumed until done; what it threw, or {@code null}. */
    private Throwable inContext(Body body) {
        Throwable[] failure = new Throwable[1];
        if (!inContinuation) {
            failure[0] = guarded(body);
            return failure[0];
        }
        try {
            Continuation c = new Continuation(() -> failure[0] = guarded(body));
            while (!c.isDone()) {
                c.resume();
            }
        } catch (Throwable t) {
            System.err.println("the continuation failed:");
            t.printStackTrace();
            return new IllegalStateException("the continuation failed: " + t, t);
        }
        return failure[0];
    }

    @Suspendable
    private static Throwable guarded(Body body) {
        try {
            body.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Suspendable
    private static Object invoke(Method m, Object target) throws Exception {
        return SuspendableInvoker.invoke(m, target);
    }

    /** A no-argument method of the class or a superclass, whatever its access. */
    static Method findMethod(Class<?> cls, String name) {
        for (Class<?> c = cls; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod(name);
            } catch (NoSuchMethodException e) {
                // look further up
            }
        }
        throw new IllegalArgumentException("no method " + name + "() in " + cls.getName());
    }

    // ---- results --------------------------------------------------------------------------------

    private String uniqueId(String base) {
        String id = base.replace('\t', ' ').replace('\n', ' ');
        for (int n = 2; !seenIds.add(id); n++) {
            id = base + " #" + n;
        }
        return id;
    }

    private void record(String id, Throwable t) {
        emit(id, outcome(t), "0\t0");
    }

    private void recordSkip(String id, String why) {
        emit(id, new String[] {"skip", why}, "0\t0");
    }

    /** {result, detail} for what a test threw ({@code null}: it passed). */
    private static String[] outcome(Throwable t) {
        if (t == null) {
            return new String[] {"pass", ""};
        }
        if (t instanceof AssumptionViolatedException) {
            return new String[] {"skip", detail(t)};
        }
        return new String[] {"fail: " + t.getClass().getName(), detail(t)};
    }

    /** One line a test, written at once: {@code id TAB result TAB millis TAB suspensions TAB detail}. */
    private void emit(String id, String[] outcome, String cost) {
        seenIds.add(id);
        out.println(id + "\t" + outcome[0] + "\t" + cost + "\t" + outcome[1]);
        out.flush();
    }

    private static String detail(Throwable t) {
        String msg = String.valueOf(t.getMessage());
        if (msg.length() > 200) {
            msg = msg.substring(0, 200) + "...";
        }
        StackTraceElement[] st = t.getStackTrace();
        return (msg + (st.length > 0 ? " at " + st[0] : "")).replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof InvocationTargetException && t.getCause() != null ? t.getCause() : t;
    }

    private void writeFacts(long millis) {
        int[] counts = agentCounts();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("classes", counts[0]);
        facts.put("methods", counts[1]);
        facts.put("points", counts[2]);
        facts.put("suspensions", io.bobbin.internal.cont.Torture.suspensions());
        facts.put("millis", millis);
        facts.put("continuation", inContinuation);
        for (Map.Entry<String, Object> e : facts.entrySet()) {
            out.println("# " + e.getKey() + "=" + e.getValue());
        }
    }

    /** The agent's counts when it runs in this JVM ({classes, methods, points}), else zeros. */
    private static int[] agentCounts() {
        try {
            Class<?> agent = Class.forName("io.bobbin.agent.BobbinAgent", true, ClassLoader.getSystemClassLoader());
            return (int[]) agent.getMethod("counts").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return new int[3];
        }
    }
}
