package io.bobbin;

/**
 * Blocking work that returns nothing, for {@link Async#blocking(BlockingRunnable)}: a
 * {@link Runnable} that may throw any exception. It runs on a thread of the loop's blocking pool
 * (or on the calling thread in plain code), never in a continuation, so it is not suspendable.
 */
@FunctionalInterface
public interface BlockingRunnable {
    void run() throws Exception;
}
