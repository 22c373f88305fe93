package io.bobbin.bench;

import io.bobbin.internal.time.TimerEntry;
import io.bobbin.internal.time.TimerQueue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Benchmark 9, timeouts that never expire: per timer, the cost of adding it and then cancelling it,
 * except one in every {@value #FIRE_EVERY} which is left to fire (and is polled and run). A steady
 * state with {@code pending} timers outstanding: each operation adds a timer with a timeout drawn from
 * 1 to 10 s and cancels the one added {@code pending} operations earlier (unless it is the one in
 * {@value #FIRE_EVERY} that fires), then polls what is due, as a loop's turn does.
 * <ul>
 *   <li>{@code wheel}: the loop's {@link TimerQueue} (the hierarchical timing wheel), on a virtual
 *       clock that moves {@code 0.5 s / pending} per operation, so that each timer lives 0.5 s before
 *       it is cancelled, short of its shortest timeout;</li>
 *   <li>{@code heap}: the binary heap the loop used before ({@link HeapTimerQueue}), same clock, same
 *       sequence;</li>
 *   <li>{@code scheduledExecutor}: a {@link ScheduledThreadPoolExecutor} with one thread and
 *       {@code setRemoveOnCancelPolicy(true)}: {@code schedule} and {@code cancel(false)} from the
 *       benchmark thread, on the real clock; the timers left to fire run on its thread.</li>
 * </ul>
 * One operation = one timer's life (add, then cancel or fire), in ns.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TimerBench {
    static final int OPS = 10_000;
    static final int FIRE_EVERY = 1_000;
    private static final int MASK = 4095;
    /** The timeouts, in ns: 1 to 10 s (request and idle timeouts), the same sequence for every kind. */
    static final long[] TIMEOUTS = new long[MASK + 1];
    static final long VIRTUAL_LIFETIME_NANOS = 500_000_000L;

    static {
        SplittableRandom r = new SplittableRandom(16);
        for (int i = 0; i < TIMEOUTS.length; i++) {
            TIMEOUTS[i] = 1_000_000_000L + r.nextLong(9_000_000_000L);
        }
    }

    /** Counts the timers that fired (loop-thread kinds). */
    static long fired;
    static final Runnable FIRE = () -> fired++;

    @State(Scope.Thread)
    public static class Wheel {
        @Param({"1000", "100000"})
        public int pending;
        TimerQueue q;
        TimerEntry[] ring;
        long now;
        long step;
        long count;
        int slot;

        @Setup(Level.Trial)
        public void setUp() {
            q = new TimerQueue();
            ring = new TimerEntry[pending];
            step = VIRTUAL_LIFETIME_NANOS / pending;
            for (int i = 0; i < 2 * pending; i++) {
                op();
            }
        }

        void op() {
            long n = count++;
            long t = now += step;
            TimerEntry e = q.add(t + TIMEOUTS[(int) n & MASK], FIRE);
            TimerEntry old = ring[slot];
            ring[slot] = e;
            if (++slot == pending) {
                slot = 0;
            }
            if (old != null && (n - pending) % FIRE_EVERY != 0) {
                q.remove(old);
            }
            for (TimerEntry d; (d = q.pollDue(t)) != null; ) {
                d.run();
            }
        }
    }

    @State(Scope.Thread)
    public static class Heap {
        @Param({"1000", "100000"})
        public int pending;
        HeapTimerQueue q;
        HeapTimerQueue.Entry[] ring;
        long now;
        long step;
        long count;
        int slot;

        @Setup(Level.Trial)
        public void setUp() {
            q = new HeapTimerQueue();
            ring = new HeapTimerQueue.Entry[pending];
            step = VIRTUAL_LIFETIME_NANOS / pending;
            for (int i = 0; i < 2 * pending; i++) {
                op();
            }
        }

        void op() {
            long n = count++;
            long t = now += step;
            HeapTimerQueue.Entry e = q.add(t + TIMEOUTS[(int) n & MASK], FIRE);
            HeapTimerQueue.Entry old = ring[slot];
            ring[slot] = e;
            if (++slot == pending) {
                slot = 0;
            }
            if (old != null && (n - pending) % FIRE_EVERY != 0) {
                q.remove(old);
            }
            for (HeapTimerQueue.Entry d; (d = q.pollDue(t)) != null; ) {
                d.action().run();
            }
        }
    }

    @State(Scope.Thread)
    public static class Executor {
        @Param({"1000", "100000"})
        public int pending;
        ScheduledThreadPoolExecutor exec;
        ScheduledFuture<?>[] ring;
        long count;
        int slot;
        final Runnable nothing = () -> { };

        @Setup(Level.Trial)
        public void setUp() {
            exec = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "TimerBench executor");
                t.setDaemon(true); // the CPU-time check's JVM ends without shutting it down
                return t;
            });
            exec.setRemoveOnCancelPolicy(true);
            ring = new ScheduledFuture<?>[pending];
            for (int i = 0; i < 2 * pending; i++) {
                op();
            }
        }

        void op() {
            long n = count++;
            ScheduledFuture<?> f = exec.schedule(nothing, TIMEOUTS[(int) n & MASK], TimeUnit.NANOSECONDS);
            ScheduledFuture<?> old = ring[slot];
            ring[slot] = f;
            if (++slot == pending) {
                slot = 0;
            }
            if (old != null && (n - pending) % FIRE_EVERY != 0) {
                old.cancel(false);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            exec.shutdownNow();
        }
    }

    /**
     * The same operations for {@link CpuTimeCheck} (group {@code timers}): timed by the benchmark
     * thread's CPU time, so a busy machine does not inflate them. For the executor that leaves out its
     * own thread (which only waits, and runs the one timer in {@value #FIRE_EVERY} that fires).
     */
    static Map<String, CpuTimeCheck.Op> cpuVariants(boolean peers) {
        Map<String, CpuTimeCheck.Op> v = new LinkedHashMap<>();
        for (int pending : new int[] {1000, 100000}) {
            Wheel w = new Wheel();
            w.pending = pending;
            w.setUp();
            v.put("TimerBench.wheel:pending=" + pending, n -> {
                for (int i = 0; i < n; i++) {
                    w.op();
                }
                return n;
            });
            if (peers) {
                Heap h = new Heap();
                h.pending = pending;
                h.setUp();
                v.put("TimerBench.heap:pending=" + pending, n -> {
                    for (int i = 0; i < n; i++) {
                        h.op();
                    }
                    return n;
                });
                Executor x = new Executor();
                x.pending = pending;
                x.setUp();
                v.put("TimerBench.scheduledExecutor:pending=" + pending, n -> {
                    for (int i = 0; i < n; i++) {
                        x.op();
                    }
                    return n;
                });
            }
        }
        return v;
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public int wheel(Wheel s) {
        for (int i = 0; i < OPS; i++) {
            s.op();
        }
        return s.q.size();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public int heap(Heap s) {
        for (int i = 0; i < OPS; i++) {
            s.op();
        }
        return s.q.size();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public int scheduledExecutor(Executor s) {
        for (int i = 0; i < OPS; i++) {
            s.op();
        }
        return s.exec.getQueue().size();
    }
}
