package io.bobbin.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import org.junit.jupiter.api.Test;

/**
 * A local that holds a {@code StringBuilder} or a {@code StringBuffer} is live across a suspension
 * point. Their most specific common superclass is {@code java.lang.AbstractStringBuilder}, which is
 * not public; the restore path casts the saved value to it ({@code checkcast
 * java/lang/AbstractStringBuilder}) and the resume fails with {@code IllegalAccessError}. The same
 * happens with any type the code cannot access: a package-private class of another package returned
 * by a public method, or the common superclass of two public classes.
 */
class HiddenSuperclassRegressionTest {

    static final class Holder {
        @Suspendable
        static String text(boolean c) {
            CharSequence s = c ? new StringBuilder("builder") : new StringBuffer("buffer");
            point();
            return s.toString();
        }

        @Suspendable
        static void point() {
            if (Continuation.current() != null) {
                Continuation.suspend();
            }
        }
    }

    @Test
    void plain() {
        assertEquals("builder", Holder.text(true));
    }

    @Test

    void resumesAValueOfANonPublicCommonSuperclass() {
        String[] out = new String[1];
        Continuation c = new Continuation(() -> out[0] = Holder.text(false));
        c.resume();
        c.resume();
        assertEquals(true, c.isDone());
        assertEquals("buffer", out[0]);
    }
}
