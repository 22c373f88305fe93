package io.bobbin.internal.blocking;

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
 * <p>Threads: {@link #submit} from the loop's thread (any thread works); {@link #shutdown} once,
 * when the loop ends.
 */
public final class BlockingPool {
    private final String namePrefix;
    private final int maxThreads;
    private final long keepAliveNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private int idle;
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
            if (queue.size() > idle && workers.size() < maxThreads) {
                Thread t = new Thread(this::work, namePrefix + "-blocking-" + (++started));
                t.setDaemon(true);
                workers.add(t);
                t.start();
            } else {
                workArrived.signal();
            }
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

    private void work() {
        Thread me = Thread.currentThread();
        while (true) {
            Runnable job;
            lock.lock();
            try {
                long wait = keepAliveNanos;
                while ((job = queue.poll()) == null) {
                    if (shutdown || wait <= 0) {
                        workers.remove(me);
                        return;
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
            } finally {
                lock.unlock();
            }
            Thread.interrupted(); // no interrupt meant for an earlier job leaks into this one
            job.run();
        }
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
