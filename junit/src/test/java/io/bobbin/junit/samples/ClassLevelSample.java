package io.bobbin.junit.samples;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.junit.OnEventLoop;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code @OnEventLoop} on the class: every test, invocations and nested classes included, on a loop of its own. */
@Suspendable
@OnEventLoop(virtualTime = true)
public class ClassLevelSample {

    @Suspendable
    static void sleepAndLog(String what, long seconds) {
        Async.sleep(Duration.ofSeconds(seconds));
        EventLoop loop = EventLoop.current();
        Log.add(what + " at " + loop.time() / 1_000_000_000L + " s on " + loop.name());
    }

    @Test
    void aTest() {
        sleepAndLog("test", 5);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aParameterizedTest(int seconds) {
        sleepAndLog("parameterized " + seconds, seconds);
    }

    @RepeatedTest(2)
    void aRepeatedTest() {
        sleepAndLog("repeated", 7);
    }

    @Test
    @OnEventLoop
    void aMethodsOwnAnnotationWins() {
        Log.add("own annotation: virtual " + (EventLoop.current().time() == 0)); // a system clock has moved since the loop began
    }

    @Nested
    @Suspendable
    class Inner {
        @Test
        void aNestedTest() {
            sleepAndLog("nested", 3);
        }
    }
}
