package io.bobbin.internal.observe;

import io.bobbin.EventLoop;
import io.bobbin.internal.task.LoopTask;
import java.util.IdentityHashMap;
import java.util.concurrent.CancellationException;

/**
 * What one loop tells the observability machinery, through a handful of calls from its engine: it
 * starts and ends (its MBean, its place in the slow-step watchdog), it runs a step (timed only when
 * someone wants step times: see {@link #stepTiming()}), a task ends (the {@code io.bobbin.TaskEnd}
 * event).
 *
 * <p>Threads: the loop's thread, but {@link #thread()}, {@link #slowStepThresholdNanos()} and
 * {@link #slowSteps()} (any thread, for the MBean). The threshold is set before the loop starts.
 */
public final class LoopObserver {
    private final EventLoop face;
    private final String name;
    private long thresholdNanos;
    private StepWatch watch;
    private volatile Thread thread;
    private Jmx.Registration registration;

    // ---- loop thread only: run times for the task end events ----
    /** Time and steps of live tasks, measured while task end events are wanted; made on first use. */
    private IdentityHashMap<LoopTask<?>, long[]> runTimes;
    /** The runnable of the timed step running now, or {@code null}. */
    private Object stepping;
    /** The task of the running step ended in it: its event waits for the step's end, to count its last step. */
    private boolean steppingEnded;

    public LoopObserver(EventLoop face, String name) {
        this.face = face;
        this.name = name;
    }

    /** Before the loop starts: report steps longer than {@code nanos} (0: none). */
    public void slowStepThreshold(long nanos) {
        thresholdNanos = nanos;
        watch = nanos > 0 ? new StepWatch(name, nanos) : null;
    }

    /** The slow-step threshold, 0 for none. Any thread. */
    public long slowStepThresholdNanos() {
        return thresholdNanos;
    }

    /** Slow steps reported so far. Any thread. */
    public long slowSteps() {
        StepWatch w = watch;
        return w == null ? 0 : w.slowSteps();
    }

    /** The loop's thread, once started. Any thread. */
    public Thread thread() {
        return thread;
    }

    /**
     * What the loop is running now and for how long, for a loop with a slow-step threshold (only those
     * record it); {@code null} otherwise, or between steps. Any thread.
     */
    String running() {
        StepWatch w = watch;
        return w == null ? null : w.running(System.nanoTime());
    }

    /** Loop thread, as the loop starts running: its MBean (soon), its watch. */
    public void started(Thread t) {
        thread = t;
        registration = Jmx.register(name, new LoopMBean(face, this));
        if (watch != null) {
            watch.thread = t;
            SlowStepWatchdog.watch(watch);
        }
    }

    /** Loop thread, as the loop ends: its MBean is gone when this returns. */
    public void ended() {
        if (watch != null) {
            SlowStepWatchdog.unwatch(watch);
        }
        if (registration != null) {
            registration.end();
        }
        runTimes = null;
    }

    /**
     * Whether the loop should time the steps it is about to run: {@code this} when it has a slow-step
     * threshold or a recording wants task end events, {@code null} otherwise. Asked once per batch of
     * steps, so an untimed loop reads no clock per step.
     */
    public LoopObserver stepTiming() {
        return watch != null || Events.taskEndWanted() ? this : null;
    }

    /** Loop thread: a timed step running {@code r} begins; returns its start ({@code System.nanoTime()}). */
    public long stepStarted(Runnable r) {
        long now = System.nanoTime();
        if (watch != null) {
            watch.begin(r, now);
        }
        stepping = r;
        return now;
    }

    /** Loop thread: the timed step that {@link #stepStarted} returned {@code began} for has ended. */
    public void stepEnded(Runnable r, long began) {
        long took = System.nanoTime() - began;
        if (watch != null) {
            watch.end();
        }
        stepping = null;
        if (!(r instanceof LoopTask)) {
            return;
        }
        LoopTask<?> t = (LoopTask<?>) r;
        if (steppingEnded) {
            steppingEnded = false;
            taskEndEvent(t, took, 1);
        } else if (!t.isDone() && Events.taskEndWanted()) {
            if (runTimes == null) {
                runTimes = new IdentityHashMap<>();
            }
            long[] acc = runTimes.computeIfAbsent(t, k -> new long[2]);
            acc[0] += took;
            acc[1]++;
        }
    }

    /** Loop thread: a task has ended (inside its own step, or outside any: cancelled before it ran). */
    public void taskEnded(LoopTask<?> t) {
        if (t == stepping) {
            steppingEnded = true; // counted and recorded when the step ends
        } else {
            taskEndEvent(t, 0, 0);
        }
    }

    private void taskEndEvent(LoopTask<?> t, long lastStep, long lastSteps) {
        long[] acc = runTimes == null ? null : runTimes.remove(t);
        if (!Events.taskEndWanted()) {
            return;
        }
        long time = lastStep + (acc == null ? 0 : acc[0]);
        long steps = lastSteps + (acc == null ? 0 : acc[1]);
        Throwable e = t.endedWith();
        String outcome = e == null ? "returned" : e instanceof CancellationException ? "cancelled" : "failed";
        Events.taskEnded(name, t.toString(), outcome, e == null ? null : e.getClass().getName(), time, steps);
    }
}
