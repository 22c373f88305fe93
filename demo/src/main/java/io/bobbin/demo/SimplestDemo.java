package io.bobbin.demo;

import io.bobbin.Async;
import io.bobbin.Continuation;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import java.util.ArrayDeque;

/**
 * Step 1: the simplest possible scheduler. A few continuations that each print and yield, and a
 * round-robin loop that resumes whichever is next until all are done. Nothing else: this is all a
 * scheduler is, once frames can be suspended.
 *
 * <p>Then the same workers, unchanged, as tasks of an {@link EventLoop}: its ready queue is FIFO,
 * and a bare {@code Continuation.suspend()} in a task means "let the others run", so it takes
 * them round-robin in the very same order.
 */
final class SimplestDemo implements Demo {
    @Override
    public String name() {
        return "simplest";
    }

    @Override
    public String summary() {
        return "a round-robin scheduler in a few lines, then the same workers on the EventLoop";
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
    public int run(Args args) throws Exception {
        // 1. A scheduler written by hand: a queue of continuations, resumed in turn.
        ArrayDeque<Continuation> ready = new ArrayDeque<>();
        ready.add(new Continuation(() -> worker("A", 3)));
        ready.add(new Continuation(() -> worker("B", 2)));
        ready.add(new Continuation(() -> worker("C", 1)));
        System.out.println("round-robin over " + ready.size() + " continuations on thread " + Thread.currentThread().getName());
        int resumes = 0;
        while (!ready.isEmpty()) {
            Continuation next = ready.poll();
            next.resume(); // runs it until its next suspend(), or its end
            resumes++;
            if (!next.isDone()) {
                ready.add(next); // not done: to the back of the queue
            }
        }
        System.out.println("all done after " + resumes + " resumes");

        // 2. The same workers as tasks of an event loop: the loop is that scheduler, grown up.
        System.out.println();
        System.out.println("the same workers as tasks on an EventLoop on thread " + Thread.currentThread().getName());
        EventLoop.run(() -> {
            Task<Void> a = Async.spawn(() -> { worker("A", 3); return null; });
            Task<Void> b = Async.spawn(() -> { worker("B", 2); return null; });
            Task<Void> c = Async.spawn(() -> { worker("C", 1); return null; });
            a.join(); // main waits; the loop runs the workers meanwhile
            b.join();
            c.join();
            return null;
        });
        System.out.println("all done on the event loop");
        return 0;
    }
}
