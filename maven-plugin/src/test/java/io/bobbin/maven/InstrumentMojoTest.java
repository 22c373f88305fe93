package io.bobbin.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.agent.AheadOfTime;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The goals run directly (as Maven would, with their parameters set) on classes compiled here, with
 * the real runtime on the class path. The sample project's build ({@link SampleProjectIT}) runs them
 * inside Maven.
 */
class InstrumentMojoTest {
    @TempDir
    Path dir;
    Path sources;
    Path classes;
    final List<String> infos = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void folders() throws IOException {
        sources = Files.createDirectories(dir.resolve("src"));
        classes = Files.createDirectories(dir.resolve("target/classes"));
    }

    static String runtime() throws URISyntaxException {
        return Paths.get(Continuation.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** Writes a source file (class {@code name}, e.g. {@code app.A}) and compiles it into {@link #classes}. */
    void compile(String name, String source) throws Exception {
        compile(name, source, classes, runtime() + File.pathSeparator + classes);
    }

    void compile(String name, String source, Path into, String classPath) throws IOException {
        Path file = sources.resolve(name.replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", into.toString(), "-cp", classPath, file.toString());
        assertEquals(0, status, "javac failed on " + name);
    }

    InstrumentMojo mojo(String... elements) throws URISyntaxException {
        InstrumentMojo m = new InstrumentMojo();
        m.classesDirectory = classes.toFile();
        m.classpathElements = elements.length > 0 ? List.of(elements) : List.of(classes.toString(), runtime());
        m.buildDirectory = dir.resolve("target").toFile();
        m.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                infos.add(content.toString());
            }

            @Override
            public void warn(CharSequence content) {
                warnings.add(content.toString());
            }
        });
        return m;
    }

    byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(classes.resolve(name.replace('.', '/') + ".class"));
    }

    boolean instrumented(String name) throws IOException {
        return AheadOfTime.version().equals(AheadOfTime.markedVersion(bytes(name)));
    }

    FileTime time(String name) throws IOException {
        return Files.getLastModifiedTime(classes.resolve(name.replace('.', '/') + ".class"));
    }

    static String suspendable(String pkg, String simple) {
        return "package " + pkg + ";\npublic class " + simple + " {\n"
                + "  @io.bobbin.Suspendable public static int run() { io.bobbin.Continuation.suspend(); return 1; }\n}\n";
    }

    String last() {
        return infos.get(infos.size() - 1);
    }

    @Test
    void theClassesWithSuspendableMethodsAreInstrumentedInPlace() throws Exception {
        compile("app.A", suspendable("app", "A"));
        compile("app.Plain", "package app; public class Plain { public static int run() { return 2; } }");
        byte[] plain = bytes("app.Plain");
        mojo().execute();
        assertTrue(instrumented("app.A"));
        assertArrayEquals(plain, bytes("app.Plain"));
        assertTrue(last().startsWith("bobbin instrument: instrumented 1 of 2 classes looked at in " + classes
                + " (1 methods, 1 suspension points); 0 instrumented before and unchanged"), last());
        assertEquals(List.of(), warnings);
        assertTrue(Files.isRegularFile(dir.resolve("target/bobbin/instrument.state")));
    }

    @Test
    void whenTheCompilerWroteNoClassAgainNothingIsReadOrWritten() throws Exception {
        compile("app.A", suspendable("app", "A"));
        mojo().execute();
        Path a = classes.resolve("app/A.class");
        FileTime t = time("app.A");
        // Garbage of the same size and time: a build that read the file would fail on it.
        byte[] garbage = new byte[(int) Files.size(a)];
        java.util.Arrays.fill(garbage, (byte) 7);
        Files.write(a, garbage);
        Files.setLastModifiedTime(a, t);
        mojo().execute();
        assertEquals("bobbin instrument: 1 classes in " + classes + " are up to date", last());
        assertArrayEquals(garbage, Files.readAllBytes(a));
        assertEquals(t, time("app.A"));
    }

    @Test
    void onlyTheClassesTheCompilerWroteAgainAreRewritten() throws Exception {
        compile("app.A", suspendable("app", "A"));
        compile("app.B", suspendable("app", "B"));
        mojo().execute();
        FileTime b = time("app.B");
        byte[] bBytes = bytes("app.B");
        compile("app.A", suspendable("app", "A").replace("return 1;", "return 11;"));
        assertFalse(instrumented("app.A"));
        mojo().execute();
        assertTrue(instrumented("app.A"));
        assertEquals(b, time("app.B"));
        assertArrayEquals(bBytes, bytes("app.B"));
        assertTrue(last().contains("instrumented 1 of 1 classes looked at"), last());
        assertTrue(last().endsWith("1 instrumented before and unchanged"), last());
    }

    @Test
    void aClassNotRecompiledIsInstrumentedWhenItsSuperclassBecomesSuspendable() throws Exception {
        compile("app.Base", "package app; public class Base { public int work() { return 1; } }");
        compile("app.Sub", "package app; public class Sub extends Base { @Override public int work() { return 2; } }");
        mojo().execute();
        assertFalse(instrumented("app.Sub"));
        compile("app.Base", "package app; public class Base { @io.bobbin.Suspendable public int work() { return 1; } }");
        mojo().execute();
        assertTrue(instrumented("app.Base"));
        assertTrue(instrumented("app.Sub")); // it overrides a suspendable method now
    }

    @Test
    void aClassThatCannotBeInstrumentedFailsTheBuildNamingIt() throws Exception {
        compile("app.A", suspendable("app", "A"));
        Files.write(classes.resolve("app/Broken.class"), new byte[] {1, 2, 3});
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> mojo().execute());
        assertTrue(e.getMessage().startsWith(classes.resolve("app/Broken.class") + " is not a class file the instrumenter"
                + " can read"), e.getMessage());
    }

    @Test
    void underVerifyAClassThatDoesNotVerifyFailsTheBuildNamingIt() throws Exception {
        // lib.Sub extends lib.Base; NeedsLib passes a Sub where a Base is expected. Without lib on the
        // class path given to the plugin, the verifier cannot tell that Sub is a Base.
        Path lib = Files.createDirectories(dir.resolve("lib"));
        compile("lib.Base", "package lib; public class Base {}", lib, lib.toString());
        compile("lib.Sub", "package lib; public class Sub extends Base {}", lib, lib.toString());
        compile("app.NeedsLib", "package app; public class NeedsLib {\n"
                + "  @io.bobbin.Suspendable static void f(lib.Sub s) { take(s); }\n"
                + "  @io.bobbin.Suspendable static void take(lib.Base b) { io.bobbin.Continuation.suspend(); }\n}\n",
                classes, runtime() + File.pathSeparator + lib);
        InstrumentMojo m = mojo();
        m.verify = true;
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().startsWith("class app.NeedsLib (" + classes.resolve("app/NeedsLib.class")
                + ") does not verify once instrumented: app/NeedsLib.f(Llib/Sub;)V"), e.getMessage());
        InstrumentMojo withLib = mojo(classes.toString(), runtime(), lib.toString());
        withLib.verify = true;
        withLib.execute();
        assertTrue(instrumented("app.NeedsLib"));
    }

    @Test
    void theAgentsOptionsAreItsConfiguration() throws Exception {
        compile("app.handlers.H", "package app.handlers; public class H { public static int run() { return 3; } }");
        compile("app.named.N", "package app.named; public class N { public static int run() { return 4; } }");
        compile("app.other.O", "package app.other; public class O { public static int run() { return 5; } }");
        Path file = dir.resolve("suspendables.txt");
        Files.writeString(file, "app.named.N.run\n", StandardCharsets.UTF_8);
        InstrumentMojo m = mojo();
        m.all = List.of("app.handlers");
        m.suspendables = List.of(file.toFile());
        m.verbose = true;
        m.execute();
        assertTrue(instrumented("app.handlers.H"));
        assertTrue(instrumented("app.named.N"));
        assertFalse(instrumented("app.other.O"));
        assertTrue(infos.contains("instrumented app.handlers.H: 1 methods, 0 suspension points"), infos.toString());
        assertEquals(List.of("verbose", "suspendables=" + file, "all=app.handlers"), m.options());
    }

    @Test
    void otherOptionsOverClassesInstrumentedBeforeFailTheBuildSayingToClean() throws Exception {
        compile("app.A", suspendable("app", "A"));
        mojo().execute();
        InstrumentMojo m = mojo();
        m.torture = true;
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertEquals("the classes in " + classes + " were instrumented by Bobbin " + AheadOfTime.version()
                + " with the options [], and this build asks for Bobbin " + AheadOfTime.version() + " with the options"
                + " [torture]: instrumented classes cannot be instrumented again; run mvn clean (or delete " + classes
                + ") and build again", e.getMessage());
    }

    @Test
    void withoutTheRuntimeTheBuildFailsSayingWhichDependencyToAdd() throws Exception {
        compile("app.A", suspendable("app", "A"));
        MojoExecutionException e = assertThrows(MojoExecutionException.class, () -> mojo(classes.toString()).execute());
        assertEquals("the Bobbin runtime is not on the class path of " + classes + ", and instrumented classes call it:"
                + " add the dependency io.bobbin:bobbin-runtime:" + AheadOfTime.version() + " to the project", e.getMessage());
    }

    @Test
    void skipAndAMissingFolderDoNothing() throws Exception {
        compile("app.A", suspendable("app", "A"));
        InstrumentMojo m = mojo();
        m.skip = true;
        m.execute();
        assertFalse(instrumented("app.A"));
        assertEquals("bobbin instrument skipped", last());
        InstrumentTestsMojo t = new InstrumentTestsMojo();
        t.testClassesDirectory = dir.resolve("target/test-classes").toFile();
        t.testClasspathElements = List.of();
        t.buildDirectory = dir.resolve("target").toFile();
        t.setLog(mojo().getLog());
        t.execute();
        assertEquals("no classes in " + dir.resolve("target/test-classes") + ": nothing to instrument", last());
    }
}
