package io.bobbin.agent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The agent's few words: warnings always, the rest when {@code verbose} is on. On standard error. */
final class Log {
    static volatile boolean verbose;
    private static final Set<String> warnedOnce = ConcurrentHashMap.newKeySet();

    private Log() {}

    static void warn(String message) {
        System.err.println("[bobbin] WARNING: " + message);
    }

    /** Warns once per key, so that a class is never reported twice for the same reason. */
    static void warnOnce(String key, String message) {
        if (warnedOnce.add(key)) {
            warn(message);
        }
    }

    static void info(String message) {
        if (verbose) {
            System.err.println("[bobbin] " + message);
        }
    }
}
