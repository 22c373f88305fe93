package io.bobbin.internal.task;

/**
 * A task sleeping until a deadline of its loop's clock ({@code Async.sleep}). The wait is its own
 * timer entry and its own timer action, so a sleep costs this one object. Loop thread only.
 */
final class TimerWait extends Wait {
    TimerWait(LoopTask<?> task, long deadline) {
        super(task, deadline);
    }

    @Override
    protected void arm() {
        task.host.addTimer(this, deadline());
    }

    @Override
    protected void abort() {
        task.host.cancelTimer(this);
    }

    @Override
    public String describe() {
        return "sleep until " + deadline() + " ns";
    }
}
