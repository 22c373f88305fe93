package io.bobbin.demo;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 2: sleeping without blocking. Each task calls {@link Async#sleep}, which parks the task on
 * the loop's timers (never the thread); the loop wakes each one when its time comes. All the sleeps
 * overlap, so the whole run takes about as long as the longest, not their sum.
 */
final class SleepDemo implements Demo {
    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public String summary() {
        return "tasks sleeping on the loop's timers: the wall time is the longest sleep, not the sum";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--tasks", "N", "how many sleepers (default 5)"),
                Option.valued("--step", "MS", "task i sleeps (N - i) * MS milliseconds (default 100)"));
    }

    @Override
    public int run(Args args) throws Exception {
        int n = args.getInt("--tasks", 5, 1, 10_000);
        int step = args.getInt("--step", 100, 1, 10_000);
        EventLoop.run(() -> {
            Stopwatch clock = new Stopwatch();
            List<Task<Void>> sleepers = new ArrayList<>();
            long sum = 0;
            for (int i = 0; i < n; i++) {
                String name = "task " + (i + 1);
                long millis = (long) (n - i) * step; // the first spawned sleeps longest
                sum += millis;
                sleepers.add(Async.spawn(() -> {
                    System.out.println(clock.stamp() + "  " + name + " goes to sleep for " + millis + " ms");
                    Async.sleep(Duration.ofMillis(millis)); // the task waits; the thread goes on
                    System.out.println(clock.stamp() + "  " + name + " woke up after " + millis + " ms");
                    return null;
                }));
            }
            for (Task<Void> t : sleepers) {
                t.join();
            }
            System.out.println("all " + n + " woke up: " + clock.millis() + " ms of wall time for " + sum
                    + " ms of sleep, on one thread (" + Thread.currentThread().getName() + ")");
            return null;
        });
        return 0;
    }
}
