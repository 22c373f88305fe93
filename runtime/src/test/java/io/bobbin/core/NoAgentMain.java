package io.bobbin.core;

import io.bobbin.Async;
import io.bobbin.Continuation;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import java.time.Duration;

/**
 * Run in a JVM of its own, WITHOUT the agent, by {@link AgentProcessTest}: what a user who forgot
 * {@code -javaagent} sees. Prints one line per case: {@code <case>: <message>}.
 */
public final class NoAgentMain {
    private NoAgentMain() {}

    @Suspendable
    static void countTo(int n) {
        for (int i = 0; i < n; i++) {
            Continuation.suspend();
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("agent property: " + System.getProperty("io.bobbin.agent.active"));
        Continuation c = new Continuation(() -> countTo(3));
        try {
            c.resume();
            System.out.println("continuation: no failure");
        } catch (IllegalStateException e) {
            System.out.println("continuation: " + e.getMessage());
        }
        try {
            EventLoop.run(() -> Async.sleep(Duration.ofMillis(1)));
            System.out.println("loop: no failure");
        } catch (IllegalStateException e) {
            System.out.println("loop: " + e.getMessage());
        }
    }
}
