package io.bobbin.core.aot;

import io.bobbin.Async;
import io.bobbin.Continuation;
import io.bobbin.EventLoop;
import io.bobbin.Generator;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A small program that suspends in every way the runtime offers: a bare continuation, a generator,
 * and tasks of an event loop. {@code AheadOfTimeProcessTest} instruments it at build time and runs it
 * without the agent, with it, and not instrumented at all.
 */
public final class AotProgram {
    private AotProgram() {}

    @Suspendable
    static void count(List<String> out, String name, int n) {
        long total = 0;
        for (int i = 1; i <= n; i++) {
            total += i;
            out.add(name + i);
            Continuation.suspend();
        }
        out.add(name + " total " + total);
    }

    @Suspendable
    static String worker(String name, long millis) {
        Async.sleep(Duration.ofMillis(millis));
        return name + " slept";
    }

    public static void main(String[] args) throws Exception {
        List<String> steps = new ArrayList<>();
        Continuation c = new Continuation(() -> count(steps, "c", 3));
        int resumes = 0;
        while (!c.isDone()) {
            c.resume();
            resumes++;
        }
        System.out.println("continuation: " + steps + " after " + resumes + " resumes");

        StringBuilder fib = new StringBuilder();
        for (long f : Generator.<Long>of(out -> {
            long x = 0;
            long y = 1;
            while (x < 20) {
                out.emit(x);
                long t = x + y;
                x = y;
                y = t;
            }
        })) {
            fib.append(f).append(' ');
        }
        System.out.println("generator: " + fib.toString().trim());

        String joined = EventLoop.run(() -> {
            Task<String> slow = Async.spawn(() -> worker("slow", 60));
            Task<String> fast = Async.spawn(() -> worker("fast", 10));
            return fast.join() + ", " + slow.join();
        });
        System.out.println("event loop: " + joined);
        System.out.println("agent: " + (System.getProperty("io.bobbin.agent.active") != null ? "present" : "absent"));
    }
}
