package io.bobbin.internal.task;

import io.bobbin.internal.time.TimerEntry;

/** A task sleeping until a deadline of its loop's clock ({@code Async.sleep}). Loop thread only. */
final class TimerWait extends Wait {
    private final long deadline;
    private TimerEntry entry;

    TimerWait(LoopTask<?> task, long deadline) {
        super(task);
        this.deadline = deadline;
    }

    @Override
    protected void arm() {
        entry = task.host.addTimer(deadline, () -> task.wake(this));
    }

    @Override
    protected void abort() {
        task.host.cancelTimer(entry);
    }

    @Override
    public String describe() {
        return "sleep until " + deadline + " ns";
    }
}
