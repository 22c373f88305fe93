package io.bobbin.internal.cont;

/**
 * A continuation's attachment (its task) told, inside the body, each time a suspension made with
 * {@code Continuation.suspend()} has been resumed. Called on the thread that resumed it.
 */
public interface ResumeHook {
    /** Runs in the body's frame of {@code suspend()}; what it throws comes out of {@code suspend()}. */
    void resumed();
}
