package io.bobbin.agent;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent jar's command line, {@code java -jar bobbin-agent.jar instrument [OPTION...] SOURCE TARGET}:
 * build-time instrumentation ({@link AheadOfTime}) of a jar or a folder of classes. Exit codes: 0
 * done, 1 a class cannot be instrumented (it is named; nothing is written) or a file cannot be read
 * or written, 2 bad arguments (with the usage).
 */
public final class Cli {
    static final String USAGE = String.join("\n",
            "usage: java -jar bobbin-agent.jar instrument [OPTION...] SOURCE TARGET",
            "",
            "Instruments the suspendable methods of the classes in SOURCE, a jar or a folder of classes, into TARGET",
            "(a jar if it is a file or its name ends in .jar or .zip, else a folder; it may be SOURCE itself), so that",
            "they run without -javaagent: put bobbin-runtime.jar on their class path. Resources, the manifest and",
            "classes with nothing to instrument are copied as they are, and classes instrumented already are left as",
            "they are, so running it again on its output changes nothing. Signed jars are refused.",
            "",
            "options (the agent's, one an argument):",
            "  --classpath PATH, -cp PATH  jars and folders (separated by '" + File.pathSeparator + "') where the classes",
            "                              that SOURCE uses are found; SOURCE and the JDK are searched too, and so is",
            "                              bobbin-runtime.jar, which must be here unless it sits next to this jar",
            "  suspendables=FILE           more suspendable methods, one a line; may be repeated",
            "  all=PACKAGE                 every method of every class in PACKAGE and its subpackages is suspendable;",
            "                              may be repeated",
            "  verify                      check every instrumented class; one that fails stops everything (exit 1)",
            "  torture                     testing aid: a suspension point at the entry of every instrumented method",
            "                              (it suspends when the program runs with -Dbobbin.torture=true)",
            "  verbose                     name every class instrumented",
            "  dump=DIR                    also write every instrumented class to DIR",
            "  --help                      this text",
            "",
            "exit status: 0 done, 1 a class cannot be instrumented (nothing is written) or a file cannot be read",
            "or written, 2 bad arguments");

    private Cli() {}

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the command line; returns its exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("instrument")) {
            if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
                out.println(USAGE);
                return 0;
            }
            err.println(args.length == 0 ? "bobbin-agent.jar: a command is needed: instrument"
                    : "bobbin-agent.jar: unknown command '" + args[0] + "'; the command is instrument");
            err.println(USAGE);
            return 2;
        }
        List<String> options = new ArrayList<>();
        List<Path> classPath = new ArrayList<>();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE);
                return 0;
            } else if (a.equals("--classpath") || a.equals("-cp") || a.equals("--class-path")) {
                if (i + 1 == args.length) {
                    return usage(err, "option " + a + " needs a value: jars and folders separated by '" + File.pathSeparator + "'");
                }
                addPath(classPath, args[++i]);
            } else if (a.startsWith("--classpath=") || a.startsWith("--class-path=")) {
                addPath(classPath, a.substring(a.indexOf('=') + 1));
            } else if (a.startsWith("-")) {
                return usage(err, "unknown option '" + a + "'");
            } else {
                positional.add(a);
            }
        }
        if (positional.size() < 2) {
            return usage(err, positional.isEmpty() ? "SOURCE and TARGET are missing" : "TARGET is missing");
        }
        options.addAll(positional.subList(0, positional.size() - 2));
        Path source = Paths.get(positional.get(positional.size() - 2));
        Path target = Paths.get(positional.get(positional.size() - 1));
        if (!Files.exists(source)) {
            return usage(err, "SOURCE " + source + " does not exist");
        }
        for (Path p : classPath) {
            if (!Files.exists(p)) {
                return usage(err, "class path entry " + p + " does not exist");
            }
        }
        List<Path> lookups = new ArrayList<>();
        lookups.add(source);
        lookups.addAll(classPath);
        if (!AheadOfTime.hasRuntime(lookups)) {
            Path runtime = runtimeNextToThisJar();
            if (runtime == null) {
                return usage(err, "bobbin-runtime.jar is in neither SOURCE nor the class path, nor next to this jar:"
                        + " add it with --classpath");
            }
            lookups.add(runtime);
        }
        AheadOfTime aot;
        try {
            aot = new AheadOfTime(options, lookups, w -> err.println("warning: " + w), out::println);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        try (AheadOfTime a = aot) {
            out.println(a.instrument(source, target));
            return 0;
        } catch (AheadOfTime.ClassFailure e) {
            err.println("instrument: " + e.getMessage() + "; " + target + " was not written");
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("instrument: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("instrument: " + problem);
        err.println("run 'java -jar bobbin-agent.jar instrument --help' for the options");
        return 2;
    }

    private static void addPath(List<Path> classPath, String value) {
        for (String p : value.split(File.pathSeparator)) {
            if (!p.isEmpty()) {
                classPath.add(Paths.get(p));
            }
        }
    }

    /**
     * bobbin-runtime.jar where it is found beside the agent's jar: in the same folder, in this
     * project's build ({@code agent/target} and {@code runtime/target}), or in a Maven repository.
     */
    static Path runtimeNextToThisJar() {
        Path self;
        try {
            self = Paths.get(Cli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
        Path dir = self.toAbsolutePath().getParent();
        String v = AheadOfTime.version();
        List<Path> candidates = List.of(dir.resolve("bobbin-runtime.jar"), dir.resolve("bobbin-runtime-" + v + ".jar"),
                dir.resolve("../../runtime/target/bobbin-runtime.jar"),
                dir.resolve("../../bobbin-runtime/" + v + "/bobbin-runtime-" + v + ".jar"));
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                return c.normalize();
            }
        }
        return null;
    }
}
