package io.bobbin.internal.sync;

import io.bobbin.Suspendable;
import io.bobbin.internal.task.LoopTask;
import io.bobbin.internal.task.Wait;
import java.util.concurrent.CancellationException;

/**
 * A task waiting: it parks through {@link LoopTask#park} on a {@link Wait} of its own, and is woken
 * through the one wake path of its loop ({@link LoopTask#wake} on the loop's thread, posted there
 * from any other thread).
 *
 * <p>Threads: {@link #await} in the task; {@link #wake()} from any thread; the wait's {@code arm} and
 * {@code abort} on the task's loop thread.
 */
final class TaskWaiter extends Waiter {
    private final LoopTask<?> task;
    private final Parking parking;
    /** Set in the task before it parks, read by {@code abort} on the same thread. */
    private Withdrawal withdrawal;

    TaskWaiter(String what, LoopTask<?> task) {
        super(what, task);
        this.task = task;
        this.parking = new Parking(); // after task: it reads it
    }

    @Override
    public void wake() {
        if (task.host().loop().inLoopThread()) {
            task.wake(parking); // already on the task's loop: no post, no allocation
        } else {
            task.wakeFromAnyThread(parking);
        }
    }

    @Override
    @Suspendable
    public int await(Withdrawal withdrawal) {
        this.withdrawal = withdrawal;
        try {
            task.park(parking);
        } catch (CancellationException e) {
            if (cancel()) { // cancelled before anything was granted (park's own checkpoint, say)
                withdrawal.withdraw(this);
                throw e;
            }
            if (state() == CANCELLED) { // the interrupt withdrew it already (abort)
                throw e;
            }
            task.deliverAgainLater(e); // the grant or close won: keep it, deliver the cancellation later
        }
        return state();
    }

    /** The task's parking on this waiter. Loop thread. */
    private final class Parking extends Wait {
        Parking() {
            super(TaskWaiter.this.task);
        }

        @Override
        protected void arm() {
            if (state() != WAITING) {
                task.wake(this); // granted between queueing and parking, from another thread
            }
        }

        @Override
        protected void abort() {
            if (cancel()) {
                withdrawal.withdraw(TaskWaiter.this);
            } // else granted or closed first: the task resumes, and await keeps it
        }

        @Override
        public String describe() {
            return what;
        }
    }
}
