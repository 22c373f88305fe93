package io.bobbin.bench;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadFactory;

/**
 * Benchmark 10, wake lateness: {@code count} tasks (or virtual threads) each sleeping once for a
 * random 0 to 100 ms (whole ms, the same sequence for both). Each one reads the clock just before it
 * sleeps ({@code t0}) and just after it wakes ({@code t1}); its lateness is {@code t1 - (t0 + d)}, the
 * actual wake time minus the intended one. A second measure counts from the moment spawning began
 * ({@code start}): {@code t1 - (start + d)}, which adds the wait before each one got to run at all.
 * Prints one {@code RESULT} line: p50, p99 and max lateness (ms), the same from the start, and the
 * time until all were done (ms). One kind per fresh JVM.
 */
public final class Lateness {
    private Lateness() {}

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int count = Integer.parseInt(args[1]);
        int[] millis = new int[count];
        SplittableRandom rnd = new SplittableRandom(10);
        for (int i = 0; i < count; i++) {
            millis[i] = rnd.nextInt(101);
        }
        Duration[] durations = new Duration[101];
        for (int i = 0; i <= 100; i++) {
            durations[i] = Duration.ofMillis(i);
        }
        long[] t0 = new long[count];
        long[] t1 = new long[count];
        System.gc();
        long start = System.nanoTime();
        if (kind.equals("task")) {
            EventLoop.run(() -> {
                Task<?>[] tasks = new Task<?>[count];
                for (int i = 0; i < count; i++) {
                    final int k = i;
                    final Duration d = durations[millis[i]];
                    tasks[i] = Async.spawn(() -> {
                        t0[k] = System.nanoTime();
                        Async.sleep(d);
                        t1[k] = System.nanoTime();
                        return null;
                    });
                }
                for (Task<?> t : tasks) {
                    t.join();
                }
                return null;
            });
        } else if (kind.equals("virtual")) {
            ThreadFactory f = Threads.virtualFactory();
            Thread[] threads = new Thread[count];
            for (int i = 0; i < count; i++) {
                final int k = i;
                final long ms = millis[i];
                threads[i] = f.newThread(() -> {
                    t0[k] = System.nanoTime();
                    try {
                        Thread.sleep(ms);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    t1[k] = System.nanoTime();
                });
                threads[i].start();
            }
            for (Thread t : threads) {
                t.join();
            }
        } else {
            throw new IllegalArgumentException("unknown kind " + kind + " (task | virtual)");
        }
        long end = System.nanoTime();
        long[] late = new long[count];
        long[] lateFromStart = new long[count];
        for (int i = 0; i < count; i++) {
            long d = millis[i] * 1_000_000L;
            late[i] = t1[i] - (t0[i] + d);
            lateFromStart[i] = t1[i] - (start + d);
            if (late[i] < 0) {
                throw new IllegalStateException(kind + " " + i + " woke " + (-late[i]) + " ns early");
            }
        }
        Arrays.sort(late);
        Arrays.sort(lateFromStart);
        System.out.printf(Locale.ROOT, "RESULT\t%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.1f%n", kind, count,
                pct(late, 50), pct(late, 99), late[count - 1] / 1e6,
                pct(lateFromStart, 50), pct(lateFromStart, 99), lateFromStart[count - 1] / 1e6, (end - start) / 1e6);
        System.out.flush();
        System.exit(0);
    }

    /** The {@code p}th percentile (nearest rank) of sorted ns values, in ms. */
    static double pct(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
