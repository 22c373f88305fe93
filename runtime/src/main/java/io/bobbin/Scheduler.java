package io.bobbin;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The scheduling half of an {@link EventLoop}: the FIFO ready queue (tasks and callbacks), the
 * timers, the set of live tasks, and the protocol by which a task parks on a {@link Wait} and is
 * woken or interrupted. It knows nothing of selectors or threads; I/O readiness and the blocking
 * pool reach it through {@link #wake(LoopTask, Wait)}.
 *
 * <p>Threads: the loop's thread only.
 */
final class Scheduler {
    private final EventLoop loop;
    private final long origin = System.nanoTime();
    final TimerQueue timers = new TimerQueue();
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final Set<LoopTask<?>> live = new HashSet<>();
    /** The task being stepped, or {@code null}. */
    LoopTask<?> running;
    private boolean shuttingDown;
    /** Failed tasks nobody has asked about yet, oldest first; each is reported after {@link #REPORT_GRACE_NANOS}. */
    private final ArrayDeque<LoopTask<?>> unobservedFailures = new ArrayDeque<>();
    static final long REPORT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    Scheduler(EventLoop loop) {
        this.loop = loop;
    }

    /** The loop's monotonic clock, in nanoseconds since the loop was made. */
    long now() {
        return System.nanoTime() - origin;
    }

    /** A deadline {@code d} from now, saturated instead of overflowing. */
    long deadlineAfter(Duration d) {
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        long now = now();
        long deadline = now + nanos;
        return deadline < now ? Long.MAX_VALUE : deadline;
    }

    // ---- tasks -------------------------------------------------------------------------------

    /** Takes in a new task: queued at the back, or (the loop is shutting down) ended without running. */
    void start(LoopTask<?> task) {
        live.add(task);
        if (shuttingDown) {
            task.finishUnstarted();
        } else {
            ready.add(task.step);
        }
    }

    void ended(LoopTask<?> task) {
        live.remove(task);
    }

    /** A task failed and nobody waits for it: report it unless someone asks within the grace period. */
    void failedUnobserved(LoopTask<?> task) {
        unobservedFailures.add(task);
        timers.add(now() + REPORT_GRACE_NANOS, () -> {
            LoopTask<?> oldest = unobservedFailures.poll();
            if (oldest != null) {
                oldest.reportIfUnobserved();
            }
        });
    }

    /** The loop ends: report the failures still unobserved now. */
    void reportUnobservedFailures() {
        for (LoopTask<?> t; (t = unobservedFailures.poll()) != null; ) {
            t.reportIfUnobserved();
        }
    }

    boolean hasLiveTasks() {
        return !live.isEmpty();
    }

    void makeReady(LoopTask<?> task) {
        task.state = LoopTask.READY;
        ready.add(task.step);
    }

    /** Wakes {@code task} if {@code wait} is still what it waits for; a stale wake-up does nothing. */
    void wake(LoopTask<?> task, Wait wait) {
        if (task.state == LoopTask.WAITING && task.wait == wait) {
            task.wait = null;
            makeReady(task);
        }
    }

    /** Wakes a parked task early (cancellation, timeout): its wait is undone and it runs its next check. */
    void interrupt(LoopTask<?> task) {
        if (task.state == LoopTask.WAITING) {
            Wait w = task.wait;
            task.wait = null;
            if (w != null) {
                w.abort();
            }
            makeReady(task);
        }
    }

    /**
     * Parks the calling task on {@code wait}: the suspension point of every {@code Async} wait.
     * Throws a pending interruption before parking, and the one that woke it (if any) after.
     */
    @Suspendable
    static void park(LoopTask<?> task, Wait wait) {
        task.checkInterrupt();
        task.wait = wait;
        task.state = LoopTask.WAITING;
        wait.arm();
        Continuation.suspend();
        task.checkInterrupt();
    }

    /** Cancels every live task for shutdown: the ones never started end at once, the others are interrupted. */
    void cancelAll() {
        shuttingDown = true;
        for (LoopTask<?> t : new ArrayList<>(live)) {
            t.cancelForShutdown();
        }
    }

    // ---- callbacks and timers ------------------------------------------------------------------

    void callSoon(Runnable callback) {
        ready.add(callback);
    }

    /** Runs the timers that are due. */
    void fireDueTimers() {
        long now = now();
        for (TimerEntry e; (e = timers.pollDue(now)) != null; ) {
            EventLoop.runGuarded(e.action);
        }
    }

    /** Runs what is ready now, not what becomes ready meanwhile; returns how many it ran. */
    int runReady() {
        int n = ready.size();
        for (int i = 0; i < n; i++) {
            EventLoop.runGuarded(ready.poll());
        }
        return n;
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    /** How long the selector may block: 0 if something is ready, -1 for "until woken", else millis to the next timer. */
    long selectTimeoutMillis() {
        if (!ready.isEmpty()) {
            return 0;
        }
        long next = timers.nextDeadline();
        if (next == Long.MAX_VALUE) {
            return -1;
        }
        long nanos = next - now();
        if (nanos <= 0) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    /** Drops queued callbacks and timers (the loop has ended). */
    void clear() {
        ready.clear();
        timers.clear();
    }

    // ---- where are we? ---------------------------------------------------------------------------

    /**
     * The task of a loop that is running this code, or {@code null} in plain code (no loop on this
     * thread). On a loop's thread outside one of its tasks (a callback, or a generator or bare
     * continuation nested in a task) it throws {@link IllegalStateException}: waiting there would
     * stall the loop.
     */
    static LoopTask<?> currentTask(String what) {
        Continuation c = Continuation.current();
        if (c != null && c.attachment instanceof LoopTask) {
            return (LoopTask<?>) c.attachment;
        }
        EventLoop loop = EventLoop.current();
        if (loop == null) {
            return null;
        }
        if (c != null) {
            throw new IllegalStateException(what + " called inside a generator or continuation nested in a task of "
                    + loop.name() + ": only the task itself can wait on its loop");
        }
        throw new IllegalStateException(what + " called on the thread of " + loop.name()
                + " outside of any task (in a callback): it would stall the loop; spawn a task for it");
    }
}
