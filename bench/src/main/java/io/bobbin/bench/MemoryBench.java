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
        if (kind.equals("task")) {
            tasks(count);
            return;
        }
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
        histogram();
        java.lang.ref.Reference.reachabilityFence(keep);
        Runtime.getRuntime().halt(0); // sleeping threads would keep the JVM alive
    }

    /**
     * Tasks sleeping on an event loop 3 frames deep ({@link SleepFrames#down}); measured from the
     * loop's main task once every task has run up to its sleep (FIFO: one {@code yieldNow()} lets them
     * all run once). The loop itself (selector, wakeup channel) is in the baseline.
     */
    private static void tasks(int count) throws Exception {
        io.bobbin.EventLoop.run(() -> {
            Object[] keep = new Object[count];
            spawnSleepers(new Object[Math.min(200, count)], Math.min(200, count)); // warm-up, in the baseline
            io.bobbin.Async.yieldNow();
            long before = usedAfterGc();
            long rssBefore = rss();
            long t0 = System.nanoTime();
            spawnSleepers(keep, count);
            io.bobbin.Async.yieldNow(); // every sleeper runs up to its sleep
            long t1 = System.nanoTime();
            long after = usedAfterGc();
            long rssAfter = rss();
            System.out.printf(Locale.ROOT, "RESULT\t%s\t%d\t%.1f\t%.1f\t%.1f%n", "task", count,
                    (after - before) / (double) count, (rssAfter - rssBefore) / (double) count, (t1 - t0) / 1e6);
            System.out.flush();
            histogram();
            java.lang.ref.Reference.reachabilityFence(keep);
            Runtime.getRuntime().halt(0);
            return null;
        });
    }

    private static void spawnSleepers(Object[] keep, int count) {
        java.time.Duration hour = java.time.Duration.ofHours(1);
        for (int i = 0; i < count; i++) {
            final long id = i;
            keep[i] = io.bobbin.Async.spawn(() -> SleepFrames.down(DEPTH, id, hour));
        }
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

    /** With {@code -Dbench.histogram=N}: the N biggest lines of this JVM's class histogram (jcmd), to see what a unit is made of. */
    static void histogram() {
        int lines = Integer.getInteger("bench.histogram", 0);
        if (lines <= 0) {
            return;
        }
        try {
            String jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString();
            Process p = new ProcessBuilder(jcmd, Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            String[] ls = out.split("\n");
            for (int i = 0; i < Math.min(lines, ls.length); i++) {
                System.out.println(ls[i]);
            }
        } catch (Exception e) {
            System.out.println("histogram: " + e);
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
