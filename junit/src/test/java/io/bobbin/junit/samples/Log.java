package io.bobbin.junit.samples;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What the samples saw, in order; cleared by the test before each run. */
public final class Log {
    private static final List<String> ENTRIES = Collections.synchronizedList(new ArrayList<>());

    private Log() {}

    public static void add(String entry) {
        ENTRIES.add(entry);
    }

    public static List<String> entries() {
        synchronized (ENTRIES) {
            return new ArrayList<>(ENTRIES);
        }
    }

    public static void clear() {
        ENTRIES.clear();
    }
}
