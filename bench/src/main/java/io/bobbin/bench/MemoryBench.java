package io.bobbin.bench;

import io.bobbin.Continuation;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;

/**
 * Benchmark 3, memory: heap bytes per suspended unit at call depth 3, as (heap used after GC with
 * all units suspended - heap used after GC before creating them) / count. Runs in a JVM of its own
 * per kind (see {@link Main}); prints one {@code RESULT} line. Also reports the growth of the
 * process's resident memory per unit, which is where a platform thread's stack lives.
 *
 * <ul>
 *   <li>{@code continuation}: a Bobbin {@link Continuation} suspended 3 frames deep ({@link Frames#down}).</li>
 *   <li>{@code virtual}: a virtual thread sleeping ({@code Thread.sleep}) 3 frames deep.</li>
 *   <li>{@code platform}: a platform thread sleeping 3 frames deep.</li>
 * </ul>
 */
public final class MemoryBench {
    static final int DEPTH = 3;

    private MemoryBench() {}

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int count = Integer.parseInt(args[1]);
        Object[] keep = new Object[count];
        // Warm up the code paths (class loading, JIT, the scheduler's threads) outside the measurement.
        run(kind, new Object[Math.min(count, 200)], Math.min(count, 200));
        long before = usedAfterGc();
        long rssBefore = rss();
        long t0 = System.nanoTime();
        run(kind, keep, count);
        long t1 = System.nanoTime();
        long after = usedAfterGc();
        long rssAfter = rss();
        double perUnit = (after - before) / (double) count;
        double rssPerUnit = (rssAfter - rssBefore) / (double) count;
        System.out.printf(Locale.ROOT, "RESULT\t%s\t%d\t%.1f\t%.1f\t%.1f%n", kind, count, perUnit, rssPerUnit,
                (t1 - t0) / 1e6);
        System.out.flush();
        java.lang.ref.Reference.reachabilityFence(keep);
        Runtime.getRuntime().halt(0); // sleeping threads would keep the JVM alive
    }

    private static void run(String kind, Object[] keep, int count) throws Exception {
        switch (kind) {
            case "continuation":
                for (int i = 0; i < count; i++) {
                    final long id = i;
                    Continuation c = new Continuation(() -> Frames.down(DEPTH, id));
                    c.resume();
                    keep[i] = c;
                }
                break;
            case "virtual":
            case "platform": {
                CountDownLatch parked = new CountDownLatch(count);
                ThreadFactory factory = kind.equals("virtual") ? Threads.virtualFactory() : r -> {
                    Thread t = new Thread(null, r, "sleeper", 256 * 1024);
                    t.setDaemon(true);
                    return t;
                };
                for (int i = 0; i < count; i++) {
                    final long id = i;
                    Thread t = factory.newThread(() -> {
                        try {
                            PlainFrames.downSleep(DEPTH, id, parked, 3_600_000L);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    t.start();
                    keep[i] = t;
                }
                parked.await();
                Thread.sleep(200); // let the last ones reach sleep() after counting down
                break;
            }
            default:
                throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Resident set size of this process in bytes (Linux), or 0. */
    static long rss() {
        try {
            List<String> lines = Files.readAllLines(Paths.get("/proc/self/status"));
            for (String l : lines) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return 0;
    }
}
