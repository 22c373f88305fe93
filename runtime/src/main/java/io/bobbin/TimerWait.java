package io.bobbin;

/** A task sleeping until a deadline of the loop's clock ({@link Async#sleep}). */
final class TimerWait extends Wait {
    private final long deadline;
    private TimerEntry entry;

    TimerWait(LoopTask<?> task, long deadline) {
        super(task);
        this.deadline = deadline;
    }

    @Override
    void arm() {
        Scheduler s = task.loop.scheduler;
        entry = s.timers.add(deadline, () -> s.wake(task, this));
    }

    @Override
    void abort() {
        task.loop.scheduler.timers.remove(entry);
    }
}
