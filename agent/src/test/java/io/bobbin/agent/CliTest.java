package io.bobbin.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * {@code java -jar bobbin-agent.jar instrument}, run in this JVM through {@link Cli#run}. The runtime
 * is not on the agent's test class path: a folder with a stand-in for its frame store takes its place
 * (only its presence is checked). That classes instrumented this way run without the agent is tested
 * in the runtime's {@code AheadOfTimeProcessTest}.
 */
class CliTest {
    @TempDir
    Path dir;

    static final class Run {
        final int status;
        final String out;
        final String err;

        Run(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }
    }

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A folder standing in for bobbin-runtime.jar. */
    Path runtime() throws IOException {
        Path r = dir.resolve("runtime");
        Path probe = r.resolve(LoaderContext.RUNTIME_PROBE);
        Files.createDirectories(probe.getParent());
        Files.write(probe, TestClasses.plain(RuntimeProtocol.FRAME_STACK, "java/lang/Object"));
        return r;
    }

    /** A folder of classes: two to instrument, one without suspendables, a resource and a manifest. */
    Path classes() throws IOException {
        Path src = dir.resolve("classes");
        put(src, "app/Sample.class", TransformerTest.sample("app/Sample"));
        put(src, "app/Other.class", TransformerTest.sample("app/Other"));
        put(src, "app/Plain.class", TestClasses.plain("app/Plain", "java/lang/Object"));
        put(src, "app/messages.properties", "greeting=hello\n".getBytes(StandardCharsets.UTF_8));
        put(src, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: app.Sample\n".getBytes(StandardCharsets.UTF_8));
        return src;
    }

    static void put(Path root, String name, byte[] bytes) throws IOException {
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    /** A jar with a manifest first, a stored resource, classes, and fixed times. */
    Path jar(String name, Map<String, byte[]> entries) throws IOException {
        Path jar = dir.resolve(name);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Built-By", "the test");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(1_600_000_000_000L);
                if (e.getKey().endsWith(".txt")) {
                    entry.setMethod(ZipEntry.STORED);
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(e.getValue());
                    entry.setCrc(crc.getValue());
                    entry.setSize(e.getValue().length);
                }
                out.putNextEntry(entry);
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }

    Map<String, byte[]> jarEntries() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("app/Sample.class", TransformerTest.sample("app/Sample"));
        m.put("app/notes.txt", "stored, not deflated".getBytes(StandardCharsets.UTF_8));
        m.put("app/Plain.class", TestClasses.plain("app/Plain", "java/lang/Object"));
        return m;
    }

    static Map<String, byte[]> read(Path jar) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                m.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return m;
    }

    static boolean marked(byte[] bytes) {
        return InstrumentedMark.VERSION.equals(InstrumentedMark.versionOf(bytes));
    }

    @Test
    void withoutACommandOrWithAnUnknownOneItPrintsTheUsageAndExitsWith2() {
        Run none = cli();
        assertEquals(2, none.status);
        assertTrue(none.err.contains("a command is needed: instrument"), none.err);
        assertTrue(none.err.contains("usage: java -jar bobbin-agent.jar instrument [OPTION...] SOURCE TARGET"), none.err);
        Run unknown = cli("weave", "a", "b");
        assertEquals(2, unknown.status);
        assertTrue(unknown.err.contains("unknown command 'weave'"), unknown.err);
        Run help = cli("instrument", "--help");
        assertEquals(0, help.status);
        assertTrue(help.out.contains("suspendables=FILE"), help.out);
    }

    @Test
    void badArgumentsSayWhatIsWrongAndExitWith2() throws IOException {
        Path src = classes();
        String cp = runtime().toString();
        Run missing = cli("instrument", "--classpath", cp, src.toString());
        assertEquals(2, missing.status);
        assertTrue(missing.err.startsWith("instrument: TARGET is missing\nrun 'java -jar bobbin-agent.jar instrument --help'"),
                missing.err);
        Run option = cli("instrument", "--classpath", cp, "bogus", src.toString(), dir.resolve("out").toString());
        assertEquals(2, option.status);
        assertTrue(option.err.startsWith("instrument: unknown option 'bogus'; the options are verbose, verify"), option.err);
        Run dashed = cli("instrument", "--verify", src.toString(), dir.resolve("out").toString());
        assertEquals(2, dashed.status);
        assertTrue(dashed.err.startsWith("instrument: unknown option '--verify'"), dashed.err);
        Run noSource = cli("instrument", "--classpath", cp, dir.resolve("nothing").toString(), dir.resolve("out").toString());
        assertEquals(2, noSource.status);
        assertTrue(noSource.err.contains("SOURCE " + dir.resolve("nothing") + " does not exist"), noSource.err);
        Run noEntry = cli("instrument", "--classpath", dir.resolve("gone.jar").toString(), src.toString(), dir.resolve("out").toString());
        assertEquals(2, noEntry.status);
        assertTrue(noEntry.err.contains("class path entry " + dir.resolve("gone.jar") + " does not exist"), noEntry.err);
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void aFolderIsInstrumentedIntoAJarWithItsResourcesAndManifest() throws IOException {
        Path out = dir.resolve("app.jar");
        Run r = cli("instrument", "-cp", runtime().toString(), "verify", classes().toString(), out.toString());
        assertEquals(0, r.status, r.err);
        assertEquals("", r.err);
        assertTrue(r.out.contains("instrumented 2 of 3 classes (4 methods, 2 suspension points)"), r.out);
        Map<String, byte[]> jar = read(out);
        assertTrue(marked(jar.get("app/Sample.class")));
        assertTrue(marked(jar.get("app/Other.class")));
        assertArrayEquals(TestClasses.plain("app/Plain", "java/lang/Object"), jar.get("app/Plain.class"));
        assertEquals("greeting=hello\n", new String(jar.get("app/messages.properties"), StandardCharsets.UTF_8));
        assertTrue(new String(jar.get("META-INF/MANIFEST.MF"), StandardCharsets.UTF_8).contains("Main-Class: app.Sample"));
    }

    @Test
    void aJarIsInstrumentedIntoAJarKeepingItsEntriesInOrderWithTheirTimesAndCompression() throws IOException {
        Path in = jar("in.jar", jarEntries());
        Path out = dir.resolve("out.jar");
        Run r = cli("instrument", "--classpath=" + runtime(), in.toString(), out.toString());
        assertEquals(0, r.status, r.err);
        try (ZipFile before = new ZipFile(in.toFile()); ZipFile after = new ZipFile(out.toFile())) {
            List<String> names = new ArrayList<>();
            before.stream().forEach(e -> names.add(e.getName()));
            List<String> namesAfter = new ArrayList<>();
            after.stream().forEach(e -> namesAfter.add(e.getName()));
            assertEquals(names, namesAfter);
            assertEquals("META-INF/MANIFEST.MF", namesAfter.get(0));
            for (String n : names) {
                assertEquals(before.getEntry(n).getTime(), after.getEntry(n).getTime(), n);
                assertEquals(before.getEntry(n).getMethod(), after.getEntry(n).getMethod(), n);
            }
            assertEquals(ZipEntry.STORED, after.getEntry("app/notes.txt").getMethod());
        }
        Map<String, byte[]> entries = read(out);
        assertTrue(marked(entries.get("app/Sample.class")));
        assertArrayEquals(read(in).get("META-INF/MANIFEST.MF"), entries.get("META-INF/MANIFEST.MF"));
        assertArrayEquals(read(in).get("app/notes.txt"), entries.get("app/notes.txt"));
    }

    @Test
    void runningItAgainOnItsOwnOutputWritesByteIdenticalClasses() throws IOException {
        String cp = runtime().toString();
        Path once = dir.resolve("once.jar");
        Path twice = dir.resolve("twice.jar");
        assertEquals(0, cli("instrument", "-cp", cp, jar("in.jar", jarEntries()).toString(), once.toString()).status);
        Run again = cli("instrument", "-cp", cp, once.toString(), twice.toString());
        assertEquals(0, again.status, again.err);
        assertTrue(again.out.contains("instrumented 0 of 2 classes (0 methods, 0 suspension points)"), again.out);
        assertTrue(again.out.contains("1 instrumented already"), again.out);
        Map<String, byte[]> a = read(once);
        Map<String, byte[]> b = read(twice);
        assertEquals(a.keySet(), b.keySet());
        for (String n : a.keySet()) {
            assertArrayEquals(a.get(n), b.get(n), n);
        }
        assertArrayEquals(Files.readAllBytes(once), Files.readAllBytes(twice)); // the same times too: the same jar
        // A folder, in place, twice: the second run writes nothing.
        Path folder = classes();
        assertEquals(0, cli("instrument", "-cp", cp, folder.toString(), folder.toString()).status);
        byte[] sample = Files.readAllBytes(folder.resolve("app/Sample.class"));
        assertTrue(marked(sample));
        FileTime old = FileTime.fromMillis(1_500_000_000_000L);
        Files.setLastModifiedTime(folder.resolve("app/Sample.class"), old);
        Run inPlace = cli("instrument", "-cp", cp, folder.toString(), folder.toString());
        assertEquals(0, inPlace.status, inPlace.err);
        assertTrue(inPlace.out.contains("instrumented 0 of 3 classes"), inPlace.out);
        assertArrayEquals(sample, Files.readAllBytes(folder.resolve("app/Sample.class")));
        assertEquals(old, Files.getLastModifiedTime(folder.resolve("app/Sample.class")));
    }

    @Test
    void aSignedJarIsRefusedWithAClearMessage() throws IOException {
        Map<String, byte[]> entries = jarEntries();
        entries.put("META-INF/SIGNER.SF", "Signature-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
        Path in = jar("signed.jar", entries);
        Path out = dir.resolve("out.jar");
        Run r = cli("instrument", "-cp", runtime().toString(), in.toString(), out.toString());
        assertEquals(1, r.status);
        assertEquals("instrument: " + in + " is signed (META-INF/SIGNER.SF): instrumenting its classes would break the"
                + " signature, and the JVM would refuse them; instrument the unsigned classes and sign the result\n", r.err);
        assertFalse(Files.exists(out));
    }

    /** {@code @Suspendable static void f(t.Missing m) { take(m); }} with {@code take(t.Base)}: the verifier needs t.Missing's supertypes. */
    static byte[] needsMissingClass(String name) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
        MethodVisitor take = cw.visitMethod(Opcodes.ACC_STATIC, "take", "(Lt/Base;)V", null, null);
        take.visitAnnotation(RuntimeProtocol.SUSPENDABLE_DESC, true).visitEnd();
        take.visitCode();
        take.visitInsn(Opcodes.RETURN);
        take.visitMaxs(0, 0);
        take.visitEnd();
        MethodVisitor f = cw.visitMethod(Opcodes.ACC_STATIC, "f", "(Lt/Missing;)V", null, null);
        f.visitAnnotation(RuntimeProtocol.SUSPENDABLE_DESC, true).visitEnd();
        f.visitCode();
        f.visitVarInsn(Opcodes.ALOAD, 0);
        f.visitMethodInsn(Opcodes.INVOKESTATIC, name, "take", "(Lt/Base;)V", false);
        f.visitInsn(Opcodes.RETURN);
        f.visitMaxs(0, 0);
        f.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void underVerifyAClassThatFailsVerificationStopsWithExit1NamingItAndNothingIsWritten() throws IOException {
        Path src = classes();
        put(src, "t/NeedsMissing.class", needsMissingClass("t/NeedsMissing"));
        Path out = dir.resolve("out.jar");
        String cp = runtime().toString();
        Run r = cli("instrument", "-cp", cp, "verify", src.toString(), out.toString());
        assertEquals(1, r.status, r.out + r.err);
        assertTrue(r.err.startsWith("instrument: class t.NeedsMissing (" + src.resolve("t/NeedsMissing.class")
                + ") does not verify once instrumented: t/NeedsMissing.f(Lt/Missing;)V: "), r.err);
        assertTrue(r.err.endsWith("if a class it names is missing from the class path, add it there, otherwise report"
                + " this with the class file; " + out + " was not written\n"), r.err);
        assertFalse(Files.exists(out));
        // With the missing classes on the class path, it verifies.
        Path more = dir.resolve("more");
        put(more, "t/Base.class", TestClasses.plain("t/Base", "java/lang/Object"));
        put(more, "t/Missing.class", TestClasses.plain("t/Missing", "t/Base"));
        Run fixed = cli("instrument", "-cp", cp + java.io.File.pathSeparator + more, "verify", src.toString(), out.toString());
        assertEquals(0, fixed.status, fixed.err);
        assertTrue(marked(read(out).get("t/NeedsMissing.class")));
    }

    @Test
    void aFileNamedLikeAClassThatIsNotOneStopsWithExit1NamingIt() throws IOException {
        Path src = classes();
        put(src, "app/Broken.class", new byte[] {1, 2, 3});
        Path out = dir.resolve("out");
        Run r = cli("instrument", "-cp", runtime().toString(), src.toString(), out.toString());
        assertEquals(1, r.status);
        assertTrue(r.err.startsWith("instrument: " + src.resolve("app/Broken.class") + " is not a class file the"
                + " instrumenter can read: not a class file (no 0xCAFEBABE at its start); remove it, or rebuild it;"), r.err);
        assertFalse(Files.exists(out));
    }

    @Test
    void supertypesAreLookedUpInTheClassPath() throws IOException {
        // app.Impl overrides work() of lib.Base, which is @Suspendable: only lib on the class path tells.
        Path src = dir.resolve("src");
        put(src, "app/Impl.class", TestClasses.plain("app/Impl", "lib/Base"));
        Path lib = dir.resolve("lib");
        put(lib, "lib/Base.class", TestClasses.marked("lib/Base", "java/lang/Object"));
        String cp = runtime().toString();
        Run without = cli("instrument", "-cp", cp, src.toString(), dir.resolve("a").toString());
        assertEquals(0, without.status, without.err);
        assertFalse(marked(Files.readAllBytes(dir.resolve("a/app/Impl.class"))));
        Run with = cli("instrument", "-cp", cp + java.io.File.pathSeparator + lib, src.toString(), dir.resolve("b").toString());
        assertEquals(0, with.status, with.err);
        assertTrue(marked(Files.readAllBytes(dir.resolve("b/app/Impl.class"))));
    }

    @Test
    void optionsAreTheAgentsAllAndSuspendablesFilesAndVerbose() throws IOException {
        Path src = dir.resolve("src");
        put(src, "app/a/One.class", TestClasses.plain("app/a/One", "java/lang/Object"));
        put(src, "app/b/Two.class", TestClasses.plain("app/b/Two", "java/lang/Object"));
        put(src, "app/c/Three.class", TestClasses.plain("app/c/Three", "java/lang/Object"));
        Path file = dir.resolve("suspendables.txt");
        Files.writeString(file, "app.b.Two.work\n");
        Run r = cli("instrument", "-cp", runtime().toString(), "all=app.a", "suspendables=" + file, "verbose",
                src.toString(), dir.resolve("out").toString());
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("instrumented app.a.One: 1 methods, 0 suspension points"), r.out);
        assertTrue(r.out.contains("instrumented app.b.Two: 1 methods, 0 suspension points"), r.out);
        assertFalse(r.out.contains("app.c.Three"), r.out);
        assertTrue(marked(Files.readAllBytes(dir.resolve("out/app/a/One.class"))));
        assertTrue(marked(Files.readAllBytes(dir.resolve("out/app/b/Two.class"))));
        assertFalse(marked(Files.readAllBytes(dir.resolve("out/app/c/Three.class"))));
    }

    @Test
    void theClassesTheAgentNeverInstrumentsAreLeftAsTheyAre() throws IOException {
        // The runtime's side of the protocol, the agent's own classes: as under the agent.
        Path src = dir.resolve("src");
        byte[] continuation = TestClasses.marked("io/bobbin/Continuation", "java/lang/Object");
        byte[] internal = TestClasses.marked("io/bobbin/internal/cont/Helper", "java/lang/Object");
        byte[] agent = TestClasses.marked("io/bobbin/agent/Helper", "java/lang/Object");
        put(src, "io/bobbin/Continuation.class", continuation);
        put(src, "io/bobbin/internal/cont/Helper.class", internal);
        put(src, "io/bobbin/agent/Helper.class", agent);
        put(src, "io/bobbin/Other.class", TestClasses.marked("io/bobbin/Other", "java/lang/Object"));
        Path out = dir.resolve("out");
        Run r = cli("instrument", "-cp", runtime().toString(), src.toString(), out.toString());
        assertEquals(0, r.status, r.err);
        assertArrayEquals(continuation, Files.readAllBytes(out.resolve("io/bobbin/Continuation.class")));
        assertArrayEquals(internal, Files.readAllBytes(out.resolve("io/bobbin/internal/cont/Helper.class")));
        assertArrayEquals(agent, Files.readAllBytes(out.resolve("io/bobbin/agent/Helper.class")));
        assertTrue(marked(Files.readAllBytes(out.resolve("io/bobbin/Other.class"))));
    }

    @Test
    void withoutTheRuntimeOnTheClassPathInstrumentationIsRefusedSayingWhatToAdd() throws IOException {
        Path src = classes();
        assertFalse(AheadOfTime.hasRuntime(List.of(src)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AheadOfTime(List.of(), List.of(src), w -> { }, null));
        assertEquals("the Bobbin runtime (io.bobbin.internal.cont.FrameStack, in bobbin-runtime.jar) is not on the class"
                + " path given for instrumentation (" + src + "): add bobbin-runtime.jar to it", e.getMessage());
        assertTrue(AheadOfTime.hasRuntime(List.of(src, runtime())));
    }
}
