package io.bobbin.internal.task;

import io.bobbin.internal.time.TimerEntry;
import java.util.concurrent.CancellationException;

/**
 * A part of a task that can be cancelled as a whole, without cancelling the rest of the task: one
 * {@code withTimeout} call (a scope with a timer of its own), and the building block of task groups
 * and shields. The task itself is the root scope: its own cancellation ({@code Task.cancel()}).
 *
 * <p>A task's scopes nest as a stack linked from the innermost ({@link LoopTask#scope}). When a scope
 * is cancelled, the task's next {@linkplain LoopTask#checkpoint() checkpoint} throws the scope's own
 * {@link CancellationException}, once; if the task is parked, it is woken for that. When several
 * scopes are cancelled, the outermost wins (the task's own cancellation first, then the outermost
 * timeout), so that an outer timeout or a cancellation passes through an inner {@code withTimeout}
 * as a {@code CancellationException}: each scope recognises its own by identity ({@link #caused}).
 * A <em>shielding</em> scope hides every cancellation outside it (the task's own included) until it
 * is closed; the next checkpoint after that delivers it.
 *
 * <p>A scope with a deadline is its own timer entry: its {@link #run()} cancels it.
 *
 * <p>Threads: the task's loop thread only.
 */
public final class CancelScope extends TimerEntry {
    final LoopTask<?> task;
    final CancelScope outer;
    final boolean shield;
    private final String what;
    boolean cancelled;
    CancellationException delivered;
    private boolean closed;

    private CancelScope(LoopTask<?> task, String what, boolean shield) {
        this.task = task;
        this.outer = task.scope;
        this.what = what;
        this.shield = shield;
    }

    /**
     * Opens a scope in {@code task} (the innermost from now on); close it with {@link #close()}, in a
     * {@code finally}. {@code what} says what it is, for the exception's message.
     */
    public static CancelScope open(LoopTask<?> task, String what) {
        return push(new CancelScope(task, what, false));
    }

    /** Opens a scope that holds back every cancellation from outside it until it is closed. */
    public static CancelScope openShield(LoopTask<?> task, String what) {
        return push(new CancelScope(task, what, true));
    }

    private static CancelScope push(CancelScope s) {
        s.task.scope = s;
        return s;
    }

    /**
     * Cancels the scope once the task's clock reaches {@code deadline}; a deadline already passed
     * cancels it now (it is then delivered at the task's next checkpoint).
     */
    public void cancelAt(long deadline) {
        if (deadline <= task.host.now()) {
            cancelled = true;
            return;
        }
        task.host.addTimer(this, deadline);
    }

    /** The deadline has come: cancels the scope. Loop thread. */
    @Override
    public void run() {
        cancel();
    }

    /** Cancels the scope: the task's next checkpoint inside it throws, and a parked task is woken for that. */
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        if (!closed) {
            task.interrupt();
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Whether {@code e} is this scope's own cancellation, delivered inside it. */
    public boolean caused(Throwable e) {
        return e != null && e == delivered;
    }

    /** Closes the scope (it must be the task's innermost): its timer goes, and the enclosing scope is the innermost again. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (isPending()) {
            task.host.cancelTimer(this);
        }
        if (task.scope != this) {
            throw new IllegalStateException("cancel scopes closed out of order in task " + task + ": " + what);
        }
        task.scope = outer;
    }

    CancellationException deliver() {
        delivered = new CancellationException(what + " in task " + task);
        return delivered;
    }

    @Override
    public String toString() {
        return what + (cancelled ? " (cancelled)" : "");
    }

    /**
     * Whether a cancellation from outside this scope is in effect and can reach it: that of a scope
     * enclosing this one, or the task's own (asked for), unless a shielding scope stands in between.
     * Task groups tell with it an outer cancellation passing through their body from a failure of
     * the body's own.
     */
    public boolean isCancelledOutside() {
        for (CancelScope s = outer; s != null; s = s.outer) {
            if (s.cancelled) {
                return true;
            }
            if (s.shield) {
                return false;
            }
        }
        return task.isCancelRequested();
    }
}
