package io.bobbin.core;

import io.bobbin.Suspendable;

/**
 * Marked, but left uninstrumented by the agent: its bytes name the frame store, which the agent
 * takes for the sign of a class it has instrumented already (as after a retransformation), so it
 * leaves the class as it is. A class the agent did not transform, under an active agent.
 */
final class LeftAlone {
    /** Keeps the frame store's name in this class's constant pool. */
    static final String LOOKS_INSTRUMENTED = "io/bobbin/internal/cont/FrameStack";

    private LeftAlone() {}

    @Suspendable
    static void marked() {
        FaultsTest.suspendableTarget();
    }

    /** Called from an instrumented frame (the test's), so that the frame at fault is {@link #marked}. */
    static String viaMarked() {
        try {
            marked();
            return "not reached";
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }
}
