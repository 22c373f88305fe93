package io.bobbin.junit.samples;

import io.bobbin.Async;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import io.bobbin.junit.OnEventLoop;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** Tests that return while tasks they started still run. */
@Suspendable
@OnEventLoop(virtualTime = true)
public class LeakSample {

    @Test
    void leavesASleeperAndAYielderRunning() {
        Async.spawn(() -> {
            try {
                Async.sleep(Duration.ofDays(1));
            } finally {
                Log.add("sleeper's finally ran");
            }
            return null;
        });
        Async.spawn(() -> {
            while (true) {
                Async.yieldNow();
            }
        });
        Async.yieldNow(); // both have started
    }

    @Test
    void failsAndLeaks() {
        Async.spawn(() -> {
            Async.sleep(Duration.ofHours(1));
            return null;
        });
        throw new IllegalStateException("the test's own failure");
    }

    @Test
    void joinsWhatItStarts() throws Exception {
        Task<String> t = Async.spawn(() -> {
            Async.sleep(Duration.ofHours(1));
            return "done";
        });
        Task<String> cancelled = Async.spawn(() -> {
            Async.sleep(Duration.ofHours(2));
            return "never";
        });
        t.join();
        cancelled.cancel();
        try {
            cancelled.join();
        } catch (CancellationException expected) {
            Log.add("joined both");
        }
    }
}
