package io.bobbin.bench;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;

/**
 * The call chains that the switch and memory benchmarks suspend through, instrumented by the
 * agent. {@link PlainFrames} is the same code without {@code @Suspendable}, for the JDK's
 * continuation and the threads, so that they run exactly what they would run without Bobbin.
 */
public final class Frames {
    private Frames() {}

    /**
     * {@code n} frames of this method, each holding an int and a long, then a suspension at the bottom:
     * call depth {@code n}.
     */
    @Suspendable
    public static int down(int n, long acc) {
        if (n <= 1) {
            Continuation.suspend();
            return (int) acc;
        }
        int r = down(n - 1, acc + n);
        return r + n;
    }
}
