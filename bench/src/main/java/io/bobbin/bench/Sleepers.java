package io.bobbin.bench;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadFactory;

/**
 * Benchmark 4, a million sleepers: {@code count} tasks (or virtual threads) each sleeping once for a
 * random 0 to 1,000 ms (the same sequence for both); the time to spawn them all, the time until all
 * are done (joined, in order, from the start), and the peak heap used (sampled every 2 ms by a
 * daemon thread). One kind per fresh JVM; prints one {@code RESULT} line.
 */
public final class Sleepers {
    private Sleepers() {}

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int count = Integer.parseInt(args[1]);
        int[] millis = new int[count];
        SplittableRandom rnd = new SplittableRandom(6);
        for (int i = 0; i < count; i++) {
            millis[i] = rnd.nextInt(1001);
        }
        Duration[] durations = new Duration[1001];
        for (int i = 0; i <= 1000; i++) {
            durations[i] = Duration.ofMillis(i);
        }
        System.gc();
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long base = mem.getHeapMemoryUsage().getUsed();
        long[] peak = {base};
        Thread sampler = new Thread(() -> {
            while (true) {
                long u = mem.getHeapMemoryUsage().getUsed();
                if (u > peak[0]) {
                    peak[0] = u;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long[] spawned = new long[1];
        long t0 = System.nanoTime();
        if (kind.equals("task")) {
            EventLoop.run(() -> {
                Task<?>[] tasks = new Task<?>[count];
                for (int i = 0; i < count; i++) {
                    final Duration d = durations[millis[i]];
                    tasks[i] = Async.spawn(() -> {
                        Async.sleep(d);
                        return null;
                    });
                }
                spawned[0] = System.nanoTime();
                for (Task<?> t : tasks) {
                    t.join();
                }
                return null;
            });
        } else if (kind.equals("virtual")) {
            ThreadFactory f = Threads.virtualFactory();
            Thread[] threads = new Thread[count];
            for (int i = 0; i < count; i++) {
                final long ms = millis[i];
                threads[i] = f.newThread(() -> {
                    try {
                        Thread.sleep(ms);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                threads[i].start();
            }
            spawned[0] = System.nanoTime();
            for (Thread t : threads) {
                t.join();
            }
        } else {
            throw new IllegalArgumentException("unknown kind " + kind);
        }
        long t1 = System.nanoTime();
        sampler.interrupt();
        System.out.printf(Locale.ROOT, "RESULT\t%s\t%d\t%.1f\t%.1f\t%.1f%n", kind, count, (spawned[0] - t0) / 1e6,
                (t1 - t0) / 1e6, (peak[0] - base) / 1048576.0);
        System.out.flush();
        System.exit(0);
    }
}
