package io.bobbin;

/**
 * One parking of one task: what it waits for, how the wait is set up ({@link #arm()}) and how it is
 * undone when the task is interrupted (cancelled or timed out) before the wake-up came
 * ({@link #abort()}). The wake-up itself goes through {@link Scheduler#wake(LoopTask, Wait)}, which
 * ignores a wait that is no longer the task's current one, so late or duplicate wake-ups are harmless.
 *
 * <p>Threads: {@code arm} and {@code abort} run on the task's loop thread.
 */
abstract class Wait {
    final LoopTask<?> task;

    Wait(LoopTask<?> task) {
        this.task = task;
    }

    /** Registers the wake-up. It may wake the task at once (through the scheduler). Must not throw. */
    abstract void arm();

    /** Removes the registration: the task is woken otherwise (interrupted) and will not look at it again. */
    abstract void abort();
}
