package io.bobbin;

/** A computation that may suspend and returns a value: the body of a task. */
@FunctionalInterface
public interface SuspendableCallable<V> {
    @Suspendable
    V call() throws Exception;
}
