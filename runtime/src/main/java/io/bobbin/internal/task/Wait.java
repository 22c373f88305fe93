package io.bobbin.internal.task;

import io.bobbin.internal.time.TimerEntry;

/**
 * One parking of one task: what it waits for, how the wait is set up ({@link #arm()}) and how it is
 * undone when the task is interrupted (cancelled or timed out) before the wake-up came
 * ({@link #abort()}). The wake-up itself goes through {@link LoopTask#wake(Wait)}, which ignores a
 * wait that is no longer the task's current one, so late or duplicate wake-ups are harmless: the
 * single, idempotent wake path of every wait (timers, I/O, the blocking pool, joins, locks).
 *
 * <p>A wait is its own wake-up action ({@link #run()}), and its own timer entry: a sleep adds the
 * wait itself to the loop's timers, so parking on a timer costs this one object and nothing more.
 *
 * <p>Threads: {@code arm} and {@code abort} run on the task's loop thread.
 */
public abstract class Wait extends TimerEntry {
    /** The task that waits. */
    public final LoopTask<?> task;

    protected Wait(LoopTask<?> task) {
        this.task = task;
    }

    /** A wait that will be its own timer entry, due at {@code deadline} (see {@link #deadline()}). */
    protected Wait(LoopTask<?> task, long deadline) {
        super(deadline);
        this.task = task;
    }

    /** Registers the wake-up. It may wake the task at once (through {@link LoopTask#wake}). */
    protected abstract void arm();

    /** Removes the registration: the task is woken otherwise (interrupted) and will not look at it again. */
    protected abstract void abort();

    /**
     * Wakes the task for this wait ({@link LoopTask#wake(Wait)}): the wait is its own wake-up action,
     * for a timer or for a post from another thread, so that waking allocates nothing. Host thread.
     */
    @Override
    public void run() {
        task.wake(this);
    }

    /** What the task waits for, in a few words, for dumps and messages. */
    public String describe() {
        return getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return describe();
    }
}
