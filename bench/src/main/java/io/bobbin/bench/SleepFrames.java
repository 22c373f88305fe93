package io.bobbin.bench;

import io.bobbin.Async;
import io.bobbin.Suspendable;
import java.time.Duration;

/** {@link Frames#down} for event-loop tasks: {@code n} frames, then {@link Async#sleep} at the bottom. */
public final class SleepFrames {
    private SleepFrames() {}

    @Suspendable
    public static int down(int n, long acc, Duration sleep) {
        if (n <= 1) {
            Async.sleep(sleep);
            return (int) acc;
        }
        int r = down(n - 1, acc + n, sleep);
        return r + n;
    }
}
