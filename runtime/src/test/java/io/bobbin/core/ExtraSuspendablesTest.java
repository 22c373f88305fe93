package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Methods named in {@code META-INF/bobbin/suspendables} (see the test resources) are suspendable
 * without annotations: here an interface that a user could not edit, and its lambdas.
 */
class ExtraSuspendablesTest {
    /** Not annotated: named in the resource file. */
    interface Step {
        int apply(int x);
    }

    /** Not annotated: named in the resource file with its descriptor. */
    static int triple(int x) {
        Drive.pause();
        return 3 * x;
    }

    @Test
    void namedMethodsAndTheirLambdasSuspend() {
        Step step = x -> triple(x) + 1;
        Drive.Outcome<Integer> o = Drive.run(() -> step.apply(2) + step.apply(3));
        assertEquals(7 + 10, (int) o.value);
        assertEquals(2, o.suspensions);
    }
}
