package io.bobbin.internal.task;

import io.bobbin.internal.time.TimerEntry;

/**
 * A task sleeping until a deadline of its loop's clock ({@code Async.sleep}). The wait is its own
 * timer action, so a sleep costs this object and its timer entry, nothing more. Loop thread only.
 */
final class TimerWait extends Wait {
    private final long deadline;
    private TimerEntry entry;

    TimerWait(LoopTask<?> task, long deadline) {
        super(task);
        this.deadline = deadline;
    }

    @Override
    protected void arm() {
        entry = task.host.addTimer(deadline, this);
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
