package io.bobbin.internal.observe;

import io.bobbin.internal.task.LoopTask;
import jdk.jfr.FlightRecorder;

/**
 * The Flight Recorder events of the "Bobbin" category, behind methods that cost nothing when no
 * recording wants them. Until Flight Recorder has been started in the JVM (a recording, {@code
 * -XX:StartFlightRecording}, {@code jcmd JFR.start}) they read one static flag and load no class of
 * it: loading an event class sets up part of Flight Recorder, which a program that does not record
 * should not pay for. After, each asks a static instance of its event class whether it is enabled: a
 * few field reads.
 *
 * <ul>
 *   <li>{@code io.bobbin.SlowStep} (enabled by default): the watchdog's report of a slow step.</li>
 *   <li>{@code io.bobbin.SuspensionRefused} (enabled by default): a suspension that threw.</li>
 *   <li>{@code io.bobbin.BlockingWork} (disabled by default): {@code Async.blocking} work, its run
 *       time and queue time.</li>
 *   <li>{@code io.bobbin.TaskEnd} (disabled by default): a task's end, its outcome and run time.</li>
 * </ul>
 *
 * <p>A JDK without the {@code jdk.jfr} module (a trimmed runtime image) records nothing: no event
 * class is ever loaded then.
 *
 * <p>Threads: any.
 */
public final class Events {
    private static final boolean JFR = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private Events() {}

    /** Whether Flight Recorder has been started in this JVM: until then no event class is loaded. */
    private static boolean started() {
        return JFR && FlightRecorder.isInitialized();
    }

    /** Whether a recording wants task end events (and so the task run times a loop measures for them). */
    public static boolean taskEndWanted() {
        return started() && Probes.TASK_END.isEnabled();
    }

    /** Whether a recording wants blocking work events. */
    static boolean blockingWanted() {
        return started() && Probes.BLOCKING.isEnabled();
    }

    /**
     * {@code job}, timed for a blocking work event when a recording wants it: its queue time from now
     * until a pool thread takes it, and its run time there. On the loop's thread, by the task that
     * hands the work over.
     */
    public static Runnable timedBlocking(Runnable job, String loop) {
        if (!blockingWanted()) {
            return job;
        }
        LoopTask<?> task = LoopTask.currentOrNull();
        return new TimedBlocking(job, loop, task == null ? null : task.toString(), System.nanoTime());
    }

    /** The job that {@link #timedBlocking} was given, for a pool that hands back what it dropped. */
    public static Runnable untimed(Runnable job) {
        return job instanceof TimedBlocking ? ((TimedBlocking) job).job : job;
    }

    /** A suspension was refused with {@code message}; called on the thread at fault. */
    public static void suspensionRefused(String message) {
        if (started()) {
            Probes.refused(message);
        }
    }

    static void slowStep(String loop, String running, String method, long heldFor, long threshold, String stack) {
        if (started()) {
            Probes.slowStep(loop, running, method, heldFor, threshold, stack);
        }
    }

    static void taskEnded(String loop, String task, String outcome, String failure, long runTime, long steps) {
        if (started()) {
            Probes.taskEnd(loop, task, outcome, failure, runTime, steps);
        }
    }

    /** Blocking work timed for its event. Its {@code run} is on a pool thread. */
    private static final class TimedBlocking implements Runnable {
        final Runnable job;
        final String loop;
        final String task;
        final long submitted;

        TimedBlocking(Runnable job, String loop, String task, long submitted) {
            this.job = job;
            this.loop = loop;
            this.task = task;
            this.submitted = submitted;
        }

        @Override
        public void run() {
            long queued = System.nanoTime() - submitted;
            BlockingWorkEvent e = new BlockingWorkEvent();
            e.begin();
            try {
                job.run();
            } finally {
                e.end();
                if (e.shouldCommit()) {
                    e.loop = loop;
                    e.task = task;
                    e.queueTime = queued;
                    e.commit();
                }
            }
        }
    }

    /** The event classes' static instances: loaded only when the JDK has Flight Recorder. */
    private static final class Probes {
        static final TaskEndEvent TASK_END = new TaskEndEvent();
        static final BlockingWorkEvent BLOCKING = new BlockingWorkEvent();
        static final SuspensionRefusedEvent REFUSED = new SuspensionRefusedEvent();
        static final SlowStepEvent SLOW_STEP = new SlowStepEvent();

        static void refused(String message) {
            if (REFUSED.isEnabled()) {
                SuspensionRefusedEvent e = new SuspensionRefusedEvent();
                e.message = message;
                e.commit();
            }
        }

        static void slowStep(String loop, String running, String method, long heldFor, long threshold, String stack) {
            if (SLOW_STEP.isEnabled()) {
                SlowStepEvent e = new SlowStepEvent();
                e.loop = loop;
                e.running = running;
                e.method = method;
                e.heldFor = heldFor;
                e.threshold = threshold;
                e.stack = stack;
                e.commit();
            }
        }

        static void taskEnd(String loop, String task, String outcome, String failure, long runTime, long steps) {
            if (TASK_END.isEnabled()) {
                TaskEndEvent e = new TaskEndEvent();
                e.loop = loop;
                e.task = task;
                e.outcome = outcome;
                e.failure = failure;
                e.runTime = runTime;
                e.steps = steps;
                e.commit();
            }
        }
    }
}
