package io.bobbin.internal.loop;

import io.bobbin.CallbackHandle;
import io.bobbin.internal.time.TimerEntry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A user callback queued by {@code callSoon}/{@code callLater}/{@code execute}: runs at most once,
 * unless cancelled first. A {@code callLater} is its own timer entry.
 *
 * <p>Threads: {@link #state} from any thread; the timer links (the superclass's) on the loop's thread.
 */
final class ScheduledCallback extends TimerEntry implements CallbackHandle {
    private static final int PENDING = 0;
    private static final int STARTED = 1;
    private static final int CANCELLED = 2;

    private final LoopCore loop;
    private final Runnable action;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ScheduledCallback.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@link #PENDING}, then {@link #STARTED} or {@link #CANCELLED}, changed once by a compare-and-set. */
    private volatile int state;

    ScheduledCallback(LoopCore loop, Runnable action) {
        this.loop = loop;
        this.action = action;
    }

    @Override
    public void run() {
        if (STATE.compareAndSet(this, PENDING, STARTED)) {
            action.run();
        }
    }

    @Override
    public boolean cancel() {
        if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
            return false;
        }
        loop.onHostThread(() -> loop.cancelTimer(this)); // nothing happens if it is not a pending timer
        return true;
    }

    @Override
    public boolean isCancelled() {
        return state == CANCELLED;
    }
}
