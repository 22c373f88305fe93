package io.bobbin.fuzz;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import org.junit.jupiter.api.Test;

/**
 * A fault armed by an unanchored frame outlives its call when the call throws before the callee is
 * entered (a null receiver) and the exception is caught by a plain frame: the next unanchored
 * suspendable method that the plain frame calls takes that stale fault, and the exception of its
 * suspension names the first method (which is no longer on the stack) instead of the plain frame
 * that is at fault. Still an IllegalStateException, so only the message is wrong: "firstUnanchored
 * was called by a frame that is not instrumented" instead of "victim was called by plainCatcher".
 * Found by reading FrameStack's arming protocol (the same before and after f4c6f25).
 */
class StaleFaultRegressionTest {
    static final class Target {
        @Suspendable
        void go() {
            Continuation.suspend();
        }
    }

    /** Entered from a plain frame: unanchored. Its call to go() throws before go() is entered. */
    @Suspendable
    static void firstUnanchored(Target t) {
        t.go();
    }

    /** Entered from a plain frame too; this one really tries to suspend. */
    @Suspendable
    static void victim() {
        Continuation.suspend();
    }

    /** Plain: not suspendable, not instrumented. */
    static void plainCatcher() {
        try {
            firstUnanchored(null);
        } catch (NullPointerException expected) {
            // swallowed
        }
        victim();
    }

    @Test

    void theFaultNamesTheFramesOfThisSuspension() {
        Continuation c = new Continuation(StaleFaultRegressionTest::plainCatcherBody);
        IllegalStateException e = assertThrows(IllegalStateException.class, c::resume);
        assertTrue(e.getMessage().contains("victim") && e.getMessage().contains("plainCatcher"), e.getMessage());
    }

    @Suspendable
    static void plainCatcherBody() {
        plainCatcher();
    }
}
