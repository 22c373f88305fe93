package io.bobbin.core;

import io.bobbin.Suspendable;
import io.bobbin.agent.InstrumentedBy;

/**
 * Marked, but left uninstrumented by the agent: it carries the instrumenter's mark of a class
 * instrumented already (by another version: the agent warns once and leaves it as it is). A class
 * the agent did not transform, under an active agent.
 */
@InstrumentedBy(version = "a version of the tests, so that the agent leaves this class alone")
final class LeftAlone {
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
