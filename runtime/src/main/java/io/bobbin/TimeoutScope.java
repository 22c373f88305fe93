package io.bobbin;

import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * One {@link Async#withTimeout} call in progress in a task. Scopes nest as a stack linked from the
 * innermost ({@link LoopTask#scopes}). When its timer fires the scope is expired and the task, if
 * parked, is interrupted; the task's next suspension point then throws the scope's own
 * {@link CancellationException} ({@link #delivered}), which only this scope turns into a
 * {@code TimeoutException}. Loop thread only.
 */
final class TimeoutScope {
    final Duration limit;
    final TimeoutScope outer;
    boolean expired;
    CancellationException delivered;
    TimerEntry timer;

    TimeoutScope(Duration limit, TimeoutScope outer) {
        this.limit = limit;
        this.outer = outer;
    }
}
