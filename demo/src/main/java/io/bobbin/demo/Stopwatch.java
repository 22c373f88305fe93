package io.bobbin.demo;

/** Milliseconds since the demo started, for the time stamps the demos print. */
final class Stopwatch {
    private final long start = System.nanoTime();

    long millis() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** {@code "+  123 ms"}. */
    String stamp() {
        return String.format("+%5d ms", millis());
    }
}
