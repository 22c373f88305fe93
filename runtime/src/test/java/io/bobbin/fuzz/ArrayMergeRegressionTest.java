package io.bobbin.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import org.junit.jupiter.api.Test;

/**
 * Found by the fuzzer (seed 9 of the first runs): a local that holds arrays of different dimensions
 * ({@code int[][]} or {@code String[]}, which the JVM's verifier merges to {@code Object[]}) is live
 * across a suspension point. The agent's type analysis merges them to {@code java/lang/Object}, so
 * the restore path stores an {@code Object} into the local; at the join with the normal path the
 * stack map frame says {@code Object}, and the {@code areturn} (or {@code arraylength}, {@code aaload})
 * that needs an {@code Object[]} no longer verifies: {@code VerifyError: Bad return type} when the
 * class loads.
 */
class ArrayMergeRegressionTest {

    static final class Holder {
        @Suspendable
        static Object[] pick(boolean c) {
            Object[] a = c ? new int[][] {{1, 2}} : new String[] {"x"};
            point();
            return a;
        }

        @Suspendable
        static void point() {
            if (Continuation.current() != null) {
                Continuation.suspend();
            }
        }
    }

    static final class Holder2 {
        @Suspendable
        static int length(boolean c) {
            Object[] a = c ? new Integer[] {1, 2} : new String[][] {{"x"}};
            Holder.point();
            return a.length;
        }
    }

    @Test

    void arraysOfDifferentDimensionsMergeToObjectArray() {
        Object[][] out = new Object[1][];
        Continuation c = new Continuation(() -> out[0] = Holder.pick(false));
        c.resume();
        c.resume();
        assertTrue(c.isDone());
        assertArrayEquals(new Object[] {"x"}, out[0]);
    }

    @Test

    void arrayLengthOfMergedArrays() {
        int[] out = new int[1];
        Continuation c = new Continuation(() -> out[0] = Holder2.length(true));
        c.resume();
        c.resume();
        assertTrue(c.isDone());
        assertEquals(2, out[0]);
    }
}
