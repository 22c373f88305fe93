package io.bobbin.internal.loop;

import io.bobbin.CallbackHandle;
import io.bobbin.internal.time.TimerEntry;
import java.util.concurrent.atomic.AtomicInteger;

/** A user callback queued by {@code callSoon}/{@code callLater}/{@code execute}: runs at most once, unless cancelled first. */
final class ScheduledCallback implements CallbackHandle, Runnable {
    private static final int PENDING = 0;
    private static final int STARTED = 1;
    private static final int CANCELLED = 2;

    private final LoopCore loop;
    private final Runnable action;
    private final AtomicInteger state = new AtomicInteger();
    /** The timer of a {@code callLater}; loop thread only. */
    TimerEntry timer;

    ScheduledCallback(LoopCore loop, Runnable action) {
        this.loop = loop;
        this.action = action;
    }

    @Override
    public void run() {
        if (state.compareAndSet(PENDING, STARTED)) {
            action.run();
        }
    }

    @Override
    public boolean cancel() {
        if (!state.compareAndSet(PENDING, CANCELLED)) {
            return false;
        }
        loop.onHostThread(() -> {
            if (timer != null) {
                loop.cancelTimer(timer);
            }
        });
        return true;
    }

    @Override
    public boolean isCancelled() {
        return state.get() == CANCELLED;
    }
}
