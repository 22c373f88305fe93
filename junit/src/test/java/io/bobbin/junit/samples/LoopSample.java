package io.bobbin.junit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.junit.OnEventLoop;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Tests on event loops, and one that is not. */
@Suspendable
public class LoopSample {
    static EventLoop first;

    /** The loop of {@link #runsAsTheMainTaskOfAFreshLoop()}, once it ran. */
    public static EventLoop firstLoop() {
        return first;
    }

    @Test
    @OnEventLoop
    void runsAsTheMainTaskOfAFreshLoop() {
        EventLoop loop = EventLoop.current();
        Log.add("main task: " + (Async.currentTask() != null) + ", loop " + loop.name());
        Async.sleep(Duration.ofMillis(1)); // a real suspension of the test method
        Log.add("slept on " + EventLoop.current().name() + ", virtual: " + (loop.time() == 0));
        first = loop;
    }

    @Test
    @OnEventLoop(virtualTime = true)
    void sleepsADayOfVirtualTime() {
        long t0 = System.nanoTime();
        Async.sleep(Duration.ofDays(1));
        Log.add("virtual time " + EventLoop.current().time() + " after " + ((System.nanoTime() - t0) < 5_000_000_000L ? "a moment" : "too long"));
        assertEquals(Duration.ofDays(1).toNanos(), EventLoop.current().time());
    }

    @Test
    @OnEventLoop
    void failsAsUsual() {
        Async.yieldNow();
        assertEquals(1, 2, "a plain failure");
    }

    @Test
    void isNotOnALoop() {
        Log.add("plain test: loop " + EventLoop.current());
    }
}
