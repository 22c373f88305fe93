package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Errors of the JVM inside a continuation, and very deep stacks. Not run under the torture mode:
 * there every frame of a 10,000-deep stack would suspend on entry and restore all the frames above it.
 */
class ErrorsAndDepthTest {
    @Suspendable
    static int bottomless(int n) {
        return bottomless(n + 1) + 1; // every call a suspension point, none suspends
    }

    @Test
    @Timeout(60)
    void aStackOverflowComesOutOfResumeAsItselfAndHarmsNothingElse() {
        Continuation c = new Continuation(() -> {
            Drive.pause();
            bottomless(0);
        });
        c.resume(); // suspended
        assertThrows(StackOverflowError.class, c::resume);
        assertTrue(c.isDone());
        assertThrows(IllegalStateException.class, c::resume);
        Drive.Outcome<Integer> after = Drive.run(() -> Drive.pauseThen(7));
        assertEquals(7, (int) after.value);
        assertEquals(1, after.suspensions);
    }

    @Suspendable
    static long[] tooBig() {
        Drive.pause();
        return new long[Integer.MAX_VALUE - 2];
    }

    @Test
    void anOutOfMemoryErrorComesOutOfResumeAsItself() {
        Continuation c = new Continuation(() -> tooBig());
        c.resume();
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, c::resume);
        assertTrue(c.isDone(), e.toString());
        assertEquals(3, (int) Drive.run(() -> Drive.pauseThen(3)).value);
    }

    @Suspendable
    static long deep(int n, long acc) {
        if (n == 0) {
            Drive.pause();
            return acc;
        }
        long r = deep(n - 1, acc + n);
        return r ^ (n & 1);
    }

    @Test
    @Timeout(60)
    void aContinuationSuspendedTenThousandFramesDeepResumes() throws Exception {
        long plain = deep(10_000, 0);
        Drive.Outcome<Long> o = Drive.run(() -> deep(10_000, 0));
        assertEquals(plain, (long) o.value);
        assertEquals(1, o.suspensions);
        assertEquals(plain, (long) Drive.runHopping(() -> deep(10_000, 0)).value);
    }
}
