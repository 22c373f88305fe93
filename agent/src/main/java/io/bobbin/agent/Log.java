package io.bobbin.agent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The agent's few words: warnings always, the rest when {@code verbose} is on. On standard error.
 *
 * <p>One style for every message of the agent, warning or error: it says what happened, where (the
 * class and method, the file and line, or the option), and what to do about it; it is a sentence
 * in lower case with no prefix of its own. The prefix is added here ({@value #PREFIX}), and by
 * {@link BobbinAgent} to the one error that leaves the agent: a bad option, which stops the JVM at
 * start-up. Nothing else the agent meets makes class loading fail: a class or method it cannot
 * instrument is left as it was, with one warning.
 *
 * <p>Build-time instrumentation ({@link AheadOfTime}) sends the same messages elsewhere (a build
 * tool's log) with {@link #redirect}: the redirection holds for the calling thread only, and has
 * its own "once" memory, so that two builds in one JVM each report what they meet.
 */
final class Log {
    static final String PREFIX = "[bobbin] ";
    static volatile boolean verbose;
    private static final Set<String> warnedOnce = ConcurrentHashMap.newKeySet();
    /** The calling thread's redirection, or {@code null}: set and cleared by the thread itself. */
    private static final ThreadLocal<Sink> redirected = new ThreadLocal<>();

    /** Where one thread's messages go instead of standard error, without the prefix. */
    static final class Sink {
        final Consumer<String> warnings;
        final Consumer<String> infos;
        final Set<String> warnedOnce = ConcurrentHashMap.newKeySet();

        /** {@code infos} may be {@code null}: the thread's info messages are then dropped. */
        Sink(Consumer<String> warnings, Consumer<String> infos) {
            this.warnings = warnings;
            this.infos = infos;
        }
    }

    private Log() {}

    /** Sends the calling thread's messages to {@code sink} until {@link #restore} is called with the value returned. */
    static Sink redirect(Sink sink) {
        Sink previous = redirected.get();
        redirected.set(sink);
        return previous;
    }

    static void restore(Sink previous) {
        if (previous == null) {
            redirected.remove();
        } else {
            redirected.set(previous);
        }
    }

    static void warn(String message) {
        Sink s = redirected.get();
        if (s != null) {
            s.warnings.accept(message);
        } else {
            System.err.println(PREFIX + "WARNING: " + message);
        }
    }

    /** Warns once per key, so that a class is never reported twice for the same reason. */
    static void warnOnce(String key, String message) {
        Sink s = redirected.get();
        if ((s != null ? s.warnedOnce : warnedOnce).add(key)) {
            warn(message);
        }
    }

    static void info(String message) {
        Sink s = redirected.get();
        if (s != null) {
            if (s.infos != null) {
                s.infos.accept(message);
            }
        } else if (verbose) {
            System.err.println(PREFIX + message);
        }
    }
}
