package io.bobbin;

import java.util.function.Consumer;

/** A task waiting for another task (of this loop or any other) to end ({@link Task#join()}). */
final class JoinWait extends Wait {
    private final LoopTask<?> target;
    private final Consumer<Task<?>> onEnd;

    JoinWait(LoopTask<?> task, LoopTask<?> target) {
        super(task);
        this.target = target;
        this.onEnd = ended -> task.loop.onLoopThread(() -> task.loop.scheduler.wake(task, this));
    }

    @Override
    void arm() {
        target.addCallback(onEnd);
    }

    @Override
    void abort() {
        target.removeCallback(onEnd);
    }
}
