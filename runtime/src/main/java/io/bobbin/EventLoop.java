package io.bobbin;

import io.bobbin.internal.blocking.BlockingPool;
import io.bobbin.internal.io.NioPoller;
import io.bobbin.internal.loop.LoopCore;
import io.bobbin.internal.observe.SlowStepWatchdog;
import io.bobbin.internal.task.LoopTask;
import io.bobbin.internal.time.Clock;
import io.bobbin.internal.time.VirtualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

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
 * This class is the face of a loop; its engine ({@code io.bobbin.internal.loop.LoopCore}) owns the
 * FIFO ready queue, the timers on the loop's clock and the live tasks, and hosts the tasks (each a
 * state machine of its own, {@code io.bobbin.internal.task.LoopTask}). Behind it sit a poller
 * ({@code io.bobbin.internal.io}: the {@code Selector} and its self-pipe wakeup channel) and an
 * elastic blocking pool ({@code io.bobbin.internal.blocking}). Other threads reach the loop only
 * through its inbox. One turn:
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
    private static final AtomicInteger LOOPS = new AtomicInteger();

    private final LoopCore core;

    private EventLoop(Builder b, Thread thread, String name) throws IOException {
        long slowStepNanos = SlowStepWatchdog.thresholdNanos(b.slowStepThreshold); // a bad property throws before anything opens
        this.core = new LoopCore(this, name, thread, b.virtualTime ? new VirtualClock() : Clock.SYSTEM, new NioPoller(),
                new BlockingPool(name, b.maxBlockingThreads, b.blockingKeepAlive.toNanos()), b.seed);
        core.slowStepThreshold(slowStepNanos);
    }

    // ---- ways in ------------------------------------------------------------------------------

    /**
     * Runs an event loop on the calling thread with {@code main} as its first task, and returns
     * main's result or rethrows its exception as it is. When main ends, the tasks still running are
     * cancelled and finish (tasks that never started are dropped) before this returns; then the
     * loop's selector, wakeup channel and pool threads are released.
     *
     * <p>An interrupt of the calling thread cancels {@code main}; the thread's interrupt status is
     * set again when this returns.
     *
     * @throws IllegalStateException on a thread that already runs a loop (from a task or callback)
     */
    public static <T> T run(SuspendableCallable<T> main) throws Exception {
        return builder().run(main);
    }

    /**
     * As {@link #run(SuspendableCallable)}, for a {@code main} that returns nothing: no
     * {@code return null;} needed.
     *
     * <pre>{@code
     * EventLoop.run(() -> {
     *     Async.sleep(Duration.ofMillis(10));
     *     System.out.println("done");
     * });
     * }</pre>
     *
     * @throws IllegalStateException on a thread that already runs a loop (from a task or callback)
     */
    public static void run(SuspendableRunnable main) throws Exception {
        builder().run(main);
    }

    /**
     * Starts a loop with the default settings on a thread of its own; it runs until {@link #close()}.
     * An interrupt of that thread is ignored.
     */
    public static EventLoop start() {
        return builder().start();
    }

    /** Settings for a new loop. */
    public static Builder builder() {
        return new Builder();
    }

    /** The loop running on this thread, or {@code null} (on a thread of a loop's blocking pool too). */
    public static EventLoop current() {
        return LoopCore.currentLoop();
    }

    /** Settings for a new loop; then {@link #run} or {@link #start}. */
    public static final class Builder {
        private String name;
        private int maxBlockingThreads = 64;
        private Duration blockingKeepAlive = Duration.ofSeconds(30);
        private boolean daemon;
        private boolean virtualTime;
        private OptionalLong seed = OptionalLong.empty();

        private Builder() {}

        /** The loop's name, used for its thread and its pool's threads; default {@code bobbin-loop-<n>}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The most threads {@link Async#blocking} work may use at once; default 64. */
        public Builder maxBlockingThreads(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxBlockingThreads must be at least 1, not " + max);
            }
            this.maxBlockingThreads = max;
            return this;
        }

        /** How long a blocking-pool thread stays idle before it retires; default 30 seconds. */
        public Builder blockingKeepAlive(Duration keepAlive) {
            if (keepAlive.isNegative()) {
                throw new IllegalArgumentException("blockingKeepAlive must not be negative, not " + keepAlive);
            }
            this.blockingKeepAlive = keepAlive;
            return this;
        }

        /** Whether the thread of a {@linkplain #start() started} loop is a daemon; default {@code false}. */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * Makes the loop's clock virtual: {@link EventLoop#time()}, {@link Async#sleep},
         * {@link EventLoop#callLater}, {@link Async#withTimeout} and every other deadline of the loop
         * follow it. It starts at 0 and stands still while anything can progress; whenever no task or
         * callback is ready, nothing was posted from another thread and no {@link Async#blocking} work
         * is in flight, it jumps at once to the earliest timer. A task sleeping an hour ends in well
         * under a second of real time, and wakeups come exactly in the order of their virtual
         * deadlines (equal deadlines in the order they were set).
         *
         * <p>I/O readiness and {@link Async#await} are real: they do not hold the clock back, so a
         * timeout around a read from a socket may expire before the peer answers. Blocking work does:
         * the clock waits for it, however long it takes; work that was cancelled no longer counts. A
         * task that keeps yielding keeps the clock still.
         */
        public Builder virtualTime() {
            this.virtualTime = true;
            return this;
        }

        /**
         * Runs the tasks and callbacks ready in one turn of the loop in a pseudo-random order drawn
         * from {@code seed}, instead of FIFO. The same program with the same inputs and the same seed
         * runs its steps in the same order; other seeds explore other orders, so that a test run
         * under many seeds meets interleavings FIFO never shows. Combine it with
         * {@link #virtualTime()} for a repeatable run: on the system clock, which timers are due in
         * a turn depends on real time.
         *
         * <p>Steps that arrive in one turn in an order the program does not control (channels ready
         * at once, completions of blocking work or of awaited stages, due {@code callLater}
         * callbacks) are put in a canonical order first (the order in which the loop took in their
         * tasks and callbacks), then permuted, so they follow the seed too. What stays outside: in
         * which turn such an event arrives (real I/O and thread timing), and tasks or callbacks
         * handed to the loop by other threads.
         */
        public Builder seed(long seed) {
            this.seed = OptionalLong.of(seed);
            return this;
        }

        private Duration slowStepThreshold;

        /**
         * Reports every task step or callback that holds the loop's thread longer than {@code
         * threshold}: a task that computes too long between two suspension points, or calls something
         * that blocks the thread. Each such step is reported once, while it still runs, through
         * {@link System.Logger} {@code io.bobbin.EventLoop} at {@code WARNING}: what was running (the
         * task, or a callback), its method, and the stack of the loop's thread at that moment (sampled
         * by one daemon watchdog thread shared by every loop with a threshold, started with the first
         * of them), and recorded as a Flight Recorder event {@code io.bobbin.SlowStep}. A loop with a
         * threshold reads the clock twice per step; one without reads none.
         *
         * <p>Default: none, or the system property {@code bobbin.slowStepMillis} (milliseconds; 0 for
         * none) when it is set.
         *
         * @throws IllegalArgumentException if {@code threshold} is zero or negative
         */
        public Builder slowStepThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "threshold");
            if (threshold.isZero() || threshold.isNegative()) {
                throw new IllegalArgumentException("slowStepThreshold must be positive, not " + threshold);
            }
            this.slowStepThreshold = threshold;
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
                throw new IllegalStateException("EventLoop.run was called on the thread of " + here.name()
                        + " (from one of its tasks or callbacks), where it would block that loop; use Async.spawn");
            }
            EventLoop loop = new EventLoop(this, Thread.currentThread(), nameOrDefault());
            LoopTask<T> task = loop.core.newTask(main);
            task.markObserved();
            loop.core.start(task);
            loop.core.runLoop(task);
            return task.join();
        }

        /** As {@link EventLoop#run(SuspendableRunnable)}, with these settings. */
        public void run(SuspendableRunnable main) throws Exception {
            Objects.requireNonNull(main, "main");
            run(callable(main));
        }

        /** Starts a loop with these settings on a new thread, which runs it until {@link EventLoop#close()}. */
        public EventLoop start() {
            String n = nameOrDefault();
            EventLoop loop;
            try {
                loop = new EventLoop(this, null, n);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the selector of a new event loop", e);
            }
            Thread runner = new Thread(() -> loop.core.runLoop(null), n);
            loop.core.setThread(runner);
            runner.setDaemon(daemon);
            runner.start();
            return loop;
        }
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
        return core.spawn(body);
    }

    /**
     * As {@link #spawn(SuspendableCallable)}, for a body that returns nothing; the task's result is
     * {@code null}.
     *
     * @throws RejectedExecutionException if the loop has ended
     */
    public Task<Void> spawn(SuspendableRunnable body) {
        return spawn(callable(body));
    }

    /**
     * As {@link #spawn(SuspendableCallable)}, for a task with a name: its {@code toString()} is
     * {@code <loop>/task-<n> (<name>)}, and so are the log records and messages that name it.
     *
     * @throws IllegalArgumentException if {@code name} is empty or blank
     * @throws RejectedExecutionException if the loop has ended
     */
    public <T> Task<T> spawn(String name, SuspendableCallable<T> body) {
        checkName(name);
        Objects.requireNonNull(body, "body");
        return core.spawn(name, body);
    }

    /**
     * As {@link #spawn(String, SuspendableCallable)}, for a body that returns nothing.
     *
     * @throws IllegalArgumentException if {@code name} is empty or blank
     * @throws RejectedExecutionException if the loop has ended
     */
    public Task<Void> spawn(String name, SuspendableRunnable body) {
        return spawn(name, callable(body));
    }

    /** A task's name: not null, not blank. */
    static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a task's name must not be blank; give it a word that says what it does");
        }
        return name;
    }

    /** {@code body} as a body that returns {@code null}. */
    static SuspendableCallable<Void> callable(SuspendableRunnable body) {
        Objects.requireNonNull(body, "body");
        return () -> {
            body.run();
            return null;
        };
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
        return core.callSoon(Objects.requireNonNull(callback, "callback"));
    }

    /**
     * Runs {@code callback} on the loop's thread once {@code delay} has passed (at the earliest).
     * From any thread. The handle cancels it and removes its timer.
     *
     * @throws RejectedExecutionException if the loop has ended
     */
    public CallbackHandle callLater(Duration delay, Runnable callback) {
        Objects.requireNonNull(delay, "delay");
        return core.callLater(Clock.saturatedNanos(delay), Objects.requireNonNull(callback, "callback"));
    }

    /**
     * The loop's monotonic clock: nanoseconds since the loop was made. The clock of its timers;
     * only differences matter. From any thread.
     */
    public long time() {
        return core.now();
    }

    /** The loop's name (its thread's, for a started loop). */
    public String name() {
        return core.name();
    }

    /** Whether the calling thread is this loop's thread. */
    public boolean inLoopThread() {
        return core.inHostThread();
    }

    /**
     * A snapshot of the loop's counters: live tasks, ready queue, timers, channels, pool threads,
     * steps and turns run, wakeups written and coalesced. From any thread.
     */
    public LoopStats stats() {
        return core.stats();
    }

    /**
     * A readable text, like a thread dump, of every task of the loop: one block per task, in the order
     * they were spawned, with its name, its state ({@code new}, {@code ready}, {@code running}, {@code
     * waiting}), what it waits for (sleep until a time of the loop's clock, a readable or writable
     * channel, the join of a task, blocking work, a stage, a lock or a channel) and its frames, as
     * {@link Task#stackTrace()} gives them (the task that asks shows its live frames). A header gives
     * the loop's counters.
     *
     * <p>From any thread. The tasks are read on the loop's thread: another thread waits for it, at
     * most about a second; if a step holds the loop's thread that long (a task that blocks it), the
     * text says so instead, with where that thread is. The loop pauses while it writes the dump.
     * A loop that has ended has no tasks.
     */
    public String dump() {
        return core.dump();
    }

    /** Whether the loop has ended and released its resources. */
    public boolean isClosed() {
        return core.isClosed();
    }

    /**
     * Cancels the loop's tasks, lets their {@code finally} blocks run, and releases the selector,
     * the wakeup channel and the pool threads. From another thread it waits until that is done; on
     * the loop's own thread (in a task or callback) it only starts it, and the loop ends once its
     * tasks (the calling one too: it is cancelled) have ended. Closing twice does nothing. A task that
     * swallows its cancellation and goes on waiting keeps the loop (and this call) going until it ends.
     */
    @Override
    public void close() {
        core.requestClose();
        if (!core.inHostThread()) {
            try {
                core.awaitTermination();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits up to {@code limit} for the loop to end; {@code true} if it has. */
    public boolean awaitTermination(Duration limit) throws InterruptedException {
        return core.awaitTermination(Clock.saturatedNanos(limit));
    }

    @Override
    public String toString() {
        return "EventLoop[" + name() + (isClosed() ? ", closed" : "") + "]";
    }
}
