package io.bobbin.demo;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import java.util.ArrayDeque;
import java.util.Set;

/**
 * Step 1: the simplest possible scheduler. A few continuations that each print and yield, and a
 * round-robin loop that resumes whichever is next until all are done. Nothing else: this is all a
 * scheduler is, once frames can be suspended.
 */
final class SimplestDemo implements Demo {
    @Override
    public String name() {
        return "simplest";
    }

    @Override
    public String summary() {
        return "a round-robin scheduler in a few lines: three continuations taking turns";
    }

    /** A worker: plain blocking-style code that yields between steps. */
    @Suspendable
    static void worker(String name, int steps) {
        for (int i = 1; i <= steps; i++) {
            System.out.println("  " + name + " step " + i + " of " + steps);
            Continuation.suspend(); // back to the scheduler; the next resume goes on from here
        }
        System.out.println("  " + name + " done");
    }

    @Override
    public int run(Args args) {
        ArrayDeque<Continuation> ready = new ArrayDeque<>();
        ready.add(new Continuation(() -> worker("A", 3)));
        ready.add(new Continuation(() -> worker("B", 2)));
        ready.add(new Continuation(() -> worker("C", 1)));
        System.out.println("round-robin over " + ready.size() + " continuations on thread " + Thread.currentThread().getName());
        int switches = 0;
        while (!ready.isEmpty()) {
            Continuation next = ready.poll();
            next.resume();
            switches++;
            if (!next.isDone()) {
                ready.add(next);
            }
        }
        System.out.println("all done after " + switches + " resumes");
        return 0;
    }

    static Set<String> options() {
        return Set.of();
    }
}
