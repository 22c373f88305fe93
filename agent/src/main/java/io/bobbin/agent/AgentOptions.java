package io.bobbin.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The agent's options, given as {@code -javaagent:bobbin-agent.jar=opt1,opt2=value}:
 * <dl>
 *   <dt>{@code verbose}</dt><dd>log every class the agent instruments, and every class it retransforms</dd>
 *   <dt>{@code dump=DIR}</dt><dd>write every instrumented class to {@code DIR/<package>/<Name>.class}</dd>
 *   <dt>{@code suspendables=FILE}</dt><dd>more suspendable methods, one a line (see {@link ExtraSuspendables});
 *       may be given more than once</dd>
 *   <dt>{@code all=PACKAGE}</dt><dd>every method of every class in that package and its subpackages is
 *       suspendable, as if each class were marked; may be given more than once</dd>
 *   <dt>{@code torture}</dt><dd>testing aid: every instrumented method really suspends on entry and is resumed at once,
 *       every 7th time on another thread (system property {@code bobbin.torture.hop} changes 7)</dd>
 *   <dt>{@code verify}</dt><dd>check every instrumented class with ASM's analyzer before it is used; a class
 *       that fails is left as it was, with a warning</dd>
 * </dl>
 * An unknown or malformed option stops the JVM at start-up with a message that says which (the
 * {@link IllegalArgumentException} of {@link #parse}, which {@link BobbinAgent} tags as the agent's).
 */
final class AgentOptions {
    boolean verbose;
    boolean verify;
    boolean torture;
    Path dump;
    final ExtraSuspendables extras = new ExtraSuspendables();

    static AgentOptions parse(String args) {
        AgentOptions o = new AgentOptions();
        if (args == null || args.isBlank()) {
            return o;
        }
        for (String raw : args.split(",")) {
            String opt = raw.trim();
            if (opt.isEmpty()) {
                continue;
            }
            int eq = opt.indexOf('=');
            String key = eq < 0 ? opt : opt.substring(0, eq);
            String value = eq < 0 ? null : opt.substring(eq + 1);
            switch (key) {
                case "verbose":
                    noValue(key, value);
                    o.verbose = true;
                    break;
                case "verify":
                    noValue(key, value);
                    o.verify = true;
                    break;
                case "torture":
                    noValue(key, value);
                    o.torture = true;
                    break;
                case "all":
                    o.extras.parse(required(key, value) + ".**", "agent option '" + opt + "'");
                    break;
                case "dump":
                    o.dump = Paths.get(required(key, value));
                    break;
                case "suspendables":
                    Path file = Paths.get(required(key, value));
                    try {
                        o.extras.parse(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString());
                    } catch (IOException e) {
                        throw new IllegalArgumentException("cannot read suspendables file " + file + " (agent option '"
                                + opt + "'): " + e + "; check the path");
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + opt + "' given to the agent; the options are"
                            + " verbose, verify, torture, dump=DIR, suspendables=FILE and all=PACKAGE, separated by commas");
            }
        }
        return o;
    }

    private static void noValue(String key, String value) {
        if (value != null) {
            throw new IllegalArgumentException("agent option '" + key + "' takes no value; write it as " + key);
        }
    }

    private static String required(String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("agent option '" + key + "' needs a value; write it as " + key + "=...");
        }
        return value;
    }
}
