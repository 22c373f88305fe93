package io.bobbin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An event loop: many {@linkplain Task tasks}, written as plain blocking-style code, run on one
 * thread, in the spirit of Python's asyncio. Tasks never run in parallel with one another, so code
 * between two suspension points runs atomically with respect to the loop's other tasks.
 *
 * <p>Two ways to have one: {@link #run(SuspendableCallable)} runs a loop on the calling thread for
 * the length of a {@code main} task (the way in from synchronous code); {@link #start()} starts a
 * loop on a thread of its own that runs until {@link #close()}.
 *
 * <h2>Architecture</h2>
 * One loop is three parts: the {@link Scheduler} (the FIFO ready queue, the task state machine, the
 * {@link TimerQueue}), the {@link IoPoller} (the {@code Selector}, channel registrations, the
 * {@link WakeupChannel} self-pipe) and the {@link BlockingPool} (an elastic thread pool for
 * {@link Async#blocking}). Other threads reach the loop only through its {@link Inbox}. One iteration:
 * <ol>
 *   <li>poll the selector: without blocking if something is ready, else until the next timer, else until woken;</li>
 *   <li>wake the tasks whose channels are ready; run what other threads posted;</li>
 *   <li>run the timers that are due;</li>
 *   <li>run what is ready now, in FIFO order (not what becomes ready meanwhile).</li>
 * </ol>
 *
 * <h2>Threads</h2>
 * {@link #spawn}, {@link #execute}, {@link #callSoon}, {@link #callLater}, {@link #time()} and
 * {@link #close()} may be called from any thread; from another thread they wake the loop.
 * Callbacks run on the loop's thread, where they must not block; an exception a callback throws is
 * logged (through {@link System.Logger} {@code io.bobbin.EventLoop}) and never stops the loop.
 *
 * <h2>Failures</h2>
 * A task that fails and whose outcome nobody has asked for (no {@code join}, completion callback,
 * future or {@code resultNow}/{@code exceptionNow}) within a second of its failure, or by the time the
 * loop ends, is reported once at {@code WARNING} through the same logger. It never stops the loop.
 */
public final class EventLoop implements AutoCloseable, Executor {
    static final System.Logger LOG = System.getLogger("io.bobbin.EventLoop");
    private static final ThreadLocal<EventLoop> CURRENT = new ThreadLocal<>();
    private static final AtomicInteger LOOPS = new AtomicInteger();

    private final String name;
    /** The loop's thread: the caller of {@code run}, or the thread {@code start} made (set before it starts). */
    private volatile Thread thread;
    final Scheduler scheduler;
    final BlockingPool pool;
    private final WakeupChannel wakeup;
    private final IoPoller io;

    IoPoller io() {
        return io;
    }
    private final Inbox inbox;
    private final AtomicLong taskIds = new AtomicLong();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean closing;
    private boolean shutdownBegun;

    private EventLoop(Builder b, Thread thread, String name) throws IOException {
        this.name = name;
        this.thread = thread;
        this.scheduler = new Scheduler(this);
        this.pool = new BlockingPool(name, b.maxBlockingThreads, b.blockingKeepAlive.toNanos());
        this.wakeup = new WakeupChannel();
        try {
            this.io = new IoPoller(wakeup);
        } catch (IOException | RuntimeException e) {
            wakeup.close();
            throw e;
        }
        this.inbox = new Inbox(wakeup, this);
    }

    // ---- ways in ------------------------------------------------------------------------------

    /**
     * Runs an event loop on the calling thread with {@code main} as its first task, and returns
     * main's result or rethrows its exception as it is. When main ends, the tasks still running are
     * cancelled and finish (tasks that never started are dropped) before this returns; then the
     * loop's selector, wakeup channel and pool threads are released.
     *
     * @throws IllegalStateException on a thread that already runs a loop (from a task or callback)
     */
    public static <T> T run(SuspendableCallable<T> main) throws Exception {
        return builder().run(main);
    }

    /** Starts a loop with the default settings on a thread of its own; it runs until {@link #close()}. */
    public static EventLoop start() {
        return builder().start();
    }

    /** Settings for a new loop. */
    public static Builder builder() {
        return new Builder();
    }

    /** The loop running on this thread, or {@code null} (on a thread of a loop's blocking pool too). */
    public static EventLoop current() {
        return CURRENT.get();
    }

    /** Settings for a new loop; then {@link #run} or {@link #start}. */
    public static final class Builder {
        private String name;
        private int maxBlockingThreads = 64;
        private Duration blockingKeepAlive = Duration.ofSeconds(30);
        private boolean daemon;

        private Builder() {}

        /** The loop's name, used for its thread and its pool's threads; default {@code bobbin-loop-<n>}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The most threads {@link Async#blocking} work may use at once; default 64. */
        public Builder maxBlockingThreads(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxBlockingThreads must be at least 1: " + max);
            }
            this.maxBlockingThreads = max;
            return this;
        }

        /** How long a blocking-pool thread stays idle before it retires; default 30 seconds. */
        public Builder blockingKeepAlive(Duration keepAlive) {
            if (keepAlive.isNegative()) {
                throw new IllegalArgumentException("blockingKeepAlive must not be negative: " + keepAlive);
            }
            this.blockingKeepAlive = keepAlive;
            return this;
        }

        /** Whether the thread of a {@linkplain #start() started} loop is a daemon; default {@code false}. */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        private String nameOrDefault() {
            return name != null ? name : "bobbin-loop-" + LOOPS.incrementAndGet();
        }

        /** As {@link EventLoop#run(SuspendableCallable)}, with these settings. */
        public <T> T run(SuspendableCallable<T> main) throws Exception {
            Objects.requireNonNull(main, "main");
            EventLoop here = current();
            if (here != null) {
                throw new IllegalStateException("EventLoop.run called on the thread of " + here.name()
                        + " (from one of its tasks or callbacks): it would block that loop; use Async.spawn");
            }
            EventLoop loop = new EventLoop(this, Thread.currentThread(), nameOrDefault());
            LoopTask<T> task = loop.newTask(main);
            task.observed = true;
            loop.scheduler.start(task);
            loop.runLoop(task);
            return task.join();
        }

        /** Starts a loop with these settings on a new thread, which runs it until {@link EventLoop#close()}. */
        public EventLoop start() {
            String n = nameOrDefault();
            EventLoop loop;
            try {
                loop = new EventLoop(this, null, n);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the event loop's selector", e);
            }
            Thread runner = new Thread(() -> loop.runLoop(null), n);
            loop.thread = runner;
            runner.setDaemon(daemon);
            runner.start();
            return loop;
        }
    }

    // ---- the loop ----------------------------------------------------------------------------

    Thread loopThread() {
        return thread;
    }

    /** Runs iterations until {@code main} (or, for a started loop, a close request) ends the loop. */
    private void runLoop(LoopTask<?> main) {
        CURRENT.set(this);
        try {
            boolean ran = false;
            while (true) {
                if (main != null && main.isDone() && !shutdownBegun) {
                    beginShutdown();
                }
                if (closing && !shutdownBegun) {
                    beginShutdown();
                }
                if (shutdownBegun && !scheduler.hasLiveTasks()) {
                    break;
                }
                long timeout = inbox.isEmpty() ? scheduler.selectTimeoutMillis() : 0;
                io.poll(timeout, ran);
                inbox.drain();
                scheduler.fireDueTimers();
                ran = scheduler.runReady() > 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the event loop's selector failed", e);
        } finally {
            release();
            CURRENT.remove();
        }
    }

    private void beginShutdown() {
        shutdownBegun = true;
        closing = true;
        scheduler.cancelAll();
    }

    private void release() {
        closing = true;
        for (Runnable r : inbox.close()) {
            if (r instanceof SpawnAction) {
                ((SpawnAction) r).task.finishUnstarted();
            }
        }
        scheduler.cancelAll(); // anything left if the loop failed
        scheduler.reportUnobservedFailures();
        scheduler.clear();
        pool.shutdown(2_000, CompletionWait.OnPool::dropped);
        io.close();
        wakeup.close();
        terminated.countDown();
    }

    /** Runs {@code r}, logging what it throws: nothing a callback does stops the loop. */
    static void runGuarded(Runnable r) {
        try {
            r.run();
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, "a callback of the event loop failed", e);
        }
    }

    /** Runs {@code action} now if called on the loop's thread, else posts it; {@code false} if the loop has ended. */
    boolean onLoopThread(Runnable action) {
        if (Thread.currentThread() == loopThread()) {
            action.run();
            return true;
        }
        return inbox.post(action);
    }

    // ---- public API ---------------------------------------------------------------------------

    /**
     * Adds a task running {@code body} to this loop, from any thread. The body never runs at once:
     * it is queued at the back of the ready queue.
     *
     * @throws RejectedExecutionException if the loop has ended
     */
    public <T> Task<T> spawn(SuspendableCallable<T> body) {
        Objects.requireNonNull(body, "body");
        LoopTask<T> task = newTask(body);
        if (Thread.currentThread() == loopThread()) {
            if (terminated.getCount() == 0) {
                throw new RejectedExecutionException(name + " has ended");
            }
            scheduler.start(task);
        } else if (!inbox.post(new SpawnAction(task))) {
            throw new RejectedExecutionException(name + " has ended");
        }
        return task;
    }

    private <T> LoopTask<T> newTask(SuspendableCallable<T> body) {
        return new LoopTask<>(this, taskIds.incrementAndGet(), body);
    }

    /** Posts the start of a task from another thread; a loop that ended first cancels it instead. */
    private static final class SpawnAction implements Runnable {
        final LoopTask<?> task;

        SpawnAction(LoopTask<?> task) {
            this.task = task;
        }

        @Override
        public void run() {
            task.loop.scheduler.start(task);
        }
    }

    /**
     * Runs {@code command} on the loop's thread as a callback, after what is ready now (the same as
     * {@link #callSoon}). From any thread.
     *
     * @throws RejectedExecutionException if the loop has ended
     */
    @Override
    public void execute(Runnable command) {
        callSoon(command);
    }

    /**
     * Queues {@code callback} to run on the loop's thread, in FIFO order with the ready tasks. From
     * any thread.
     *
     * @throws RejectedExecutionException if the loop has ended
     */
    public CallbackHandle callSoon(Runnable callback) {
        ScheduledCallback c = new ScheduledCallback(this, Objects.requireNonNull(callback, "callback"));
        if (!onLoopThread(() -> scheduler.callSoon(c))) {
            throw new RejectedExecutionException(name + " has ended");
        }
        return c;
    }

    /**
     * Runs {@code callback} on the loop's thread once {@code delay} has passed (at the earliest).
     * From any thread. The handle cancels it and removes its timer.
     *
     * @throws RejectedExecutionException if the loop has ended
     */
    public CallbackHandle callLater(Duration delay, Runnable callback) {
        Objects.requireNonNull(delay, "delay");
        ScheduledCallback c = new ScheduledCallback(this, Objects.requireNonNull(callback, "callback"));
        long nanos = PlainCode.saturatedNanos(delay);
        long asked = System.nanoTime();
        boolean ok = onLoopThread(() -> {
            if (c.isCancelled()) {
                return;
            }
            long elapsed = System.nanoTime() - asked; // time spent in the inbox counts
            long left = Math.max(0, nanos > 0 ? nanos - elapsed : 0);
            c.timer = scheduler.timers.add(scheduler.deadlineAfter(Duration.ofNanos(left)), c);
        });
        if (!ok) {
            throw new RejectedExecutionException(name + " has ended");
        }
        return c;
    }

    /**
     * The loop's monotonic clock: nanoseconds since the loop was made. The clock of its timers;
     * only differences matter. From any thread.
     */
    public long time() {
        return scheduler.now();
    }

    /** The loop's name (its thread's, for a started loop). */
    public String name() {
        return name;
    }

    /** Whether the calling thread is this loop's thread. */
    public boolean inLoopThread() {
        return Thread.currentThread() == loopThread();
    }

    /** How many bytes were written to the wakeup channel so far: one per batch of outside events. */
    public long wakeups() {
        return wakeup.written();
    }

    /** How many wakeups were coalesced: they found the loop woken already and wrote nothing. */
    public long coalescedWakeups() {
        return wakeup.coalesced();
    }

    /** The blocking pool's threads alive now. */
    public int blockingThreads() {
        return pool.threadCount();
    }

    /** Whether the loop has ended and released its resources. */
    public boolean isClosed() {
        return terminated.getCount() == 0;
    }

    /**
     * Cancels the loop's tasks, lets their {@code finally} blocks run, and releases the selector,
     * the wakeup channel and the pool threads. From another thread it waits until that is done; on
     * the loop's own thread (in a task or callback) it only starts it, and the loop ends once its
     * tasks (the calling one too: it is cancelled) have ended. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (!closing) {
            closing = true;
            onLoopThread(() -> { }); // wakes the loop, which sees the close request
        }
        if (!inLoopThread()) {
            try {
                terminated.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (!shutdownBegun) {
            beginShutdown();
        }
    }

    /** Waits up to {@code limit} for the loop to end; {@code true} if it has. */
    public boolean awaitTermination(Duration limit) throws InterruptedException {
        return terminated.await(PlainCode.saturatedNanos(limit), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "EventLoop[" + name + (isClosed() ? ", closed" : "") + "]";
    }
}
