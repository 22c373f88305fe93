package io.bobbin.maven;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a goal left in its classes folder, kept in a small text file under {@code target/bobbin/}: for
 * each class file, its size and time as the goal last saw or wrote it, and whether it is instrumented;
 * and the key of the instrumentation (Bobbin's version and the options). A class file whose size and
 * time are as recorded is one the compiler did not write again since.
 *
 * <p>Format: a comment line, {@code key <key>}, then one line per class: {@code <size> <millis> <I|-> <path>}.
 */
final class ClassesState {
    /** One class file as last seen. */
    static final class Entry {
        final long size;
        final long modified;
        final boolean instrumented;

        Entry(long size, long modified, boolean instrumented) {
            this.size = size;
            this.modified = modified;
            this.instrumented = instrumented;
        }

        boolean sameFile(long size, long modified) {
            return this.size == size && this.modified == modified;
        }
    }

    final String key;
    final Map<String, Entry> entries;

    ClassesState(String key, Map<String, Entry> entries) {
        this.key = key;
        this.entries = entries;
    }

    /** The state in {@code file}, or {@code null} if there is none or it cannot be read (everything is looked at again). */
    static ClassesState read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String key = null;
            Map<String, Entry> entries = new TreeMap<>();
            for (String line : lines) {
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("key ")) {
                    key = line.substring(4);
                    continue;
                }
                String[] f = line.split(" ", 4);
                entries.put(f[3], new Entry(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2].equals("I")));
            }
            return key == null ? null : new ClassesState(key, entries);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Writes the state, through a temporary file, so that a build stopped half-way leaves the old one whole. */
    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            w.write("# bobbin-maven-plugin: the classes as it last left them; delete this file to look at every class again\n");
            w.write("key " + key + "\n");
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                Entry v = e.getValue();
                w.write(v.size + " " + v.modified + " " + (v.instrumented ? "I" : "-") + " " + e.getKey() + "\n");
            }
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
