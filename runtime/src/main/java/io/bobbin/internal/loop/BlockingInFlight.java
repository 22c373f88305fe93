package io.bobbin.internal.loop;

import io.bobbin.internal.blocking.BlockingPool;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * The {@code Async.blocking} work of a virtual-time loop that has been handed to the pool and has not
 * finished: while there is any, the virtual clock must not jump (the work runs in real time and its
 * result may decide what the loop does next). Only a virtual-time loop counts; a loop on the system
 * clock hands its jobs to the pool as they are.
 *
 * <p>A job has finished once its completion has been posted to the loop: each job is wrapped so
 * that, after it has run (and so after the job's own completion has posted the task's wake-up), it
 * posts its own removal, which the loop therefore drains after the wake-up. A job that was cancelled
 * ({@link Future#isCancelled()}, on the loop's thread, when its task is cancelled or times out) counts
 * as finished at once, even if its thread is still busy; a job the pool drops at shutdown never
 * matters (the loop has ended).
 *
 * <p>Threads: {@link #submit} and {@link #isEmpty} on the loop's thread, which owns {@link #running};
 * the wrapper runs on a pool thread and reaches the loop only through its inbox
 * ({@link LoopCore#onHostThread}).
 */
final class BlockingInFlight {
    private final LoopCore loop;
    /** Jobs submitted and not finished; loop thread only. */
    private final Set<Counted> running = new HashSet<>();

    BlockingInFlight(LoopCore loop) {
        this.loop = loop;
    }

    /**
     * Hands {@code job} to {@code pool}, counted until it has finished.
     *
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down (nothing counted)
     */
    void submit(BlockingPool pool, Runnable job) {
        Counted c = new Counted(job);
        pool.submit(c);
        running.add(c);
    }

    /** Whether no job is in flight: none submitted and still running, cancelled ones aside. Loop thread. */
    boolean isEmpty() {
        if (running.isEmpty()) {
            return true;
        }
        for (Iterator<Counted> it = running.iterator(); it.hasNext(); ) {
            Runnable job = it.next().job;
            if (job instanceof Future && ((Future<?>) job).isCancelled()) {
                it.remove();
            }
        }
        return running.isEmpty();
    }

    /** The job inside a wrapper, for the pool's list of dropped jobs at shutdown. */
    static Runnable unwrap(Runnable r) {
        return r instanceof Counted ? ((Counted) r).job : r;
    }

    /** A job that, once run, has the loop take it off the count. */
    private final class Counted implements Runnable {
        final Runnable job;

        Counted(Runnable job) {
            this.job = job;
        }

        @Override
        public void run() {
            try {
                job.run();
            } finally {
                loop.onHostThread(() -> running.remove(this)); // refused only when the loop has ended
            }
        }
    }
}
