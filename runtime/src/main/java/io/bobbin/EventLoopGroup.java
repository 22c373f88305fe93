package io.bobbin;

import io.bobbin.internal.group.GroupCore;
import io.bobbin.internal.loop.LoopCore;
import io.bobbin.internal.task.LoopTask;
import io.bobbin.internal.task.TaskHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Event loops on all cores: {@code N} {@linkplain EventLoop loops}, each on a thread of its own,
 * and a {@link #spawn} that places each task on one of them by load.
 *
 * <pre>{@code
 * try (EventLoopGroup group = EventLoopGroup.start()) {      // one loop per available processor
 *     List<Task<Integer>> tasks = new ArrayList<>();
 *     for (int i = 0; i < 100; i++) {
 *         int n = i;
 *         tasks.add(group.spawn(() -> { Async.sleep(Duration.ofMillis(10)); return n * n; }));
 *     }
 *     for (Task<Integer> t : tasks) {
 *         System.out.println(t.join());                       // plain code: blocks until it ends
 *     }
 * }
 * }</pre>
 *
 * <h2>What stays true</h2>
 * Each loop of a group is an {@code EventLoop} like any other: its tasks never run in parallel with
 * each other, so the code between two suspension points of a task is atomic with respect to the
 * tasks of its loop. Tasks of different loops run in parallel, and share data as threads do.
 * {@link Async#spawn} inside a task puts the child on its parent's loop. {@link Task#join()},
 * {@link Task#cancel()} and every {@link Async} wait work across loops.
 *
 * <h2>Placement</h2>
 * {@link #spawn} looks at two loops picked at random and queues the task for the less loaded one
 * (live tasks plus tasks queued for it), which takes it in on its next turn. A loop that has nothing
 * to do takes over half of the tasks still queued for its busiest sibling (as Tokio's and Go's
 * schedulers steal half a run queue), so that one busy loop does not hold up work that another could
 * start now. Only tasks spawned with {@link #spawn} that have not started are ever taken over: once
 * started, a task stays on its loop, and so do the tasks it spawns with {@code Async.spawn}.
 * {@link #tasksTakenOver()} counts the take-overs.
 *
 * <h2>Threads</h2>
 * {@link #spawn}, {@link #loops()}, {@link #tasksTakenOver()} and {@link #close()} may be called from
 * any thread. A task cancelled while it waits in a queue never runs: it ends cancelled when a loop
 * takes it.
 */
public final class EventLoopGroup implements AutoCloseable {
    private static final AtomicInteger GROUPS = new AtomicInteger();

    private final String name;
    private final List<EventLoop> loops;
    private final GroupCore core;

    private EventLoopGroup(String name, List<EventLoop> loops, GroupCore core) {
        this.name = name;
        this.loops = List.copyOf(loops);
        this.core = core;
    }

    /** Starts a group with one loop per available processor. */
    public static EventLoopGroup start() {
        return start(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Starts a group of {@code loops} loops, each on a new thread named {@code bobbin-group-<g>-loop-<i>},
     * which run until {@link #close()}. The threads are not daemons, like {@link EventLoop#start()}'s.
     *
     * @throws IllegalArgumentException if {@code loops < 1}
     */
    public static EventLoopGroup start(int loops) {
        if (loops < 1) {
            throw new IllegalArgumentException("a group needs at least 1 loop, not " + loops);
        }
        String name = "bobbin-group-" + GROUPS.incrementAndGet();
        GroupCore core = new GroupCore(name, loops);
        List<EventLoop> started = new ArrayList<>(loops);
        try {
            List<Task<Void>> joins = new ArrayList<>(loops);
            for (int i = 0; i < loops; i++) {
                EventLoop loop = EventLoop.builder().name(name + "-loop-" + (i + 1)).start();
                started.add(loop);
                int index = i;
                // The group joins each loop from a first task on it: on the loop's thread, before any group task.
                joins.add(loop.spawn(() -> {
                    TaskHost host = LoopTask.currentOrNull().host();
                    core.attach(index, (LoopCore) host);
                    return null;
                }));
            }
            for (Task<Void> j : joins) {
                j.toCompletableFuture().get();
            }
        } catch (InterruptedException e) {
            closeAll(started);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the loops of " + name, e);
        } catch (ExecutionException | RuntimeException e) {
            closeAll(started);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot start the loops of " + name + ": " + cause, cause);
        }
        return new EventLoopGroup(name, started, core);
    }

    private static void closeAll(List<EventLoop> loops) {
        for (EventLoop l : loops) {
            l.close();
        }
    }

    /**
     * Adds a task running {@code body} to the group, from any thread: it is queued for the less
     * loaded of two loops picked at random, and starts there on that loop's next turn, unless an idle
     * loop takes it over first. The body never runs at once.
     *
     * @throws RejectedExecutionException if the group has ended
     */
    public <T> Task<T> spawn(SuspendableCallable<T> body) {
        Objects.requireNonNull(body, "body");
        return core.spawn(body);
    }

    /** The group's loops, in order; the list cannot be changed. */
    public List<EventLoop> loops() {
        return loops;
    }

    /** How many tasks loops with nothing to do have taken over from their siblings' queues so far. */
    public long tasksTakenOver() {
        return core.takenOver();
    }

    /**
     * Closes every loop of the group as {@link EventLoop#close()} does: cancels their tasks, lets
     * their {@code finally} blocks run, and releases their selectors, wakeup channels and pool
     * threads; tasks queued and not started end cancelled without running. The loops shut down
     * together; this returns once every one of them has ended and its thread has exited. Called from a
     * task or callback of one of the group's own loops, it only starts the shutdown (waiting there
     * would wait for itself). Closing twice does nothing more.
     */
    @Override
    public void close() {
        for (int i = 0; i < loops.size(); i++) {
            core.core(i).requestClose();
        }
        Thread me = Thread.currentThread();
        for (int i = 0; i < loops.size(); i++) {
            if (core.core(i).loopThread() == me) {
                return;
            }
        }
        try {
            for (int i = 0; i < loops.size(); i++) {
                core.core(i).awaitTermination();
            }
            for (int i = 0; i < loops.size(); i++) {
                core.core(i).loopThread().join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        boolean closed = loops.stream().allMatch(EventLoop::isClosed);
        return "EventLoopGroup[" + name + ", " + loops.size() + " loops" + (closed ? ", closed" : "") + "]";
    }
}
