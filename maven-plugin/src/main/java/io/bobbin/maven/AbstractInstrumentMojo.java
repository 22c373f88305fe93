package io.bobbin.maven;

import io.bobbin.agent.AheadOfTime;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Instruments a folder of classes in place, with the agent's options as configuration. A class
 * that cannot be instrumented fails the build, naming it; a method that cannot be is left as it
 * was, with a warning, as under the agent.
 *
 * <p>Incremental: the classes as the goal left them are recorded in a state file
 * ({@link ClassesState}). When no class file changed since, nothing is read; otherwise the classes
 * the compiler wrote again are instrumented, and so is any other class not instrumented yet whose
 * supertypes now make it need it. Classes instrumented already are never read again, nor rewritten.
 */
abstract class AbstractInstrumentMojo extends AbstractMojo {
    /** Skips the goal. */
    @Parameter(property = "bobbin.skip", defaultValue = "false")
    boolean skip;

    /** Checks every instrumented class with ASM's analyzer; a class that fails fails the build. */
    @Parameter(property = "bobbin.verify", defaultValue = "false")
    boolean verify;

    /** Logs every class instrumented. */
    @Parameter(property = "bobbin.verbose", defaultValue = "false")
    boolean verbose;

    /**
     * Testing aid: a suspension point at the entry of every instrumented method (it suspends when the
     * program runs with {@code -Dbobbin.torture=true}).
     */
    @Parameter(defaultValue = "false")
    boolean torture;

    /** Files of more suspendable methods, one a line (the agent's {@code suspendables=FILE}). */
    @Parameter
    List<File> suspendables;

    /**
     * Packages whose every method, in every class of the package and its subpackages, is suspendable
     * (the agent's {@code all=PACKAGE}): {@code <all><package>com.example.handlers</package></all>}.
     */
    @Parameter
    List<String> all;

    /** Also writes every instrumented class to this folder (the agent's {@code dump=DIR}). */
    @Parameter
    File dump;

    /** Where the state files go ({@code bobbin/<goal>.state}). */
    @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
    File buildDirectory;

    /** The folder instrumented in place. */
    abstract File classesDirectory();

    /** The class path the classes are compiled against, for supertypes (the folder itself may be among them). */
    abstract List<String> classpathElements();

    /** The goal's name, for messages and its state file. */
    abstract String goal();

    /** The agent's options, as configured. */
    List<String> options() {
        List<String> o = new ArrayList<>();
        if (verify) {
            o.add("verify");
        }
        if (torture) {
            o.add("torture");
        }
        if (verbose) {
            o.add("verbose");
        }
        if (suspendables != null) {
            for (File f : suspendables) {
                o.add("suspendables=" + f.getPath());
            }
        }
        if (all != null) {
            for (String p : all) {
                o.add("all=" + p.trim());
            }
        }
        if (dump != null) {
            o.add("dump=" + dump.getPath());
        }
        return o;
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("bobbin " + goal() + " skipped");
            return;
        }
        Path classes = classesDirectory().toPath();
        if (!Files.isDirectory(classes)) {
            getLog().info("no classes in " + classes + ": nothing to instrument");
            return;
        }
        Set<Path> classPath = new LinkedHashSet<>();
        classPath.add(classes);
        if (classpathElements() != null) {
            for (String e : classpathElements()) {
                Path p = Path.of(e);
                if (Files.exists(p)) {
                    classPath.add(p);
                }
            }
        }
        List<Path> lookups = new ArrayList<>(classPath);
        if (!AheadOfTime.hasRuntime(lookups)) {
            throw new MojoExecutionException("the Bobbin runtime is not on the class path of " + classes
                    + ", and instrumented classes call it: add the dependency io.bobbin:bobbin-runtime:"
                    + AheadOfTime.version() + " to the project");
        }
        List<String> options = options();
        String key = AheadOfTime.version() + " " + String.join(",", options);
        Path stateFile = buildDirectory.toPath().resolve("bobbin").resolve(goal() + ".state");
        try {
            run(classes, lookups, options, key, stateFile);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot instrument " + classes + ": " + e.getMessage(), e);
        }
    }

    private void run(Path classes, List<Path> lookups, List<String> options, String key, Path stateFile)
            throws IOException, MojoExecutionException, MojoFailureException {
        ClassesState old = ClassesState.read(stateFile);
        Map<String, BasicFileAttributes> files = classFiles(classes);
        if (old != null && !old.key.equals(key)) {
            for (Map.Entry<String, ClassesState.Entry> e : old.entries.entrySet()) {
                BasicFileAttributes a = files.get(e.getKey());
                if (e.getValue().instrumented && a != null && e.getValue().sameFile(a.size(), a.lastModifiedTime().toMillis())) {
                    throw new MojoFailureException("the classes in " + classes + " were instrumented by Bobbin "
                            + old.key.replaceFirst(" ", " with the options [") + "], and this build asks for Bobbin "
                            + key.replaceFirst(" ", " with the options [") + "]: instrumented classes cannot be"
                            + " instrumented again; run mvn clean (or delete " + classes + ") and build again");
                }
            }
            old = null;
        }
        boolean changed = old == null || !old.entries.keySet().equals(files.keySet());
        for (Map.Entry<String, BasicFileAttributes> f : files.entrySet()) {
            ClassesState.Entry e = old == null ? null : old.entries.get(f.getKey());
            changed |= e == null || !e.sameFile(f.getValue().size(), f.getValue().lastModifiedTime().toMillis());
        }
        if (!changed) {
            getLog().info("bobbin " + goal() + ": " + files.size() + " classes in " + classes + " are up to date");
            return;
        }
        Map<String, ClassesState.Entry> now = new TreeMap<>();
        int examined = 0;
        int kept = 0;
        try (AheadOfTime aot = new AheadOfTime(options, lookups, getLog()::warn, getLog()::info)) {
            for (Map.Entry<String, BasicFileAttributes> f : files.entrySet()) {
                long size = f.getValue().size();
                long modified = f.getValue().lastModifiedTime().toMillis();
                ClassesState.Entry e = old == null ? null : old.entries.get(f.getKey());
                if (e != null && e.instrumented && e.sameFile(size, modified)) {
                    now.put(f.getKey(), e); // instrumented by this goal, and not compiled again since
                    kept++;
                    continue;
                }
                Path file = classes.resolve(f.getKey());
                byte[] bytes = Files.readAllBytes(file);
                examined++;
                byte[] out;
                try {
                    out = aot.instrumentClass(file.toString(), bytes);
                } catch (AheadOfTime.ClassFailure failure) {
                    throw new MojoFailureException(failure.getMessage(), failure);
                }
                if (out != null) {
                    Files.write(file, out);
                    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                    now.put(f.getKey(), new ClassesState.Entry(a.size(), a.lastModifiedTime().toMillis(), true));
                } else {
                    now.put(f.getKey(), new ClassesState.Entry(size, modified, AheadOfTime.markedVersion(bytes) != null));
                }
            }
            new ClassesState(key, now).write(stateFile);
            getLog().info("bobbin " + goal() + ": instrumented " + aot.instrumentedCount() + " of " + examined
                    + " classes looked at in " + classes + " (" + aot.methodCount() + " methods, " + aot.pointCount()
                    + " suspension points); " + kept + " instrumented before and unchanged");
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("bad bobbin-maven-plugin configuration: " + e.getMessage(), e);
        }
    }

    /** The class files under the folder, by path relative to it with '/', with their attributes. */
    private static Map<String, BasicFileAttributes> classFiles(Path dir) throws IOException {
        Map<String, BasicFileAttributes> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                if (a.isRegularFile()) {
                    files.put(dir.relativize(p).toString().replace(File.separatorChar, '/'), a);
                }
            }
        }
        return files;
    }
}
