package io.bobbin.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Real libraries' own test suites, from their published tests jars, run in three JVMs of their own:
 * (0) without the agent; (1) under the agent with the library and its tests wholly suspendable
 * ({@code all=PACKAGE,verify}), outside any continuation; (2) the same under the torture mode
 * ({@code torture}), each test inside a {@code Continuation}. Every test must have the same result in
 * the three, the torture mode must have forced many suspensions, and no class may fail verification.
 *
 * <p>JUnit 3 and 4 suites (collections4, codec) are driven by {@link SuiteRunner}, which calls each
 * test itself, inside a continuation in mode 2. A JUnit 5 suite (commons-text) runs through the JUnit
 * Platform itself ({@link PlatformSuiteRunner}), unchanged: JUnit auto-detects Bobbin's extension
 * ({@code bobbin-junit}) in every mode, and in mode 2 {@code -Dbobbin.junit.continuations=true} has it
 * run every test and lifecycle method inside a continuation.
 *
 * <p>System properties (see the module's pom): {@code bobbin.suites.libraries} (which libraries),
 * {@code bobbin.suites.full} ({@code true}: every test of the suites; otherwise the fixed subset
 * below, which CI runs).
 */
class LibrarySuitesTest {
    /** A library: its folder under target/libs (jar, tests jar, test dependencies), its package, what never runs, CI's subset. */
    static final class Library {
        final String name;
        final String artifact;
        final String pkg;
        final List<String> excludes;
        final List<String> ciOnly;
        final List<String> ciExcludes;
        /** A JUnit 5 suite, run by {@link PlatformSuiteRunner} with Bobbin's extension auto-detected. */
        final boolean platform;
        /** More options for the library's three JVMs. */
        final List<String> jvmOptions;

        Library(String name, String artifact, String pkg, List<String> excludes, List<String> ciOnly, List<String> ciExcludes) {
            this(name, artifact, pkg, excludes, ciOnly, ciExcludes, false, List.of());
        }

        Library(String name, String artifact, String pkg, List<String> excludes, List<String> ciOnly, List<String> ciExcludes,
                boolean platform, List<String> jvmOptions) {
            this.name = name;
            this.artifact = artifact;
            this.pkg = pkg;
            this.excludes = excludes;
            this.ciOnly = ciOnly;
            this.ciExcludes = ciExcludes;
            this.platform = platform;
            this.jvmOptions = jvmOptions;
        }

        String runner() {
            return platform ? PlatformSuiteRunner.class.getName() : SuiteRunner.class.getName();
        }
    }

    /*
     * CI's subset leaves out the tests that take longest (measured under the torture mode, which costs a
     * whole suspension and resumption on every call of an instrumented method): huge arrays, long loops
     * over tiny instrumented methods, sleeps. -Dbobbin.suites.full=true runs them too.
     */
    static final List<Library> LIBRARIES = List.of(
            new Library("collections4", "commons-collections4", "org.apache.commons.collections4",
                    // as the library's own pom: **/*Test.java but not TestUtils, Abstract*, BulkTest
                    List.of("--include", ".*Test", "--exclude", ".*\\.TestUtils", "--exclude", ".*\\.Abstract.*", "--exclude", ".*\\.BulkTest",
                            // Not a Bobbin bug: tests with EasyMock mocks, which keep the call being recorded in a
                            // ThreadLocal; when the torture mode resumes the test on another thread between
                            // mock.foo() and expect(...), EasyMock says "no last call on a mock available".
                            "--exclude", ".*\\.NodeListIteratorTest", "--exclude", ".*\\.AllPredicateTest",
                            "--exclude", ".*\\.IteratorUtilsTest#testNodeIterator",
                            "--exclude", ".*\\.CollectionUtilsTest#(addAllForIterable|getFromList)"),
                    List.of(),
                    List.of(".*\\.SequencesComparatorTest", // 10 million suspensions
                            ".*\\.TreeListTest", ".*\\.ArrayStackTest", ".*\\.LRUMapTest",
                            ".*\\.PassiveExpiringMapTest")), // sleeps
            new Library("codec", "commons-codec", "org.apache.commons.codec",
                    // as the library's own pom: JUnit's usual names but not *AbstractTest, *PerformanceTest
                    List.of("--exclude", ".*AbstractTest", "--exclude", ".*PerformanceTest"),
                    List.of(),
                    List.of(".*\\.Base64Test#testCodec265", ".*#.*HugeLengthArray", ".*\\.XXHash32OverflowTest", // arrays of 1 GB and more
                            ".*\\.BaseNCodecTest#testEnsureBufferSize.*",
                            ".*\\.PureJavaCrc32Test", // 31 million suspensions
                            ".*\\.MessageDigestAlgorithmsTest", ".*\\.Sha256CryptTest", ".*\\.Sha512CryptTest",
                            ".*\\.BeiderMorseEncoderTest#testAllChars", ".*\\.BeiderMorseEncoderTest#testSpeedCheck.*")),
            new Library("text", "commons-text", "org.apache.commons.text",
                    List.of("--exclude", ".*\\.jmh\\..*", // JMH benchmarks (and their generated *_jmhTest classes), not tests
                            // Need GraalVM's JavaScript engine (org.graalvm.js, tens of MB of test dependencies), left out of
                            // target/libs/text: they fail the same way in every mode without it.
                            "--exclude", ".*\\.ScriptStringLookupTest",
                            "--exclude", ".*\\.StringSubstitutorWithInterpolatorStringLookupTest#testJavaScript",
                            // Need the network (a DNS lookup of apache.org, https://www.apache.org).
                            "--exclude", ".*\\.StringSubstitutorWithInterpolatorStringLookupTest#testDnsLookupAddress",
                            "--exclude", ".*\\.UrlStringLookupTest#testHttpScheme",
                            // Reads the library's source tree (src/main/java/...), which the tests jar does not hold.
                            "--exclude", ".*\\.EntityArraysTest#testForDuplicatedDeclaredMapKeys",
                            // Allocate until the heap runs out (gigabytes), in each of three JVMs side by side.
                            "--exclude", ".*\\.TextStringBuilderTest#testOutOfMemoryError.*",
                            // Mockito's inline mock maker (a second agent) puts its own advice before Bobbin's code at the
                            // entry of a spied method, so every resumption of a suspended frame of that method, which
                            // re-enters it, is counted as another call: verify(times(1)) sees 2 to 6 calls under
                            // torture (see docs/library-suites.md). A limit of restoring by re-entry, not of these tests.
                            "--exclude", ".*\\.TextStringBuilderAppendInsertTest#testAppendln_.*",
                            "--exclude", ".*\\.(ResourceBundle|UrlDecoder|UrlEncoder)StringLookupTest#testExceptionGettingString"),
                    // CI: the package org.apache.commons.text itself (builders, substitutors, tokenizers, escaping, word
                    // utilities: three quarters of the tests) and similarity, translate, matcher, diff; not lookup, io and
                    // numbers, whose many classes cost more to load and instrument than their tests take to run
                    List.of("org\\.apache\\.commons\\.text\\.[A-Za-z0-9]+", "org\\.apache\\.commons\\.text\\.(similarity|translate|matcher|diff)\\..*"),
                    // every available locale: loading the JDK's locale data alone takes 30 to 100 s on a busy machine
                    List.of(".*\\.ExtendedMessageFormatTest#(testBuiltIn.*|testOverriddenBuiltinFormat|testExtendedAndBuiltInFormats)",
                            ".*\\.StringSubstitutorFilterReaderTest#testReplace(WeirdPattens|_JiraText178_WeirdPatterns1|EmptyString|EmptyKeyShortest|NoVariables|Null)",
                            ".*\\.DoubleFormatTest#.*_localeFormatComparison", // every locale, 4 to 8 million suspensions each
                            ".*\\.ParsedDecimalTest#(testStringMethodAccuracy_.*|testMaxPrecision_random)",
                            ".*\\.StringEscapeUtilsTest#testUnescapeHexCharsHtml"),
                    true,
                    // Mockito 4.11's Byte Buddy 1.14 reads JDK 25's class files only when told to (as the library's build would on 25)
                    List.of("-Dnet.bytebuddy.experimental=true")));

    static final boolean FULL = Boolean.getBoolean("bobbin.suites.full");

    @TestFactory
    Stream<DynamicTest> suites() {
        List<String> wanted = Arrays.asList(System.getProperty("bobbin.suites.libraries", "collections4,codec,text").split(","));
        return LIBRARIES.stream().filter(l -> wanted.contains(l.name))
                .map(l -> DynamicTest.dynamicTest(l.name, () -> runLibrary(l)));
    }

    private static Path work(Library lib) {
        return Paths.get(System.getProperty("bobbin.suites.work", "target/suites")).resolve(lib.name);
    }

    // ---- one library ------------------------------------------------------------------------------

    static final String[] MODES = {"plain", "instrumented", "torture"};

    private void runLibrary(Library lib) throws Exception {
        Path libs = Paths.get(System.getProperty("bobbin.suites.libs", "target/libs")).resolve(lib.name);
        Path work = work(lib);
        Files.createDirectories(work);
        List<Path> jars;
        try (Stream<Path> s = Files.list(libs)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
        Path testsJar = jars.stream().filter(p -> p.getFileName().toString().endsWith("-tests.jar")).findFirst()
                .orElseThrow(() -> new AssertionError("no tests jar in " + libs));
        List<String> runnerArgs = new ArrayList<>(List.of("--tests", testsJar.toString()));
        runnerArgs.addAll(lib.excludes);
        if (!FULL) {
            lib.ciOnly.forEach(o -> runnerArgs.addAll(List.of("--only", o)));
            lib.ciExcludes.forEach(o -> runnerArgs.addAll(List.of("--exclude", o)));
        }
        String agent = Jvm.agentJar();

        // -Dbobbin.suites.preinit=true: every class of the library and of its tests is initialized first, outside
        // any continuation, in every mode alike. It was the workaround for the bug of
        // RegressionTest.staticInitializerTakesNoArmUnderTorture (fixed on main by c863aad), which made 607
        // collections4 tests and 30 codec tests differ under torture; off, static initializers run inside the tests.
        if (Boolean.getBoolean("bobbin.suites.preinit")) {
            for (Path jar : jars) {
                String file = jar.getFileName().toString();
                if (file.startsWith(lib.artifact + "-")) {
                    runnerArgs.addAll(List.of("--preinit", jar.toString()));
                }
            }
        }
        long start = System.nanoTime();
        List<CompletableFuture<Run>> pending = new ArrayList<>();
        for (int mode = 0; mode < 3; mode++) {
            List<String> jvm = new ArrayList<>(lib.jvmOptions);
            if (mode > 0) {
                jvm.add("-javaagent:" + agent + "=all=" + lib.pkg + (mode == 2 ? ",torture" : "") + ",verify");
            }
            if (mode == 2) {
                // every 7th forced suspension resumes on another thread (the torture mode's default)
                jvm.add("-Dbobbin.torture.hop=" + System.getProperty("bobbin.suites.hop", "7"));
            }
            List<String> args = new ArrayList<>(runnerArgs);
            if (lib.platform) {
                // Bobbin's extension is auto-detected in every mode; only mode 2 turns it on, so modes 0 and 1
                // also show that auto-detection alone changes nothing.
                jvm.add("-Djunit.jupiter.extensions.autodetection.enabled=true");
                if (mode == 2) {
                    jvm.add("-Dbobbin.junit.continuations=true");
                }
            } else if (mode == 2) {
                args.add("--continuation");
            }
            Path dir = work.resolve(MODES[mode]);
            extractResources(testsJar, dir.resolve("src/test/resources"));
            // the three JVMs run side by side: the torture run takes longest, the two others fit beside it
            pending.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return launch(dir, jars, jvm, lib.runner(), args);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, r -> {
                Thread t = new Thread(r, "suite-" + lib.name + "-" + dir.getFileName());
                t.setDaemon(true);
                t.start();
            }));
        }
        List<Run> runs = new ArrayList<>();
        for (CompletableFuture<Run> f : pending) {
            try {
                runs.add(f.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
            }
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        report(lib, runs, seconds);
    }

    /**
     * The tests jar's data files, where the tests look for them: they open {@code src/test/resources/...}
     * relative to the working directory, as in the library's own source tree.
     */
    private static void extractResources(Path testsJar, Path into) throws IOException {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(testsJar.toFile())) {
            for (java.util.Enumeration<java.util.jar.JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                java.util.jar.JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || name.endsWith(".class") || name.startsWith("META-INF/")) {
                    continue;
                }
                Path target = into.resolve(name).normalize();
                if (!target.startsWith(into)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (java.io.InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** One JVM's run: its results by test, its facts, its console output. */
    static final class Run {
        final Map<String, String> results = new LinkedHashMap<>();
        final Map<String, String> details = new LinkedHashMap<>();
        final Map<String, String> facts = new LinkedHashMap<>();
        String console = "";
        Path dir;

        long fact(String key) {
            return Long.parseLong(facts.getOrDefault(key, "0"));
        }
    }

    private Run launch(Path dir, List<Path> jars, List<String> jvmOptions, String runner, List<String> runnerArgs) throws Exception {
        Path out = dir.resolve("results.tsv");
        Files.deleteIfExists(out);
        List<String> jvm = new ArrayList<>(List.of("-Xss4m"));
        jvm.addAll(jvmOptions);
        List<String> args = new ArrayList<>(runnerArgs);
        args.addAll(List.of("--out", out.toString()));
        long limitSeconds = FULL ? 3600 : 600;
        // the data files (as a folder, as Maven's test-classes: some tests make Files of their resources' URLs),
        // then the library's own JUnit and test dependencies come first on the class path
        List<Path> first = new ArrayList<>();
        first.add(dir.resolve("src/test/resources"));
        first.addAll(jars);
        Jvm.Result result = Jvm.run(dir, first, jvm, runner, args, limitSeconds);
        Run run = new Run();
        run.dir = dir;
        run.console = result.console;
        assertTrue(result.exit != -1, "the run in " + dir + " took more than " + limitSeconds + " s:\n" + tail(run.console));
        assertEquals(0, result.exit, "the run in " + dir + " failed:\n" + tail(run.console));
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (line.startsWith("# ")) {
                String[] kv = line.substring(2).split("=", 2);
                run.facts.put(kv[0], kv[1]);
            } else if (!line.isEmpty()) {
                String[] f = line.split("\t", -1);
                run.results.put(f[0], f[1]);
                run.details.put(f[0], f.length > 4 ? f[4] : "");
            }
        }
        return run;
    }

    private static String tail(String s) {
        return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }

    // ---- comparing and reporting ------------------------------------------------------------------

    private void report(Library lib, List<Run> runs, long seconds) throws IOException {
        Run plain = runs.get(0);
        Run instrumented = runs.get(1);
        Run torture = runs.get(2);
        List<String> problems = new ArrayList<>();
        for (int mode = 0; mode < runs.size(); mode++) {
            Run r = runs.get(mode);
            for (String line : r.console.split("\n")) {
                if (line.contains("does not verify") || line.contains("VerifyError")) {
                    problems.add(MODES[mode] + ": " + line);
                }
            }
            r.results.forEach((id, result) -> {
                if (result.contains("VerifyError")) {
                    problems.add(MODES[r == plain ? 0 : r == instrumented ? 1 : 2] + ": " + id + " " + result + " " + r.details.get(id));
                }
            });
        }
        List<String> differences = new ArrayList<>();
        for (int mode = 1; mode < runs.size(); mode++) {
            Run r = runs.get(mode);
            for (Map.Entry<String, String> e : plain.results.entrySet()) {
                String other = r.results.get(e.getKey());
                if (!e.getValue().equals(other)) {
                    differences.add(e.getKey() + ": " + MODES[0] + " " + e.getValue() + ", " + MODES[mode] + " " + other
                            + (other == null ? "" : " (" + r.details.get(e.getKey()) + ")"));
                }
            }
            for (String id : r.results.keySet()) {
                if (!plain.results.containsKey(id)) {
                    differences.add(id + ": only in " + MODES[mode] + ", " + r.results.get(id));
                }
            }
        }
        long passedEverywhere = plain.results.entrySet().stream().filter(e -> e.getValue().equals("pass")
                && "pass".equals(instrumented.results.get(e.getKey())) && "pass".equals(torture.results.get(e.getKey()))).count();
        long skipped = plain.results.values().stream().filter("skip"::equals).count();
        List<String> failures = plain.results.entrySet().stream().filter(e -> e.getValue().startsWith("fail"))
                .map(e -> e.getKey() + ": " + e.getValue() + " (" + plain.details.get(e.getKey()) + ")").collect(Collectors.toList());
        List<String> warnings = new ArrayList<>();
        for (int mode = 1; mode < runs.size(); mode++) {
            for (String line : runs.get(mode).console.split("\n")) {
                if (line.contains("Bobbin") && line.toLowerCase().contains("warn")) {
                    warnings.add(MODES[mode] + ": " + line);
                }
            }
        }

        StringBuilder sb = new StringBuilder();
        sb.append("=== ").append(lib.name).append(" (").append(lib.pkg).append(".**)").append(FULL ? ", full suite" : ", CI subset").append('\n');
        sb.append(String.format("instrumented (torture run): %d classes, %d methods, %d suspension points%n",
                torture.fact("classes"), torture.fact("methods"), torture.fact("points")));
        sb.append(String.format("instrumented (plain-calls run): %d classes, %d methods, %d suspension points%n",
                instrumented.fact("classes"), instrumented.fact("methods"), instrumented.fact("points")));
        sb.append(String.format("tests run: %d; passed in all three modes: %d; skipped: %d; failed (the same in every mode): %d%n",
                plain.results.size(), passedEverywhere, skipped, failures.size()));
        sb.append(String.format("suspensions forced under torture: %d%n", torture.fact("suspensions")));
        sb.append(String.format("time: %d s (plain %d s, instrumented %d s, torture %d s in the runners)%n", seconds,
                plain.fact("millis") / 1000, instrumented.fact("millis") / 1000, torture.fact("millis") / 1000));
        Map<String, Long> failureKinds = plain.results.values().stream().filter(r -> r.startsWith("fail"))
                .collect(Collectors.groupingBy(r -> r, java.util.TreeMap::new, Collectors.counting()));
        failureKinds.forEach((kind, n) -> sb.append(String.format("  %5d x %s%n", n, kind)));
        sb.append("  (each failing test: ").append(work(lib).resolve("report.txt")).append(")\n");
        warnings.forEach(w -> sb.append("  agent warning: ").append(w).append('\n'));
        differences.stream().limit(100).forEach(d -> sb.append("  DIFFERENT: ").append(d).append('\n'));
        problems.stream().limit(100).forEach(d -> sb.append("  VERIFY: ").append(d).append('\n'));
        String text = sb.toString();
        System.out.print(text);
        Files.writeString(work(lib).resolve("report.txt"), text
                + failures.stream().map(f -> "  failure: " + f + "\n").collect(Collectors.joining()), StandardCharsets.UTF_8);

        assertTrue(problems.isEmpty(), lib.name + ": classes that do not verify:\n" + String.join("\n", problems));
        assertTrue(differences.isEmpty(), lib.name + ": " + differences.size() + " tests differ between modes:\n"
                + differences.stream().limit(100).collect(Collectors.joining("\n")));
        assertTrue(plain.results.size() > 0, lib.name + ": no test ran");
        assertTrue(torture.fact("classes") > 0 && instrumented.fact("classes") > 0, lib.name + ": the agent instrumented nothing");
        assertEquals("true", torture.facts.get("continuation"), lib.name + ": the torture run did not run the tests in continuations");
        assertEquals("false", plain.facts.get("continuation"), lib.name + ": the plain run ran the tests in continuations");
        assertTrue(torture.fact("suspensions") >= 100L * plain.results.size(), lib.name + ": too few suspensions forced: "
                + torture.fact("suspensions") + " for " + plain.results.size() + " tests");
    }
}
