package io.bobbin.agent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's few words: warnings always, the rest when {@code verbose} is on. On standard error.
 *
 * <p>One style for every message of the agent, warning or error: it says what happened, where (the
 * class and method, the file and line, or the option), and what to do about it; it is a sentence
 * in lower case with no prefix of its own. The prefix is added here ({@value #PREFIX}), and by
 * {@link BobbinAgent} to the one error that leaves the agent: a bad option, which stops the JVM at
 * start-up. Nothing else the agent meets makes class loading fail: a class or method it cannot
 * instrument is left as it was, with one warning.
 */
final class Log {
    static final String PREFIX = "[bobbin] ";
    static volatile boolean verbose;
    private static final Set<String> warnedOnce = ConcurrentHashMap.newKeySet();

    private Log() {}

    static void warn(String message) {
        System.err.println(PREFIX + "WARNING: " + message);
    }

    /** Warns once per key, so that a class is never reported twice for the same reason. */
    static void warnOnce(String key, String message) {
        if (warnedOnce.add(key)) {
            warn(message);
        }
    }

    static void info(String message) {
        if (verbose) {
            System.err.println(PREFIX + message);
        }
    }
}
