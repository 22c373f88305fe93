package sample.handlers;

import io.bobbin.Async;
import java.time.Duration;

/** Not annotated: suspendable through the plugin's {@code <all>} configuration. */
public final class Greeter {
    private Greeter() {}

    public static String greet(String who) {
        Async.sleep(Duration.ofMillis(5));
        return "hello " + who;
    }
}
