package io.bobbin.bench;

import io.bobbin.Continuation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A cross-check of the single-threaded JMH rows (switch, not suspending) that holds up on a busy
 * machine: every variant runs in one JVM, in short slices taken in turn (so that a burst of load
 * elsewhere hits all of them alike), timed by the thread's CPU time rather than the wall clock (so
 * that time spent descheduled does not count). Reports the median over the slices, in ns per
 * operation. Same code and same operations as {@link SwitchBench}, {@link ChainBench}, {@link TaskSwitchBench}
 * and {@link SerialBench}.
 */
public final class CpuTimeCheck {
    interface Op {
        long run(int n);
    }

    static volatile long sink;

    private CpuTimeCheck() {}

    /** The groups, each run in a JVM of its own so that no group's code sees another's profile. */
    static final List<String> GROUPS = List.of("switch1", "switch10", "switch50", "chainOutside", "chainInside", "taskSwitch",
            "timers", "serial");

    /**
     * Task switch (benchmark 2): one loop thread for Bobbin, one carrier for the virtual threads (the
     * group's JVM runs with {@code -Djdk.virtualThreadScheduler.parallelism=1}), so the CPU time of the
     * whole process (all threads) is the work done; ns per round trip.
     */
    static Map<String, Op> taskSwitch(boolean jdkPeers) {
        Map<String, Op> v = new LinkedHashMap<>();
        TaskSwitchBench b = new TaskSwitchBench();
        v.put("TaskSwitchBench.bobbin", n -> {
            int k = Math.max(1, Math.round(n / (float) TaskSwitchBench.ROUNDS));
            try {
                for (int i = 0; i < k; i++) {
                    b.bobbin();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return (long) k * TaskSwitchBench.ROUNDS;
        });
        if (jdkPeers) {
            v.put("TaskSwitchBench.virtualYield", n -> {
                int k = Math.max(1, Math.round(n / (float) TaskSwitchBench.ROUNDS));
                try {
                    for (int i = 0; i < k; i++) {
                        b.virtualYield();
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return (long) k * TaskSwitchBench.ROUNDS;
            });
        }
        return v;
    }

    /** Serializable continuations (benchmark 9): write + read back, against plain objects; ns per round trip. */
    static Map<String, Op> serial() {
        Map<String, Op> v = new LinkedHashMap<>();
        SerialBench b = new SerialBench();
        b.setUp();
        v.put("SerialBench.bobbinRoundTrip", n -> {
            for (int i = 0; i < n; i++) {
                sink += b.bobbinRoundTrip().hashCode();
            }
            return n;
        });
        v.put("SerialBench.plainRoundTrip", n -> {
            for (int i = 0; i < n; i++) {
                sink += b.plainRoundTrip().hashCode();
            }
            return n;
        });
        return v;
    }

    static Map<String, Op> variants(boolean jdkPeers, String group) {
        if (group.equals("taskSwitch")) {
            return taskSwitch(jdkPeers);
        }
        if (group.equals("timers")) {
            return TimerBench.cpuVariants(jdkPeers);
        }
        if (group.equals("serial")) {
            return serial();
        }
        Map<String, Op> all = variants(jdkPeers);
        Map<String, Op> v = new LinkedHashMap<>();
        for (Map.Entry<String, Op> e : all.entrySet()) {
            String k = e.getKey();
            boolean in = group.startsWith("switch") ? k.startsWith("SwitchBench.") && k.endsWith("=" + group.substring(6))
                    : group.equals("chainOutside") ? k.equals("ChainBench.plain") || k.equals("ChainBench.instrumentedOutside")
                    : k.equals("ChainBench.plainInside") || k.equals("ChainBench.instrumentedInside");
            if (in) {
                v.put(k, e.getValue());
            }
        }
        return v;
    }

    static Map<String, Op> variants(boolean jdkPeers) {
        Map<String, Op> v = new LinkedHashMap<>();
        for (int depth : new int[] {1, 10, 50}) {
            final int d = depth;
            Continuation c = new Continuation(() -> {
                while (true) {
                    Frames.down(d, 0);
                }
            });
            c.resume();
            v.put("SwitchBench.bobbin:depth=" + d, n -> {
                for (int i = 0; i < n; i++) {
                    c.resume();
                }
                return n;
            });
            if (jdkPeers) {
                Object j = JdkContinuations.create(() -> {
                    while (true) {
                        PlainFrames.downYieldJdk(d, 0);
                    }
                });
                JdkContinuations.run(j);
                v.put("SwitchBench.jdk:depth=" + d, n -> {
                    for (int i = 0; i < n; i++) {
                        JdkContinuations.run(j);
                    }
                    return n;
                });
            }
        }
        int[] result = new int[1];
        Continuation inside = new Continuation(() -> {
            int x = 42;
            while (true) {
                for (int i = 0; i < ChainBench.CALLS; i++) {
                    x = Chain.c1(x);
                }
                result[0] = x;
                Continuation.suspend();
            }
        });
        Continuation plainInside = new Continuation(() -> {
            int x = 42;
            while (true) {
                for (int i = 0; i < ChainBench.CALLS; i++) {
                    x = PlainChain.c1(x);
                }
                result[0] = x;
                Continuation.suspend();
            }
        });
        v.put("ChainBench.plain", n -> {
            int x = (int) sink;
            for (int i = 0; i < n; i++) {
                x = PlainChain.c1(x);
            }
            sink = x;
            return n;
        });
        v.put("ChainBench.instrumentedOutside", n -> {
            int x = (int) sink;
            for (int i = 0; i < n; i++) {
                x = Chain.c1(x);
            }
            sink = x;
            return n;
        });
        v.put("ChainBench.instrumentedInside", n -> {
            int k = Math.max(1, n / ChainBench.CALLS);
            for (int i = 0; i < k; i++) {
                inside.resume();
            }
            sink = result[0];
            return (long) k * ChainBench.CALLS;
        });
        v.put("ChainBench.plainInside", n -> {
            int k = Math.max(1, n / ChainBench.CALLS);
            for (int i = 0; i < k; i++) {
                plainInside.resume();
            }
            sink = result[0];
            return (long) k * ChainBench.CALLS;
        });
        return v;
    }

    /** Returns key -> "median\tspread\tns/op" rows (spread: half the distance between the quartiles). */
    /** The CPU time of this thread, or of the whole process for groups that use other threads. */
    static final class Clock {
        final boolean process;
        final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        Clock(boolean process) {
            this.process = process;
        }

        long getCurrentThreadCpuTime() {
            return process ? os.getProcessCpuTime() : mx.getCurrentThreadCpuTime();
        }
    }

    static Map<String, String> measure(boolean jdkPeers, String group, int rounds, long sliceNanos) {
        Clock mx = new Clock(group.equals("taskSwitch"));
        Map<String, Op> ops = variants(jdkPeers, group);
        Map<String, Integer> batch = new LinkedHashMap<>();
        // Warm-up: ~1.5 s per variant, and size the batches to about one slice.
        for (Map.Entry<String, Op> e : ops.entrySet()) {
            int n = 1000;
            long end = System.nanoTime() + 1_500_000_000L;
            double nsPerOp = 1;
            while (System.nanoTime() < end) {
                long c0 = mx.getCurrentThreadCpuTime();
                long done = e.getValue().run(n);
                long c1 = mx.getCurrentThreadCpuTime();
                nsPerOp = Math.max(0.1, (c1 - c0) / (double) done);
                n = (int) Math.min(50_000_000, Math.max(1000, sliceNanos / nsPerOp));
            }
            batch.put(e.getKey(), n);
        }
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(ops.keySet());
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < keys.size(); k++) {
                String key = keys.get((k + r) % keys.size()); // rotate the order
                long c0 = mx.getCurrentThreadCpuTime();
                long done = ops.get(key).run(batch.get(key));
                long c1 = mx.getCurrentThreadCpuTime();
                samples.computeIfAbsent(key, x -> new ArrayList<>()).add((c1 - c0) / (double) done);
            }
        }
        Map<String, String> rows = new LinkedHashMap<>();
        for (String key : keys) {
            double[] s = samples.get(key).stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(s);
            double median = s[s.length / 2];
            double spread = (s[(s.length * 3) / 4] - s[s.length / 4]) / 2;
            rows.put("Cpu:" + key, String.format(Locale.ROOT, "%.3f\t%.3f\tns/op", median, spread));
            System.out.printf(Locale.ROOT, "RESULT\tcpu\tCpu:%s\t%.3f\t%.3f%n", key, median, spread);
        }
        return rows;
    }

    public static void main(String[] args) {
        boolean process = args[0].equals("taskSwitch"); // process CPU time ticks in 10 ms: longer slices, fewer
        measure(JdkContinuations.UNAVAILABLE == null && !Boolean.getBoolean("bench.noJdk"), args[0],
                process ? 9 : args.length > 1 ? Integer.parseInt(args[1]) : 21, process ? 1_000_000_000L : 100_000_000L);
    }
}
