package io.bobbin.serial;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * One version of a class, compiled in memory from its source, and a class loader of its own to load
 * it (under the agent, which reads class bytes through the loader as resources).
 */
final class Compiled extends ClassLoader {
    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();
    private static final StandardJavaFileManager FILES = JAVAC.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);

    private final Map<String, byte[]> classes;

    private Compiled(Map<String, byte[]> classes) {
        super("version", Compiled.class.getClassLoader());
        this.classes = classes;
    }

    /** Compiles {@code source}, the unit of {@code className} (with its nested and lambda classes), with -g. */
    static synchronized Compiled of(String className, String source) {
        Map<String, byte[]> out = new HashMap<>();
        ForwardingJavaFileManager<StandardJavaFileManager> memory = new ForwardingJavaFileManager<>(FILES) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind,
                                                       FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return new ByteArrayOutputStream() {
                            @Override
                            public void close() {
                                out.put(name, toByteArray());
                            }
                        };
                    }
                };
            }
        };
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + className.replace('.', '/') + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("--release", "17", "-g", "-proc:none", "-classpath", System.getProperty("java.class.path"));
        if (!JAVAC.getTask(null, memory, diagnostics, options, null, List.of(unit)).call()) {
            throw new AssertionError("does not compile: " + diagnostics.getDiagnostics() + "\n" + source);
        }
        return new Compiled(out);
    }

    /** The same classes in a loader of their own. */
    Compiled again() {
        return new Compiled(classes);
    }

    Class<?> load(String name) throws ClassNotFoundException {
        return Class.forName(name, true, this);
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
            byte[] b = classes.get(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
            if (b != null) {
                return new ByteArrayInputStream(b);
            }
        }
        return super.getResourceAsStream(name);
    }

    /** Deletes what the agent dumped of {@code pkg} (a class name's package, dots): versions overwrite each other there. */
    static void forgetDumps(String pkg) throws IOException {
        String dump = System.getProperty("bobbin.dump");
        if (dump == null) {
            return;
        }
        Path dir = Path.of(dump, pkg.replace('.', '/'));
        if (Files.isDirectory(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }
}
