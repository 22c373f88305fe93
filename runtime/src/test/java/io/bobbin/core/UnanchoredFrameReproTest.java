package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Agent bug reproducer (found while building the event loop; left for the agent's owner).
 *
 * <p>A suspendable method with no suspension point of its own (here the body lambda, which only
 * calls the plain method {@link #plain()}) is left uninstrumented, so it never takes the call state
 * that {@code resume()} (or an instrumented caller) armed for it. The plain method it calls then
 * hands that {@code ARMED} state on to {@link #leaf()}, whose {@code enter} takes it for an intact
 * chain: the suspension goes through the uninstrumented frame of {@code plain()} silently (that
 * frame just returns, and is lost), instead of {@code suspend()} throwing IllegalStateException
 * naming {@code plain}. API.md: "A suspension that cannot be done correctly is never done silently".
 *
 * <p>In the event loop it shows as: a task body {@code () -> helper()} where {@code helper} is not
 * {@code @Suspendable} and calls {@code Async.sleep}: the sleep "works" but {@code helper} returns at
 * once, without sleeping.
 */
class UnanchoredFrameReproTest {
    @Suspendable
    static void leaf() {
        Continuation.suspend();
    }

    static String plain() { // not suspendable: a suspension through here cannot be done
        leaf();
        return "plain returned";
    }

    @Test
    @Disabled("agent bug: suspendable methods without suspension points are not instrumented, so ARMED leaks through plain frames")
    void suspendingThroughAPlainFrameBelowAnUninstrumentedSuspendableThrows() {
        String[] out = new String[1];
        Continuation c = new Continuation(() -> {
            out[0] = plain();
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, c::resume);
        assertTrue(e.getMessage().contains("plain"), e.getMessage());
    }
}
