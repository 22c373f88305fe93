package io.bobbin.internal.observe;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The slow-step watchdog: one daemon thread, {@value #THREAD_NAME}, for every loop that has a
 * slow-step threshold, started when the first such loop starts (never, in a JVM that sets none). It
 * looks at each watched loop a few times per threshold (a quarter of the smallest threshold, between
 * 1 and 100 ms) and reports a step that has held its loop's thread longer than the threshold, once,
 * with a sample of the loop thread's stack taken while the step still runs (see {@link StepWatch}).
 * With no loop to watch it parks until one starts.
 *
 * <p>Threads: {@link #watch} and {@link #unwatch} from the loops' threads; everything else on the
 * watchdog's thread.
 */
public final class SlowStepWatchdog {
    /** The system property that sets the threshold of loops whose builder sets none, in milliseconds. */
    public static final String PROPERTY = "bobbin.slowStepMillis";
    static final String THREAD_NAME = "bobbin-slow-step-watchdog";

    private static final CopyOnWriteArrayList<StepWatch> WATCHED = new CopyOnWriteArrayList<>();
    private static Thread thread; // guarded by the class

    private SlowStepWatchdog() {}

    /**
     * The threshold of a new loop, in nanoseconds, 0 for none: the builder's if it set one, else the
     * system property {@value #PROPERTY}'s (0 there means none too).
     *
     * @throws IllegalArgumentException if the property is set but is not a whole number of
     *     milliseconds, 0 or more
     */
    public static long thresholdNanos(Duration fromBuilder) {
        if (fromBuilder != null) {
            return fromBuilder.toNanos();
        }
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            return 0;
        }
        long millis;
        try {
            millis = Long.parseLong(p.trim());
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 0 || millis > TimeUnit.NANOSECONDS.toMillis(Long.MAX_VALUE)) {
            throw new IllegalArgumentException("the system property " + PROPERTY + " must be a whole number of milliseconds"
                    + " (0 for no slow-step reports), not '" + p + "'; fix or remove -D" + PROPERTY);
        }
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Loop thread, as a watched loop starts: watch it, starting the watchdog's thread if it is the first. */
    static void watch(StepWatch w) {
        WATCHED.add(w);
        Thread t;
        synchronized (SlowStepWatchdog.class) {
            t = thread;
            if (t == null) {
                t = new Thread(SlowStepWatchdog::run, THREAD_NAME);
                t.setDaemon(true);
                thread = t;
                t.start();
                return;
            }
        }
        LockSupport.unpark(t); // it may be parked with nothing to watch, or for a longer threshold's period
    }

    /** Loop thread, as a watched loop ends. */
    static void unwatch(StepWatch w) {
        WATCHED.remove(w);
    }

    /** Whether the watchdog's thread has been started (for tests). */
    static synchronized boolean started() {
        return thread != null;
    }

    private static void run() {
        while (true) {
            if (WATCHED.isEmpty()) {
                LockSupport.park(SlowStepWatchdog.class);
                continue;
            }
            long period = TimeUnit.MILLISECONDS.toNanos(100);
            long now = System.nanoTime();
            for (StepWatch w : WATCHED) {
                try {
                    w.check(now);
                } catch (RuntimeException | Error e) { // a logger that throws must not end the watchdog
                    if (e instanceof VirtualMachineError) {
                        throw e;
                    }
                }
                period = Math.min(period, Math.max(TimeUnit.MILLISECONDS.toNanos(1), w.thresholdNanos / 4));
            }
            LockSupport.parkNanos(SlowStepWatchdog.class, period);
        }
    }
}
