package io.bobbin.junit.samples;

import io.bobbin.Async;
import io.bobbin.Suspendable;
import io.bobbin.junit.OnEventLoop;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** JUnit's own {@code @Timeout} still applies: to a plain test, and to one on an event loop. */
@Suspendable
public class TimeoutSample {

    @Test
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void blocksTooLong() throws InterruptedException {
        Thread.sleep(20_000);
    }

    @Test
    @OnEventLoop
    @Timeout(value = 1, unit = TimeUnit.SECONDS)
    void waitsTooLongOnItsLoop() {
        try {
            Async.sleep(Duration.ofSeconds(20));
        } finally {
            Log.add("cancelled on the loop, finally ran");
        }
    }
}
