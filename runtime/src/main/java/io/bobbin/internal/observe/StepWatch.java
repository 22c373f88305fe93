package io.bobbin.internal.observe;

import io.bobbin.internal.task.LoopTask;
import io.bobbin.internal.util.Logs;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one loop with a slow-step threshold tells the {@link SlowStepWatchdog}: when the step running
 * now began and what it is (a task or a callback), and what the watchdog found.
 *
 * <p>Threads: {@link #begin} and {@link #end} on the loop's thread, the rest on the watchdog's. The
 * step fields form a sequence lock written only by the loop's thread: {@link #seq} is odd while a step
 * runs; every store is a release store and every load an acquire load, so a reader that sees the
 * same odd {@code seq} before and after reading {@link #startedAt} and {@link #running} has read the
 * values of that step. On x86 these are plain moves: a watched step costs two clock reads and a few
 * stores, and an unwatched loop has no watch at all.
 */
public final class StepWatch {
    private static final VarHandle SEQ;
    private static final VarHandle STARTED_AT;
    private static final VarHandle RUNNING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SEQ = l.findVarHandle(StepWatch.class, "seq", long.class);
            STARTED_AT = l.findVarHandle(StepWatch.class, "startedAt", long.class);
            RUNNING = l.findVarHandle(StepWatch.class, "running", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String loopName;
    final long thresholdNanos;
    /** The loop's thread; set when it starts. */
    volatile Thread thread;

    // ---- written by the loop's thread (release), read by the watchdog (acquire) ----
    @SuppressWarnings("unused") // through SEQ
    private long seq;
    @SuppressWarnings("unused") // through STARTED_AT
    private long startedAt;
    @SuppressWarnings("unused") // through RUNNING
    private Object running;

    // ---- the watchdog's ----
    /** The {@link #seq} of the last step reported: each slow step is reported once. */
    private long reportedSeq = -1;
    /** Slow steps reported; read by the MBean from any thread. */
    private volatile long slowSteps;

    StepWatch(String loopName, long thresholdNanos) {
        this.loopName = loopName;
        this.thresholdNanos = thresholdNanos;
    }

    /** Loop thread: a step running {@code r} begins at {@code now} ({@code System.nanoTime()}). */
    void begin(Object r, long now) {
        long s = (long) SEQ.get(this);
        STARTED_AT.setRelease(this, now);
        RUNNING.setRelease(this, r);
        SEQ.setRelease(this, s + 1);
    }

    /** Loop thread: the step has ended. */
    void end() {
        long s = (long) SEQ.get(this);
        RUNNING.setRelease(this, null);
        SEQ.setRelease(this, s + 1);
    }

    /** Slow steps reported so far. Any thread. */
    long slowSteps() {
        return slowSteps;
    }

    /** Any thread: "task x, for N ms" (or "a callback, ..."): the step running now, or {@code null} between steps. */
    String running(long now) {
        long s1 = (long) SEQ.getAcquire(this);
        if ((s1 & 1) == 0) {
            return null;
        }
        long began = (long) STARTED_AT.getAcquire(this);
        Object r = RUNNING.getAcquire(this);
        if ((long) SEQ.getAcquire(this) != s1) {
            return null;
        }
        return describe(r) + ", for " + millis(now - began) + " ms";
    }

    private static String describe(Object r) {
        return r instanceof LoopTask ? "task " + r : "a callback";
    }

    /**
     * Watchdog thread: reports the running step if it has held the thread longer than the threshold
     * and was not reported yet. The loop thread's stack is sampled while the step still runs.
     */
    void check(long now) {
        long s1 = (long) SEQ.getAcquire(this);
        if ((s1 & 1) == 0 || s1 == reportedSeq) {
            return; // between steps, or reported already
        }
        long began = (long) STARTED_AT.getAcquire(this);
        Object r = RUNNING.getAcquire(this);
        if ((long) SEQ.getAcquire(this) != s1) {
            return; // that step ended while we looked: the next check sees the next one
        }
        long held = now - began;
        if (held <= thresholdNanos) {
            return;
        }
        Thread t = thread;
        if (t == null) {
            return;
        }
        StackTraceElement[] sample = t.getStackTrace();
        Thread.State state = t.getState();
        boolean sameStep = (long) SEQ.getAcquire(this) == s1;
        reportedSeq = s1;
        slowSteps++; // only this thread writes it
        report(r, held, sameStep ? sample : null, state);
    }

    private void report(Object r, long held, StackTraceElement[] sample, Thread.State state) {
        String what = describe(r);
        List<StackTraceElement> frames = sample == null ? List.of() : TaskFrames.stepFrames(sample);
        String method = frames.isEmpty() ? "an unknown method" : TaskFrames.format(frames.get(frames.size() - 1));
        StringBuilder stack = new StringBuilder();
        for (StackTraceElement e : frames) {
            TaskFrames.appendFrame(stack, e);
        }
        StringBuilder msg = new StringBuilder();
        msg.append("slow step on event loop ").append(loopName).append(": ").append(what)
                .append(" has held the loop's thread for ").append(millis(held)).append(" ms (threshold ")
                .append(millis(thresholdNanos)).append(" ms), running ").append(method).append("; ");
        if (sample == null) {
            msg.append("it ended while the loop's thread was being sampled");
        } else {
            msg.append("the loop's thread is ").append(state)
                    .append(state == Thread.State.RUNNABLE ? "" : " (blocked by a call that waits: use Async.blocking,"
                            + " or a wait of Bobbin's, so that the loop's other tasks can run)")
                    .append(" at:\n").append(stack, 0, Math.max(0, stack.length() - 1));
        }
        Logs.LOOP.log(System.Logger.Level.WARNING, msg.toString());
        Events.slowStep(loopName, what, method, held, thresholdNanos, stack.toString());
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
