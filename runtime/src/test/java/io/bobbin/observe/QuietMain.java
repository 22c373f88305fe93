package io.bobbin.observe;

import io.bobbin.Async;
import io.bobbin.Continuation;
import io.bobbin.EventLoop;
import java.time.Duration;
import java.util.List;

/**
 * Run in a JVM of its own by {@link FlightRecorderTest}: a program that uses loops (tasks, the pool,
 * timers) and meets a refused suspension, without ever starting Flight Recorder or setting a
 * slow-step threshold.
 */
public final class QuietMain {
    private QuietMain() {}

    public static void main(String[] args) throws Exception {
        int n = EventLoop.run(() -> {
            Async.sleep(Duration.ofMillis(5));
            return Async.spawn(() -> Async.blocking(() -> 41)).join() + 1;
        });
        Continuation c = new Continuation(() -> List.of(1).forEach(i -> Continuation.suspend()));
        try {
            c.resume();
        } catch (IllegalStateException expected) {
            n++;
        }
        System.out.println("quiet: " + n);
        System.out.println("watchdog threads: " + Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("bobbin-slow-step-watchdog")).count());
    }
}
