package io.bobbin.internal.task;

import io.bobbin.Task;
import java.util.function.Consumer;

/** A task waiting for another task (of its loop or any other) to end ({@code Task.join()}). */
final class JoinWait extends Wait {
    private final LoopTask<?> target;
    private final Consumer<Task<?>> onEnd;

    JoinWait(LoopTask<?> task, LoopTask<?> target) {
        super(task);
        this.target = target;
        this.onEnd = ended -> task.wakeFromAnyThread(this);
    }

    @Override
    protected void arm() {
        if (!target.addCallback(onEnd)) {
            task.wake(this); // it ended (on another loop) since join looked
        }
    }

    @Override
    protected void abort() {
        target.removeCallback(onEnd);
    }

    @Override
    public String describe() {
        return "join of " + target;
    }
}
