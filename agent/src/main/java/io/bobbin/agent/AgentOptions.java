package io.bobbin.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

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
 * Build-time instrumentation ({@link AheadOfTime}) takes the same options, one by one.
 */
final class AgentOptions {
    boolean verbose;
    boolean verify;
    boolean torture;
    Path dump;
    final ExtraSuspendables extras = new ExtraSuspendables();

    static AgentOptions parse(String args) {
        if (args == null || args.isBlank()) {
            return new AgentOptions();
        }
        return parse(Arrays.asList(args.split(",")), Source.AGENT);
    }

    /** How options are named in messages: given to the agent ({@code -javaagent:...=opts}), or to build-time instrumentation. */
    enum Source {
        AGENT("agent option", " given to the agent", ", separated by commas"),
        BUILD("option", "", "");

        final String noun;
        final String given;
        final String separated;

        Source(String noun, String given, String separated) {
            this.noun = noun;
            this.given = given;
            this.separated = separated;
        }
    }

    /**
     * Parses options one by one (a value may then hold commas). The same options as the agent's.
     *
     * @throws IllegalArgumentException for an unknown or malformed option, saying which
     */
    static AgentOptions parse(List<String> options, Source source) {
        AgentOptions o = new AgentOptions();
        for (String raw : options) {
            String opt = raw.trim();
            if (opt.isEmpty()) {
                continue;
            }
            int eq = opt.indexOf('=');
            String key = eq < 0 ? opt : opt.substring(0, eq);
            String value = eq < 0 ? null : opt.substring(eq + 1);
            switch (key) {
                case "verbose":
                    noValue(source, key, value);
                    o.verbose = true;
                    break;
                case "verify":
                    noValue(source, key, value);
                    o.verify = true;
                    break;
                case "torture":
                    noValue(source, key, value);
                    o.torture = true;
                    break;
                case "all":
                    o.extras.parse(required(source, key, value) + ".**", source.noun + " '" + opt + "'");
                    break;
                case "dump":
                    o.dump = Paths.get(required(source, key, value));
                    break;
                case "suspendables":
                    Path file = Paths.get(required(source, key, value));
                    try {
                        o.extras.parse(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString());
                    } catch (IOException e) {
                        throw new IllegalArgumentException("cannot read suspendables file " + file + " (" + source.noun
                                + " '" + opt + "'): " + e + "; check the path");
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + opt + "'" + source.given + "; the options are"
                            + " verbose, verify, torture, dump=DIR, suspendables=FILE and all=PACKAGE" + source.separated);
            }
        }
        return o;
    }

    private static void noValue(Source source, String key, String value) {
        if (value != null) {
            throw new IllegalArgumentException(source.noun + " '" + key + "' takes no value; write it as " + key);
        }
    }

    private static String required(Source source, String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(source.noun + " '" + key + "' needs a value; write it as " + key + "=...");
        }
        return value;
    }
}
