package io.bobbin.internal.blocking;

import io.bobbin.internal.util.Logs;
import io.bobbin.internal.util.Spin;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The elastic thread pool behind {@code Async.blocking}: it starts a thread whenever work waits
 * and no idle thread can take it, up to {@code maxThreads}; a thread idle for {@code keepAlive}
 * retires. Threads are daemons named {@code <loop>-blocking-<n>}; no event loop runs on them
 * ({@code EventLoop.current()} is {@code null} there).
 *
 * <p>A thread that has just finished a job spins a few microseconds for the next one before it
 * parks (on a machine with more than one processor), as {@code ForkJoinPool}'s workers do: a task
 * that calls {@code Async.blocking} in a loop then costs no thread wake-up per call. A spinning
 * thread counts as idle for {@link #submit}, which neither starts a thread nor signals for a job that
 * a spinning thread will take.
 *
 * <p>Threads: {@link #submit} from the loop's thread (any thread works); {@link #shutdown} once,
 * when the loop ends. {@link #queue}, {@link #workers}, {@link #idle}, {@link #spinning},
 * {@link #started} and {@link #shutdown} are guarded by {@link #lock}; {@link #queued} and
 * {@link #outstanding} are written under it and read without it.
 */
public final class BlockingPool {
    private final String namePrefix;
    private final int maxThreads;
    private final long keepAliveNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    /** Threads waiting on {@link #workArrived}. */
    private int idle;
    /** Threads spinning for a job outside the lock; each will look at the queue under the lock when it stops. */
    private int spinning;
    /** The queue's size, published for the spinning threads. */
    private volatile int queued;
    /** Jobs submitted and not yet finished running (queued or running). */
    private volatile int outstanding;
    private int started;
    private boolean shutdown;

    public BlockingPool(String namePrefix, int maxThreads, long keepAliveNanos) {
        this.namePrefix = namePrefix;
        this.maxThreads = maxThreads;
        this.keepAliveNanos = keepAliveNanos;
    }

    /** Queues {@code job}, starting a thread for it if every thread is busy and the limit allows. */
    public void submit(Runnable job) {
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException("the blocking pool of " + namePrefix + " is shut down: its loop has ended");
            }
            queue.add(job);
            queued = queue.size();
            outstanding++;
            if (queue.size() > idle + spinning && workers.size() < maxThreads) {
                Thread t = new Thread(this::work, namePrefix + "-blocking-" + (++started));
                t.setDaemon(true);
                workers.add(t);
                t.start();
            } else if (queue.size() > spinning) {
                workArrived.signal();
            } // else a spinning thread takes it
        } finally {
            lock.unlock();
        }
    }

    /** The threads alive now. */
    public int threadCount() {
        lock.lock();
        try {
            return workers.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Jobs submitted and not finished running, at this moment: the loop spins briefly instead of
     * parking while there are some, as their completions are likely to come soon. Any thread.
     */
    public int outstanding() {
        return outstanding;
    }

    private void work() {
        Thread me = Thread.currentThread();
        boolean ranOne = false;
        while (true) {
            Runnable job = take(me, ranOne);
            if (job == null) {
                return; // idle for keepAlive, or shut down
            }
            Thread.interrupted(); // no interrupt meant for an earlier job leaks into this one
            try {
                job.run();
            } catch (Throwable e) {
                Logs.LOOP.log(System.Logger.Level.WARNING, "a job of the blocking pool of " + namePrefix
                        + " failed outside of its task", e);
            }
            ranOne = true;
        }
    }

    /**
     * The next job, or {@code null} when this thread retires. {@code ranOne}: the thread has just
     * finished a job, which is counted off here; then, if the queue is empty, it spins before parking.
     */
    private Runnable take(Thread me, boolean ranOne) {
        lock.lock();
        try {
            if (ranOne) {
                outstanding--;
            }
            if (!ranOne || Spin.NANOS == 0 || shutdown || !queue.isEmpty()) {
                return waitForJob(me);
            }
            spinning++;
        } finally {
            lock.unlock();
        }
        Spin.until(() -> queued != 0);
        lock.lock();
        try {
            spinning--;
            return waitForJob(me);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the next job, waiting up to {@code keepAlive} for one; {@code null} when this thread retires. */
    private Runnable waitForJob(Thread me) {
        long wait = keepAliveNanos;
        Runnable job;
        while ((job = queue.poll()) == null) {
            if (shutdown || wait <= 0) {
                workers.remove(me);
                return null;
            }
            idle++;
            try {
                wait = workArrived.awaitNanos(wait);
            } catch (InterruptedException e) {
                // a stale cancellation of the previous job: ignore, look again
            } finally {
                idle--;
            }
        }
        queued = queue.size();
        return job;
    }

    /**
     * Refuses new work, drops queued work (running {@code onDropped} for each job) and waits up to
     * {@code graceMillis} for the threads to end. A thread still busy with work that ignores
     * interruption is left to finish on its own (it is a daemon).
     */
    public void shutdown(long graceMillis, java.util.function.Consumer<Runnable> onDropped) {
        List<Runnable> dropped;
        List<Thread> alive;
        lock.lock();
        try {
            shutdown = true;
            dropped = new ArrayList<>(queue);
            queue.clear();
            queued = 0;
            outstanding -= dropped.size();
            workArrived.signalAll();
            alive = new ArrayList<>(workers);
        } finally {
            lock.unlock();
        }
        dropped.forEach(onDropped);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        for (Thread t : alive) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}
