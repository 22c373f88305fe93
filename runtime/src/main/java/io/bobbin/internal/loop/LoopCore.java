package io.bobbin.internal.loop;

import io.bobbin.CallbackHandle;
import io.bobbin.EventLoop;
import io.bobbin.LoopStats;
import io.bobbin.SuspendableCallable;
import io.bobbin.internal.blocking.BlockingPool;
import io.bobbin.internal.io.Poller;
import io.bobbin.internal.observe.Events;
import io.bobbin.internal.observe.LoopDump;
import io.bobbin.internal.observe.LoopObserver;
import io.bobbin.internal.task.CompletionWait;
import io.bobbin.internal.task.LoopTask;
import io.bobbin.internal.task.TaskHost;
import io.bobbin.internal.task.TaskList;
import io.bobbin.internal.time.Clock;
import io.bobbin.internal.time.TimerEntry;
import io.bobbin.internal.time.TimerQueue;
import io.bobbin.internal.time.VirtualClock;
import io.bobbin.internal.util.Logs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine of one {@link EventLoop} (the public class is its face): the ready queue, the timers on
 * the loop's {@link Clock}, the live tasks, the {@link Inbox} through which other threads reach it, and
 * the turn that ties them to the {@link Poller} and the {@link BlockingPool}. It is the
 * {@link TaskHost} of its tasks.
 *
 * <p>One turn:
 * <ol>
 *   <li>poll: without blocking if something is ready or was posted, else until the next timer, else
 *       until woken (skipped when tasks are ready and none waits on a channel);</li>
 *   <li>run what other threads posted;</li>
 *   <li>run the timers that are due;</li>
 *   <li>run what is ready now, in FIFO order (not what becomes ready meanwhile).</li>
 * </ol>
 *
 * <p>A loop of a group also asks its {@link GroupFeed} once per turn, before the poll, for the group
 * tasks queued for it (and, when idle, for a sibling's), and tells it when the poll returns.
 *
 * <p>Deterministic loops: on a {@link VirtualClock} the poll never waits for a timer; when nothing is
 * ready, nothing was posted and no blocking work is in flight, the clock jumps at once to the earliest
 * timer ({@link #advanceVirtualClockIfIdle()}). With a seed, each turn's ready steps run in a seeded
 * order ({@link SeededOrder}) instead of FIFO.
 *
 * <p>Threads: {@link #onHostThread}, {@link #spawn}, {@link #callSoon}, {@link #callLater},
 * {@link #now()}, {@link #requestClose()}, {@link #wakeup()} and the accessors from any thread;
 * everything else (the ready queue, the timers, the live set, the unreported failures, the group
 * feed) belongs to the loop's thread.
 */
public final class LoopCore implements TaskHost {
    private static final ThreadLocal<EventLoop> CURRENT = new ThreadLocal<>();
    /** How long a failed task may wait for someone to ask for its outcome before it is reported. */
    static final long REPORT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EventLoop face;
    private final String name;
    /** The loop's thread: the caller of {@code run}, or the thread {@code start} made (set before it starts). */
    private volatile Thread thread;
    private final Clock clock;
    private final long origin;
    /** {@link #clock} when it is virtual, else {@code null}. */
    private final VirtualClock virtualClock;
    private final Poller poller;
    private final BlockingPool pool;
    private final Inbox inbox;
    /** Slow-step watch, step times for Flight Recorder, the MBean: see {@link LoopObserver}. */
    private final LoopObserver observer;
    private final AtomicLong taskIds = new AtomicLong();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean closing;

    // ---- loop thread only ----
    private final ReadyQueue ready = new ReadyQueue();
    /** The seeded order of each turn's ready steps, or {@code null}: FIFO. */
    private final SeededOrder seededOrder;
    /** The blocking work in flight, counted on a virtual clock only (else {@code null}). */
    private final BlockingInFlight blockingInFlight;
    private final TimerQueue timers = new TimerQueue();
    private final TaskList live = new TaskList();
    /** Failed tasks nobody has asked about yet, oldest first; each is reported after {@link #REPORT_GRACE_NANOS}. */
    private final ArrayDeque<LoopTask<?>> unobservedFailures = new ArrayDeque<>();
    /** Whether {@link #runLoop} is running; written and read (with the thread check first) on the loop's thread. */
    private boolean running;
    private boolean shutdownBegun;
    /** The group this loop belongs to, or {@code null}; set once by {@link #joinGroup}. */
    private GroupFeed group;
    private long steps;
    private long turns;

    public LoopCore(EventLoop face, String name, Thread thread, Clock clock, Poller poller, BlockingPool pool) {
        this(face, name, thread, clock, poller, pool, OptionalLong.empty());
    }

    /**
     * A loop on {@code clock} (a {@link VirtualClock} makes it a virtual-time loop) whose turns run
     * their ready steps in an order drawn from {@code seed}, or in FIFO order when it is empty.
     */
    public LoopCore(EventLoop face, String name, Thread thread, Clock clock, Poller poller, BlockingPool pool,
                    OptionalLong seed) {
        this.face = face;
        this.name = name;
        this.thread = thread;
        this.clock = clock;
        this.origin = clock.nanoTime();
        this.virtualClock = clock instanceof VirtualClock ? (VirtualClock) clock : null;
        this.poller = poller;
        this.pool = pool;
        this.inbox = new Inbox(poller, this::thread);
        this.seededOrder = seed.isPresent() ? new SeededOrder(seed.getAsLong()) : null;
        this.blockingInFlight = virtualClock != null ? new BlockingInFlight(this) : null;
        this.observer = new LoopObserver(face, name);
    }

    /** The loop running on this thread, or {@code null}. */
    public static EventLoop currentLoop() {
        return CURRENT.get();
    }

    /** Sets the thread of a started loop, before it starts. */
    public void setThread(Thread t) {
        thread = t;
    }

    Thread thread() {
        return thread;
    }

    // ---- TaskHost ------------------------------------------------------------------------------

    @Override
    public EventLoop loop() {
        return face;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void schedule(LoopTask<?> task) {
        ready.add(task);
    }

    @Override
    public boolean onHostThread(Runnable action) {
        if (inHostThread()) {
            action.run();
            return true;
        }
        return inbox.post(action);
    }

    @Override
    public long now() {
        return clock.nanoTime() - origin;
    }

    @Override
    public TimerEntry addTimer(long deadline, Runnable action) {
        return timers.add(deadline, action);
    }

    @Override
    public void addTimer(TimerEntry timer, long deadline) {
        timers.add(timer, deadline);
    }

    @Override
    public void cancelTimer(TimerEntry timer) {
        timers.remove(timer);
    }

    @Override
    public Poller poller() {
        return poller;
    }

    @Override
    public void submitBlocking(Runnable job) {
        Runnable timed = Events.timedBlocking(job, name);
        if (blockingInFlight != null) {
            blockingInFlight.submit(pool, timed);
        } else {
            pool.submit(timed);
        }
    }

    @Override
    public void taskEnded(LoopTask<?> task) {
        live.remove(task);
        if (seededOrder != null) {
            seededOrder.forget(task);
        }
        observer.taskEnded(task);
    }

    @Override
    public void failedUnobserved(LoopTask<?> task) {
        unobservedFailures.add(task);
        timers.add(now() + REPORT_GRACE_NANOS, () -> {
            LoopTask<?> oldest = unobservedFailures.poll();
            if (oldest != null) {
                oldest.reportIfUnobserved();
            }
        });
    }

    // ---- tasks and callbacks (any thread) -----------------------------------------------------

    /** Whether the calling thread is this loop's thread, while the loop runs. */
    public boolean inHostThread() {
        return Thread.currentThread() == thread && running;
    }

    /** A new task of this loop, not started yet. */
    public <T> LoopTask<T> newTask(SuspendableCallable<T> body) {
        return newTask(null, body);
    }

    /** A new task of this loop with a name (or {@code null}), not started yet. */
    public <T> LoopTask<T> newTask(String name, SuspendableCallable<T> body) {
        return new LoopTask<>(this, taskIds.incrementAndGet(), name, body);
    }

    /**
     * Adds a task running {@code body}, at the back of the ready queue. From any thread.
     *
     * @throws RejectedExecutionException if the loop has ended
     */
    public <T> LoopTask<T> spawn(SuspendableCallable<T> body) {
        return spawn(null, body);
    }

    /** As {@link #spawn(SuspendableCallable)}, for a task with a name (or {@code null}). */
    public <T> LoopTask<T> spawn(String name, SuspendableCallable<T> body) {
        LoopTask<T> task = newTask(name, body);
        if (inHostThread()) {
            start(task);
        } else if (!inbox.post(new SpawnAction(task))) {
            throw new RejectedExecutionException(name + " has ended; spawn on a loop that runs");
        }
        return task;
    }

    /** Loop thread: takes in a new task, queued at the back, or (shutting down) ended without running. */
    public void start(LoopTask<?> task) {
        if (task.isDone()) {
            return; // cancelled before its spawn reached the loop
        }
        live.add(task);
        if (seededOrder != null) {
            seededOrder.admit(task);
        }
        task.start(shutdownBegun);
    }

    /** Posts the start of a task from another thread; a loop that ended first cancels it instead. */
    private final class SpawnAction implements Runnable {
        final LoopTask<?> task;

        SpawnAction(LoopTask<?> task) {
            this.task = task;
        }

        @Override
        public void run() {
            start(task);
        }
    }

    /** Queues a callback, FIFO with the ready tasks. From any thread. */
    public CallbackHandle callSoon(Runnable callback) {
        ScheduledCallback c = new ScheduledCallback(this, callback);
        if (!onHostThread(() -> queueCallback(c))) {
            throw new RejectedExecutionException(name + " has ended; schedule callbacks on a loop that runs");
        }
        return c;
    }

    /** Loop thread: queues a callback at the back of the ready queue. */
    private void queueCallback(ScheduledCallback c) {
        ready.add(c);
        if (seededOrder != null) {
            seededOrder.admit(c);
        }
    }

    /** Runs {@code callback} once {@code nanos} have passed on the loop's clock. From any thread. */
    public CallbackHandle callLater(long nanos, Runnable callback) {
        ScheduledCallback c = new ScheduledCallback(this, callback);
        long asked = now();
        boolean ok = onHostThread(() -> {
            if (!c.isCancelled()) { // time spent in the inbox counts
                timers.add(c, Clock.deadline(asked, nanos));
            }
        });
        if (!ok) {
            throw new RejectedExecutionException(name + " has ended; schedule callbacks on a loop that runs");
        }
        return c;
    }

    // ---- the loop ------------------------------------------------------------------------------

    /** Runs turns until {@code main} (or, for a started loop, a close request) ends the loop. Loop thread. */
    public void runLoop(LoopTask<?> main) {
        CURRENT.set(face);
        running = true;
        observer.started(Thread.currentThread());
        boolean interrupted = false;
        try {
            boolean ran = false;
            while (true) {
                if (!shutdownBegun && (closing || (main != null && main.isDone()))) {
                    beginShutdown();
                }
                if (shutdownBegun && live.isEmpty()) {
                    break;
                }
                turns++;
                if (group != null) {
                    group.feed(ready.isEmpty() && inbox.isEmpty() && !shutdownBegun);
                }
                boolean posted = !inbox.isEmpty();
                if (posted || ready.isEmpty() || poller.hasWaiters()) {
                    poller.poll(posted ? 0 : pollTimeoutMillis(), ran, pool.outstanding() > 0);
                    advanceVirtualClockIfIdle();
                } // else tasks are ready and none waits on a channel: no poll system call this turn
                if (group != null) {
                    group.awake();
                }
                if (Thread.interrupted()) { // a select returns at once while the flag is up: never spin on it
                    interrupted = true;
                    if (main != null) {
                        main.cancel();
                    }
                }
                int done = inbox.drain();
                done += fireDueTimers();
                done += runReady();
                ran = done > 0; // they may have closed channels: look before blocking
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the selector of " + name + " failed; the loop has ended", e);
        } finally {
            release();
            running = false;
            CURRENT.remove();
            if (interrupted && main != null) {
                Thread.currentThread().interrupt(); // the caller of run() sees it
            }
        }
    }

    /** Runs the timers that are due; returns how many. */
    private int fireDueTimers() {
        if (timers.size() == 0) {
            return 0; // no clock read per turn when there is no timer
        }
        long now = now();
        int n = 0;
        LoopObserver timing = observer.stepTiming();
        for (TimerEntry e; (e = timers.pollDue(now)) != null; n++) {
            if (seededOrder != null && e instanceof ScheduledCallback) {
                queueCallback((ScheduledCallback) e); // a due callLater is ready: it takes its place in the seeded order
            } else {
                runStep(e.action(), timing);
            }
        }
        return n;
    }

    /**
     * Runs what is ready now, not what becomes ready meanwhile; returns how many it ran. Every
     * {@value #TIMER_CHECK_STEPS} steps it fires the timers that have come due meanwhile (one clock
     * read, and only while there are timers): a task a timer wakes then queues behind the rest of this
     * batch, but ahead of the I/O that the next poll finds, rather than behind that too. Under load
     * (1,000 busy connections) that halves a timer's lateness; the order stays FIFO.
     */
    int runReady() {
        int n = ready.size();
        LoopObserver timing = observer.stepTiming();
        if (seededOrder != null) {
            return runReadySeeded(n, timing);
        }
        for (int i = 0; i < n; i++) {
            runStep(ready.poll(), timing);
            if ((i & (TIMER_CHECK_STEPS - 1)) == TIMER_CHECK_STEPS - 1) {
                fireDueTimers();
            }
        }
        steps += n;
        if (n >= TIMER_CHECK_STEPS) {
            fireDueTimers(); // what came due during the batch goes ahead of the next poll's I/O
        }
        return n;
    }

    /** How many steps {@link #runReady()} runs between two looks at the timers; a power of two. */
    private static final int TIMER_CHECK_STEPS = 64;

    /** {@link #runReady()} of a seeded loop: this turn's {@code n} ready steps, in the seed's order. */
    private int runReadySeeded(int n, LoopObserver timing) {
        Runnable[] batch = seededOrder.take(ready, n);
        for (int i = 0; i < n; i++) {
            Runnable step = batch[i];
            batch[i] = null;
            if (step instanceof ScheduledCallback) {
                seededOrder.forget(step);
            }
            runStep(step, timing);
        }
        steps += n;
        return n;
    }

    /**
     * Virtual time: after a poll that found nothing, when nothing is ready, nothing was posted and no
     * blocking work is in flight, the clock jumps at once to the earliest timer (which the turn then
     * fires). I/O readiness and awaited stages do not hold it back. Does nothing on the system clock.
     */
    private void advanceVirtualClockIfIdle() {
        if (virtualClock != null && timers.size() > 0 && ready.isEmpty() && inbox.isEmpty()
                && blockingInFlight.isEmpty()) {
            virtualClock.advanceTo(origin + timers.nextDeadline());
        }
    }

    /**
     * How long a poll may block: 0 if something is ready, -1 for "until woken", else millis to the next
     * timer. On a virtual clock a timer never makes the poll wait: 0 when the clock may jump to it, else
     * (blocking work in flight) -1, until the work's completion wakes the poller.
     */
    private long pollTimeoutMillis() {
        if (!ready.isEmpty()) {
            return 0;
        }
        if (virtualClock != null) {
            return timers.size() > 0 && blockingInFlight.isEmpty() ? 0 : -1;
        }
        long next = timers.nextDeadline();
        if (next == Long.MAX_VALUE) {
            return -1;
        }
        long nanos = next - now();
        if (nanos <= 0) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    /** Runs one task step or callback, timed if {@code timing} (from {@link LoopObserver#stepTiming()}) is not null. */
    private static void runStep(Runnable r, LoopObserver timing) {
        if (timing == null) {
            runGuarded(r);
        } else {
            long began = timing.stepStarted(r);
            runGuarded(r);
            timing.stepEnded(r, began);
        }
    }

    /** Runs {@code r}, logging what it throws: nothing a callback does stops the loop. */
    static void runGuarded(Runnable r) {
        try {
            r.run();
        } catch (Throwable e) {
            Logs.LOOP.log(System.Logger.Level.WARNING, "a callback of the event loop failed", e);
        }
    }

    /** Loop thread: cancels every live task; the ones never started end at once, the others at their checkpoint. */
    private void beginShutdown() {
        shutdownBegun = true;
        closing = true;
        cancelAll();
    }

    private void cancelAll() {
        for (LoopTask<?> t : new ArrayList<>(live)) {
            t.cancelForShutdown();
        }
    }

    private void release() {
        closing = true;
        shutdownBegun = true;
        for (Runnable r : inbox.close()) {
            if (r instanceof SpawnAction) {
                ((SpawnAction) r).task.finishUnstarted();
            }
        }
        if (group != null) {
            group.loopEnding(); // its queued group tasks end cancelled, never run
        }
        cancelAll(); // anything left if the loop failed
        for (LoopTask<?> t; (t = unobservedFailures.poll()) != null; ) {
            t.reportIfUnobserved();
        }
        ready.clear();
        timers.clear();
        pool.shutdown(2_000, job -> CompletionWait.OnPool.dropped(Events.untimed(BlockingInFlight.unwrap(job))));
        poller.close();
        observer.ended();
        terminated.countDown();
    }

    // ---- loop groups ---------------------------------------------------------------------------

    /**
     * Makes this loop a member of a group, which {@code feed} speaks for: from the next turn on the
     * loop takes in the group's tasks queued for it. Loop thread (from a task or callback), once.
     *
     * @throws IllegalStateException off the loop's thread, or if the loop is in a group already
     */
    public void joinGroup(GroupFeed feed) {
        if (!inHostThread()) {
            throw new IllegalStateException("a loop joins a group on its own thread, while it runs");
        }
        if (group != null) {
            throw new IllegalStateException(name + " belongs to a group already");
        }
        group = feed;
    }

    /** Makes the loop's current or next poll return, unless called on the loop's own thread. Any thread. */
    public void wakeup() {
        if (Thread.currentThread() != thread) {
            poller.wakeup();
        }
    }

    /** A fresh task number, for a task placed on this loop. Any thread. */
    public long newTaskId() {
        return taskIds.incrementAndGet();
    }

    /** How many tasks of this loop have not ended: a moment's value, read without a lock. Any thread. */
    public int liveTaskCount() {
        return live.size();
    }

    /** The loop's thread (the caller of {@code run}, or the thread {@code start} made). */
    public Thread loopThread() {
        return thread;
    }

    // ---- closing -------------------------------------------------------------------------------

    /** Asks the loop to shut down; returns at once. From any thread. */
    public void requestClose() {
        if (!closing) {
            closing = true;
            onHostThread(() -> { }); // wakes the loop, which sees the close request
        }
        if (inHostThread() && !shutdownBegun) {
            beginShutdown();
        }
    }

    /** Waits until the loop has ended and released everything. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Waits up to {@code nanos} for the loop to end; {@code true} if it has. */
    public boolean awaitTermination(long nanos) throws InterruptedException {
        return terminated.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** Whether the loop has ended and released its resources. */
    public boolean isClosed() {
        return terminated.getCount() == 0;
    }

    /**
     * The tasks of this loop that have not ended, in no particular order (a snapshot). Loop thread:
     * a test harness asks it from the main task, to name the tasks a test left running.
     */
    public List<LoopTask<?>> liveTasks() {
        return new ArrayList<>(live);
    }

    /**
     * A snapshot of the loop's counters. From any thread; read from another thread while the loop
     * runs, the sizes are a moment's values, not a consistent cut.
     */
    public LoopStats stats() {
        return new LoopStats(live.size(), ready.size(), timers.size(), poller.registeredChannels(),
                pool.threadCount(), steps, turns, poller.wakeupsWritten(), poller.wakeupsCoalesced());
    }

    // ---- observability -------------------------------------------------------------------------

    /** Before the loop starts: report task steps and callbacks longer than {@code nanos} (0: none). */
    public void slowStepThreshold(long nanos) {
        observer.slowStepThreshold(nanos);
    }

    /**
     * Every live task: its state, what it waits for, its frames (see {@link LoopDump}). From any
     * thread: the tasks are read on the loop's thread, which another thread waits for a bounded time.
     */
    public String dump() {
        return LoopDump.take(name, thread, observer, this::onHostThread,
                () -> LoopDump.describe(name, thread, now(), stats(), live));
    }
}
