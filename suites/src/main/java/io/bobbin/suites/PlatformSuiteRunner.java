package io.bobbin.suites;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a library's own JUnit 5 tests, from its published tests jar, through the JUnit Platform
 * itself (unlike {@link SuiteRunner}, which drives JUnit 3 and 4 tests by hand): the tests run exactly
 * as the library's build runs them. Whether they run inside continuations is decided by JUnit's
 * extension auto-detection and Bobbin's extension ({@code bobbin-junit} on the class path), through
 * system properties of the JVM:
 *
 * <pre>
 * java [-javaagent:bobbin-agent.jar=all=PACKAGE,torture,verify] \
 *      -Djunit.jupiter.extensions.autodetection.enabled=true [-Dbobbin.junit.continuations=true] \
 *      -cp ... io.bobbin.suites.PlatformSuiteRunner --tests LIB-tests.jar --out results.tsv \
 *      [--include REGEX] [--exclude REGEX]... [--only REGEX]...
 * </pre>
 *
 * <ul>
 *   <li>{@code --include}: the simple names of the test classes to select (default: Surefire's
 *       {@code Test*}, {@code *Test}, {@code *Tests}, {@code *TestCase}); classes with {@code $} in
 *       their name are reached through their outer class ({@code @Nested}).</li>
 *   <li>{@code --exclude}: a regex on the fully qualified class name, or on {@code Class#method} for
 *       the tests of one method; may be repeated.</li>
 *   <li>{@code --only}: when given (repeatable), only the classes whose name matches one of these run.</li>
 * </ul>
 *
 * <p>It writes the same file as {@link SuiteRunner}: one line a test,
 * {@code id TAB result TAB millis TAB suspensions TAB detail}, where the id is JUnit's unique id
 * without the engine (class, method, invocation or dynamic test), and the result {@code pass},
 * {@code skip} (disabled, or aborted by an assumption) or {@code fail: <exception class>}; a container
 * that fails or is skipped as a whole (a failing {@code @BeforeAll}, a disabled class) has a line of
 * its own; then lines starting with {@code #}: the agent's counts, the forced suspensions, whether
 * the continuation mode was on.
 */
public final class PlatformSuiteRunner {
    private PlatformSuiteRunner() {}

    public static void main(String[] args) throws Exception {
        Path testsJar = null;
        Path out = null;
        Pattern include = Pattern.compile("Test.*|.*Test|.*Tests|.*TestCase");
        List<Pattern> excludes = new ArrayList<>();
        List<Pattern> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tests": testsJar = Paths.get(args[++i]); break;
                case "--out": out = Paths.get(args[++i]); break;
                case "--include": include = Pattern.compile(args[++i]); break;
                case "--exclude": excludes.add(Pattern.compile(args[++i])); break;
                case "--only": only.add(Pattern.compile(args[++i])); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (testsJar == null || out == null) {
            throw new IllegalArgumentException("usage: PlatformSuiteRunner --tests JAR --out FILE [--include REGEX] [--exclude REGEX]... [--only REGEX]...");
        }
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        List<DiscoverySelector> selectors = testClassNames(testsJar, include, excludes, only).stream()
                .map(DiscoverySelectors::selectClass).collect(Collectors.toList());
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .filters((PostDiscoveryFilter) d -> FilterResult.includedIf(!excludedMethod(d.getSource().orElse(null), excludes)))
                .build();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            Recorder recorder = new Recorder(w);
            long start = System.nanoTime();
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request, recorder);
            writeFacts(w, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The test classes of a tests jar, sorted by name: top-level, name included and not excluded. */
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
                if (include.matcher(simple).matches() && !matchesAny(excludes, name) && (only.isEmpty() || matchesAny(only, name))) {
                    names.add(name);
                }
            }
        }
        Collections.sort(names);
        return names;
    }

    private static boolean excludedMethod(Object source, List<Pattern> excludes) {
        if (!(source instanceof MethodSource)) {
            return false;
        }
        MethodSource m = (MethodSource) source;
        return matchesAny(excludes, m.getClassName() + "#" + m.getMethodName());
    }

    private static boolean matchesAny(List<Pattern> patterns, String s) {
        for (Pattern p : patterns) {
            if (p.matcher(s).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Writes a line per finished test (and per failed or skipped container), with its time and forced suspensions. */
    private static final class Recorder implements TestExecutionListener {
        private final PrintWriter out;
        private final Map<String, long[]> started = new HashMap<>();

        Recorder(PrintWriter out) {
            this.out = out;
        }

        @Override
        public synchronized void executionStarted(TestIdentifier test) {
            started.put(test.getUniqueId(), new long[] {System.nanoTime(), suspensions()});
        }

        @Override
        public synchronized void executionSkipped(TestIdentifier test, String reason) {
            emit(id(test) + (test.isTest() ? "" : " <container>"), "skip", "0\t0", String.valueOf(reason));
        }

        @Override
        public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
            long[] s = started.remove(test.getUniqueId());
            String cost = s == null ? "0\t0" : (System.nanoTime() - s[0]) / 1_000_000 + "\t" + (suspensions() - s[1]);
            if (test.isTest()) {
                emit(id(test), outcome(result), cost, detail(result.getThrowable()));
            } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                emit(id(test) + " <container>", outcome(result), cost, detail(result.getThrowable()));
            }
        }

        private void emit(String id, String result, String cost, String detail) {
            out.println(id.replace('\t', ' ') + "\t" + result + "\t" + cost + "\t" + detail);
            out.flush();
        }
    }

    /** JUnit's unique id without the engine: {@code Class#method(params)[invocation]...}, the same in every run. */
    static String id(TestIdentifier test) {
        StringBuilder sb = new StringBuilder();
        for (UniqueId.Segment s : test.getUniqueIdObject().getSegments()) {
            switch (s.getType()) {
                case "engine": break;
                case "class": sb.append(s.getValue()); break;
                case "nested-class": sb.append('$').append(s.getValue()); break;
                case "method": case "test-template": case "test-factory": sb.append('#').append(s.getValue()); break;
                default: sb.append('[').append(s.getValue()).append(']'); break; // invocations, dynamic tests and containers
            }
        }
        return sb.toString();
    }

    private static String outcome(TestExecutionResult r) {
        switch (r.getStatus()) {
            case SUCCESSFUL: return "pass";
            case ABORTED: return "skip";
            default: return "fail: " + r.getThrowable().map(t -> t.getClass().getName()).orElse("?");
        }
    }

    private static String detail(Optional<Throwable> t) {
        if (t.isEmpty()) {
            return "";
        }
        String msg = String.valueOf(t.get().getMessage());
        if (msg.length() > 200) {
            msg = msg.substring(0, 200) + "...";
        }
        StackTraceElement[] st = t.get().getStackTrace();
        return (t.get().getClass().getSimpleName() + ": " + msg + (st.length > 0 ? " at " + st[0] : ""))
                .replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static long suspensions() {
        return io.bobbin.internal.cont.Torture.suspensions();
    }

    private static void writeFacts(PrintWriter out, long millis) {
        int[] counts = agentCounts();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("classes", counts[0]);
        facts.put("methods", counts[1]);
        facts.put("points", counts[2]);
        facts.put("suspensions", suspensions());
        facts.put("millis", millis);
        facts.put("continuation", Boolean.getBoolean("bobbin.junit.continuations"));
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
