package io.bobbin.demo;

import java.util.List;

/** One step of the tour: a name, one line that says what it shows, its options, and a body. */
interface Demo {
    String name();

    String summary();

    /** Its command-line options (besides {@code --help}). */
    default List<Option> options() {
        return List.of();
    }

    /** Prints what the demo does as it happens; returns the process exit code. */
    int run(Args args) throws Exception;
}
