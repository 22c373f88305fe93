package io.bobbin.bench;

import java.util.concurrent.CountDownLatch;

/** {@link Frames} without {@code @Suspendable}: what the JDK's continuation and the threads run. */
public final class PlainFrames {
    private PlainFrames() {}

    /** {@code n} frames, then {@link JdkContinuations#yieldNow()} at the bottom. */
    public static int downYieldJdk(int n, long acc) {
        if (n <= 1) {
            JdkContinuations.yieldNow();
            return (int) acc;
        }
        int r = downYieldJdk(n - 1, acc + n);
        return r + n;
    }

    /** {@code n} frames, then count down {@code parked} and sleep at the bottom (memory benchmark). */
    public static int downSleep(int n, long acc, CountDownLatch parked, long millis) throws InterruptedException {
        if (n <= 1) {
            parked.countDown();
            Thread.sleep(millis);
            return (int) acc;
        }
        int r = downSleep(n - 1, acc + n, parked, millis);
        return r + n;
    }
}
