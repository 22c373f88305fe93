package io.bobbin.demo;

/** One step of the tour: a name, one line that says what it shows, and a body. */
interface Demo {
    String name();

    String summary();

    /** Prints what the demo does as it happens; returns the process exit code. */
    int run(Args args) throws Exception;
}
