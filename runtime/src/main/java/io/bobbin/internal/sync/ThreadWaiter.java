package io.bobbin.internal.sync;

import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * A plain thread waiting (no event loop runs on it): it parks with {@link LockSupport} until it is
 * granted or closed, after a short spin on a machine with more than one processor (a partner that
 * answers within a few microseconds then costs no sleep and wake-up of the thread, as in
 * {@link java.util.concurrent.SynchronousQueue}). An interrupt withdraws the waiter, unless a grant
 * came first.
 *
 * <p>Threads: {@link #await} on the waiting thread; {@link #wake()} from any thread.
 */
final class ThreadWaiter extends Waiter {
    /** Looks at the state this many times before parking; none on a single processor. */
    private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 1 << 7 : 0;

    private final Thread thread;

    ThreadWaiter(String what, Thread thread) {
        super(what, thread);
        this.thread = thread;
    }

    @Override
    public void wake() {
        LockSupport.unpark(thread);
    }

    @Override
    public int await(Withdrawal withdrawal) {
        boolean interrupted = false;
        for (int i = 0; i < SPINS && state() == WAITING; i++) {
            Thread.onSpinWait();
        }
        int s;
        while ((s = state()) == WAITING) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                if (cancel()) {
                    withdrawal.withdraw(this);
                    Thread.currentThread().interrupt();
                    throw new CancellationException(what + ": the waiting thread " + thread.getName() + " was interrupted");
                }
                interrupted = true; // granted or closed first: keep it, and the interrupt status
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return s;
    }
}
