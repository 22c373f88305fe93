package io.bobbin.junit.samples;

import io.bobbin.Async;
import io.bobbin.Suspendable;
import io.bobbin.junit.OnEventLoop;
import org.junit.jupiter.api.Test;

/** Mistakes that get a clear message. */
public class MisuseSample {

    @Test
    @OnEventLoop(seeds = {1, 2})
    @Suspendable
    void hasSeedsButIsATest() {
        Log.add("ran without a seed");
    }

    @Test
    @OnEventLoop
    void isNotSuspendable() {
        Async.yieldNow();
        Log.add("ran uninstrumented");
    }
}
