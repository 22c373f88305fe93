package io.bobbin.agent;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build-time instrumentation: the agent's work done ahead of time on class files, jars and folders
 * of classes, for the command line ({@link Cli}) and the Maven plugin. The classes it writes run
 * without the agent (with {@code bobbin-runtime.jar} on the class path), and the agent leaves them
 * as they are when it is there.
 *
 * <p>Every class it changes carries the {@link InstrumentedMark} with this version; a marked class is
 * never instrumented again, so running it on its own output writes the same bytes. Supertypes and
 * what is suspendable are looked up, from class bytes, in the class path it is given (which must
 * hold the classes being instrumented and {@code bobbin-runtime.jar}), then in the JDK; the
 * {@code META-INF/bobbin/suspendables} resources of that class path count as under the agent.
 *
 * <p>A class it cannot instrument at all (not a class file, a class ASM cannot read, a class that
 * fails verification under {@code verify}) is a {@link ClassFailure} naming it; a method it cannot
 * instrument is left as it was, with a warning, as under the agent.
 *
 * <p>Threads: one instance is used by one thread at a time; its warnings and infos are delivered on
 * that thread.
 */
public final class AheadOfTime implements Closeable {
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)", Pattern.CASE_INSENSITIVE);

    /** A class that cannot be instrumented; its message names it and says why. */
    public static final class ClassFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final String className;

        ClassFailure(String className, String message, Throwable cause) {
            super(message, cause);
            this.className = className;
        }

        /** The class, in source form ({@code com.example.Foo}), or the file's path when it is not a class. */
        public String className() {
            return className;
        }
    }

    private final AgentOptions options;
    private final URLClassLoader loader;
    private final Log.Sink sink;
    private final LoaderContext context;
    private int classes;
    private int instrumented;
    private int methods;
    private int points;
    private int markedAlready;
    private int otherFiles;

    /**
     * @param options the agent's options, one an element ({@code verify}, {@code all=com.example}, ...)
     * @param classPath jars and folders where the classes being instrumented and everything they use
     *     are found, {@code bobbin-runtime.jar} included
     * @param warnings receives each warning (a sentence, without prefix)
     * @param infos receives what {@code verbose} tells, or {@code null}
     * @throws IllegalArgumentException for a bad option, or a class path without the runtime, saying which
     */
    public AheadOfTime(List<String> options, List<Path> classPath, Consumer<String> warnings, Consumer<String> infos) {
        this.options = AgentOptions.parse(options, AgentOptions.Source.BUILD);
        this.loader = new URLClassLoader(urls(classPath), ClassLoader.getPlatformClassLoader());
        this.sink = new Log.Sink(warnings, this.options.verbose ? infos : null);
        if (loader.getResource(LoaderContext.RUNTIME_PROBE) == null) {
            close();
            throw new IllegalArgumentException("the Bobbin runtime (" + RuntimeProtocol.FRAME_STACK.replace('/', '.')
                    + ", in bobbin-runtime.jar) is not on the class path given for instrumentation ("
                    + classPath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator))
                    + "): add bobbin-runtime.jar to it");
        }
        Log.Sink previous = Log.redirect(sink);
        try {
            this.context = LoaderContext.forBuild(loader, this.options.extras);
        } finally {
            Log.restore(previous);
        }
    }

    /** Whether the runtime's classes are in one of these jars or folders. */
    public static boolean hasRuntime(List<Path> classPath) {
        try (URLClassLoader l = new URLClassLoader(urls(classPath), null)) {
            return l.findResource(LoaderContext.RUNTIME_PROBE) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The version written into the mark of every class this instruments. */
    public static String version() {
        return InstrumentedMark.VERSION;
    }

    /**
     * Instruments one class file.
     *
     * @param where the class's file or entry, for messages
     * @return the instrumented class, or {@code null} when it stays as it is (no suspendable method,
     *     or instrumented already)
     * @throws ClassFailure if the class cannot be instrumented
     */
    public byte[] instrumentClass(String where, byte[] bytes) throws ClassFailure {
        Log.Sink previous = Log.redirect(sink);
        try {
            return instrument(where, bytes);
        } finally {
            Log.restore(previous);
        }
    }

    private byte[] instrument(String where, byte[] bytes) throws ClassFailure {
        classes++;
        ClassScan scan;
        try {
            scan = ClassScan.of(bytes);
        } catch (IllegalArgumentException e) {
            throw new ClassFailure(where, where + " is not a class file the instrumenter can read: " + e.getMessage()
                    + "; remove it, or rebuild it", e);
        }
        String name = scan.name.replace('/', '.');
        if (SuspendableTransformer.isExcluded(scan.name)) {
            return null; // as under the agent: the JDK's, the agent's, and the runtime's side of the protocol
        }
        String mark = ClassInstrumenter.markOf(scan, bytes);
        if (mark != null) {
            markedAlready++;
            if (!mark.equals(InstrumentedMark.VERSION)) {
                Log.warnOnce("version:" + mark, InstrumentedMark.mismatch(scan.name, mark));
            }
            return null;
        }
        ClassInstrumenter.Outcome outcome;
        try {
            outcome = ClassInstrumenter.instrument(scan, bytes, context, options.torture);
        } catch (RuntimeException e) {
            throw new ClassFailure(name, "class " + name + " (" + where + ") cannot be instrumented: " + e
                    + "; if the class is valid, report this with the class file", e);
        }
        if (outcome == null) {
            return null;
        }
        if (options.verify) {
            String problem = ClassVerifier.verify(outcome.bytes, context.hierarchy);
            if (problem != null) {
                throw new ClassFailure(name, "class " + name + " (" + where + ") does not verify once instrumented: "
                        + problem + "; if a class it names is missing from the class path, add it there, otherwise"
                        + " report this with the class file", null);
            }
        }
        if (options.dump != null) {
            Path file = options.dump.resolve(scan.name + ".class");
            try {
                write(file, outcome.bytes);
            } catch (IOException e) {
                Log.warnOnce("dump:" + scan.name, "instrumented class " + name + " cannot be dumped to " + file + " (" + e
                        + "); check that the dump directory can be written");
            }
        }
        instrumented++;
        methods += outcome.methods;
        points += outcome.points;
        Log.info("instrumented " + name + ": " + outcome.methods + " methods, " + outcome.points + " suspension points");
        return outcome.bytes;
    }

    /**
     * Instruments a jar or a folder of classes into a jar or a folder ({@code target} may be
     * {@code source}). {@code target} is a jar when it is an existing file, or when it does not
     * exist and its name ends in {@code .jar} or {@code .zip}; otherwise a folder. Every class is
     * instrumented before anything is written, so that on a {@link ClassFailure} the target is left
     * as it was. Other files (resources, the manifest) are copied as they are; in a jar, entries keep
     * their order, times and compression.
     *
     * @return what was done, in a sentence
     * @throws IOException if the source cannot be read, is a signed jar, or the target cannot be written
     */
    public String instrument(Path source, Path target) throws IOException, ClassFailure {
        int classes0 = classes, instrumented0 = instrumented, methods0 = methods, points0 = points;
        int marked0 = markedAlready, other0 = otherFiles;
        boolean jarSource = Files.isRegularFile(source);
        if (!jarSource && !Files.isDirectory(source)) {
            throw new IOException("SOURCE " + source + " is neither a jar nor a folder of classes; check the path");
        }
        boolean jarTarget = Files.isRegularFile(target) || (!Files.exists(target) && isJarName(target));
        Map<String, byte[]> changed = new LinkedHashMap<>();
        if (jarSource) {
            try (ZipFile zip = new ZipFile(source.toFile())) {
                refuseSigned(source, zip.stream().map(ZipEntry::getName));
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    if (isClass(entry.getName())) {
                        byte[] out;
                        try (InputStream in = zip.getInputStream(entry)) {
                            out = instrumentClass(source + "!/" + entry.getName(), in.readAllBytes());
                        }
                        if (out != null) {
                            changed.put(entry.getName(), out);
                        }
                    }
                }
                if (jarTarget) {
                    writeJar(target, w -> copyEntries(zip, changed, w));
                } else {
                    writeFolder(target, source.equals(target), zip, changed);
                }
            }
        } else {
            List<String> files = filesOf(source);
            refuseSigned(source, files.stream());
            for (String f : files) {
                if (isClass(f)) {
                    byte[] out = instrumentClass(source.resolve(f).toString(), Files.readAllBytes(source.resolve(f)));
                    if (out != null) {
                        changed.put(f, out);
                    }
                }
            }
            if (jarTarget) {
                writeJar(target, w -> {
                    for (String f : files) {
                        Path p = source.resolve(f);
                        ZipEntry entry = new ZipEntry(f);
                        entry.setTime(Files.getLastModifiedTime(p).toMillis());
                        byte[] bytes = changed.get(f);
                        w.putNextEntry(entry);
                        w.write(bytes != null ? bytes : Files.readAllBytes(p));
                        w.closeEntry();
                        otherFiles += isClass(f) ? 0 : 1;
                    }
                });
            } else {
                boolean inPlace = Files.exists(target) && Files.isSameFile(source, target);
                for (String f : files) {
                    Path to = target.resolve(f);
                    byte[] bytes = changed.get(f);
                    if (bytes != null) {
                        write(to, bytes);
                    } else if (!inPlace) {
                        Files.createDirectories(to.getParent());
                        Files.copy(source.resolve(f), to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                    otherFiles += isClass(f) ? 0 : 1;
                }
            }
        }
        return String.format(Locale.ROOT, "instrumented %d of %d classes (%d methods, %d suspension points) from %s into"
                        + " %s; %d instrumented already, %d other files kept", instrumented - instrumented0,
                classes - classes0, methods - methods0, points - points0, source, target, markedAlready - marked0,
                otherFiles - other0);
    }

    /** How many classes {@link #instrumentClass} changed so far. */
    public int instrumentedCount() {
        return instrumented;
    }

    /** How many methods the classes changed so far have instrumented. */
    public int methodCount() {
        return methods;
    }

    /** How many suspension points the methods instrumented so far have. */
    public int pointCount() {
        return points;
    }

    /**
     * The version in a class file's instrumentation mark, or {@code null} when it has none (or is not
     * a class file). Reads the constant pool, and the class's annotations only when the pool names
     * the mark.
     */
    public static String markedVersion(byte[] bytes) {
        try {
            return ClassInstrumenter.markOf(ClassScan.of(bytes), bytes);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            // nothing was written through it
        }
    }

    // ---- files -------------------------------------------------------------------------------

    private interface JarWriting {
        void to(ZipOutputStream out) throws IOException;
    }

    /** Writes a jar next to the target, then moves it over the target, so that a failure leaves the target as it was. */
    private static void writeJar(Path target, JarWriting writing) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(temp))) {
                writing.to(out);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void copyEntries(ZipFile zip, Map<String, byte[]> changed, ZipOutputStream out) throws IOException {
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            ZipEntry from = e.nextElement();
            byte[] bytes = changed.get(from.getName());
            if (bytes == null) {
                try (InputStream in = zip.getInputStream(from)) {
                    bytes = in.readAllBytes();
                }
            }
            ZipEntry to = new ZipEntry(from.getName());
            to.setTime(from.getTime());
            if (from.getExtra() != null) {
                to.setExtra(from.getExtra());
            }
            to.setComment(from.getComment());
            if (from.getMethod() == ZipEntry.STORED) {
                to.setMethod(ZipEntry.STORED);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                to.setCrc(crc.getValue());
                to.setSize(bytes.length);
                to.setCompressedSize(bytes.length);
            }
            out.putNextEntry(to);
            out.write(bytes);
            out.closeEntry();
            otherFiles += from.isDirectory() || isClass(from.getName()) ? 0 : 1;
        }
    }

    private void writeFolder(Path target, boolean same, ZipFile zip, Map<String, byte[]> changed) throws IOException {
        if (same) {
            throw new IOException("SOURCE and TARGET are the same file " + target + ", which is a jar, not a folder");
        }
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            ZipEntry entry = e.nextElement();
            Path to = target.resolve(entry.getName()).normalize();
            if (!to.startsWith(target.normalize())) {
                throw new IOException("entry " + entry.getName() + " of the jar points outside " + target + "; it is not written");
            }
            if (entry.isDirectory()) {
                Files.createDirectories(to);
                continue;
            }
            byte[] bytes = changed.get(entry.getName());
            if (bytes == null) {
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
            }
            write(to, bytes);
            otherFiles += isClass(entry.getName()) ? 0 : 1;
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, bytes);
    }

    /** The regular files under a folder, as relative paths with '/', sorted (for a stable jar). */
    private static List<String> filesOf(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static void refuseSigned(Path source, Stream<String> names) throws IOException {
        String signature = names.filter(n -> SIGNATURE.matcher(n).matches()).findFirst().orElse(null);
        if (signature != null) {
            throw new IOException(source + " is signed (" + signature + "): instrumenting its classes would break the"
                    + " signature, and the JVM would refuse them; instrument the unsigned classes and sign the result");
        }
    }

    /** A class file to instrument ({@code module-info} and {@code package-info} have no code). */
    static boolean isClass(String name) {
        return name.endsWith(".class") && !name.endsWith("module-info.class") && !name.endsWith("package-info.class");
    }

    private static boolean isJarName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jar") || n.endsWith(".zip");
    }

    private static URL[] urls(List<Path> classPath) {
        List<URL> urls = new ArrayList<>();
        for (Path p : classPath) {
            try {
                urls.add(p.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("class path entry " + p + " is not a valid path: " + e.getMessage());
            }
        }
        return urls.toArray(new URL[0]);
    }
}
