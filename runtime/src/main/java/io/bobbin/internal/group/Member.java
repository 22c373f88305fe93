package io.bobbin.internal.group;

import io.bobbin.internal.loop.GroupFeed;
import io.bobbin.internal.loop.LoopCore;
import io.bobbin.internal.task.LoopTask;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loop of a group, as the group sees it: the loop's engine and its queue of unstarted group
 * tasks. The loop takes in its own queue every turn ({@link #feed}); an idle loop takes over half of
 * the longest sibling queue. A task in this queue is {@linkplain LoopTask#unplaced unplaced} and has
 * this loop as its provisional host; whoever removes it from the queue (this loop, a sibling, or this
 * loop's end) owns it alone, since a queue hands each element to one taker.
 *
 * <p>Threads: {@link #offer}, {@link #load()} and {@link #parked} from any thread; {@link #feed},
 * {@link #awake()} and {@link #loopEnding()} on this loop's thread; a sibling's feed takes from
 * {@link #queue}.
 */
final class Member implements GroupFeed {
    /** The most tasks a loop takes in (or over) in one turn, so that a burst stays partly stealable. */
    static final int BATCH = 256;

    final GroupCore group;
    /**
     * The loop's engine: set once by {@link GroupCore#attach}, on the loop's thread, before the group
     * spawns anything (siblings taking over read only the queue).
     */
    LoopCore core;
    /** Unstarted group tasks placed here by load; any thread adds, this loop and idle siblings take. */
    final ConcurrentLinkedQueue<LoopTask<?>> queue = new ConcurrentLinkedQueue<>();
    /** About the size of {@link #queue} (raised before adding, lowered after taking): for load and stealing. */
    final AtomicInteger queued = new AtomicInteger();
    /**
     * The loop found nothing to do and is (about to be) blocked in its poll: a spawner that queues
     * work for a busy sibling wakes it to take over. Set in {@link #feed} before its last look at the
     * queues, cleared when the poll returns, so a task queued after that look always finds it set.
     */
    volatile boolean parked;
    /** The loop has ended: {@link #offer} refuses. */
    private volatile boolean closed;

    Member(GroupCore group) {
        this.group = group;
    }

    /** Live tasks plus queued ones: a moment's value, read without locks. Any thread. */
    int load() {
        return closed ? Integer.MAX_VALUE : core.liveTaskCount() + queued.get();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Queues an unplaced task whose provisional host is this loop. Any thread.
     *
     * @return {@code false} if the loop has ended (the task was not queued); a task that raced with
     *     the end is either refused here or ended by {@link #loopEnding()}, or taken by a sibling
     */
    boolean offer(LoopTask<?> task) {
        if (closed) {
            return false;
        }
        queued.incrementAndGet();
        queue.add(task);
        if (closed && queue.remove(task)) {
            queued.decrementAndGet();
            return false;
        }
        return true;
    }

    @Override
    public int feed(boolean idle) {
        if (!idle) {
            awake();
            return queued.get() > 0 ? takeIn(this, BATCH) : 0;
        }
        parked = true; // first: a task queued after the looks below wakes this loop
        int n = takeIn(this, BATCH);
        if (n == 0) {
            n = takeOver();
        }
        if (n > 0) {
            parked = false;
        }
        return n;
    }

    @Override
    public void awake() {
        if (parked) { // a volatile write (a fence) only when it changes: this runs every turn
            parked = false;
        }
    }

    /**
     * Takes over half (at most a batch) of the longest queue of a busy sibling (one that is not parked
     * in its poll: a parked one has been woken for its new tasks and takes them in itself, so taking
     * them would only race it); returns how many. Loop thread.
     */
    private int takeOver() {
        Member[] all = group.members;
        Member victim = null;
        int most = 0;
        int start = ThreadLocalRandom.current().nextInt(all.length);
        for (int k = 0; k < all.length; k++) {
            Member m = all[(start + k) % all.length];
            if (m == this || m.parked) {
                continue; // a parked sibling was woken for its queue and takes it in itself; only a busy one is robbed
            }
            int q = m.queued.get();
            if (q > most) {
                most = q;
                victim = m;
            }
        }
        if (victim == null) {
            return 0;
        }
        int n = takeIn(victim, Math.min(BATCH, (most + 1) / 2));
        if (n > 0) {
            group.takenOver.addAndGet(n);
        }
        return n;
    }

    /** Places up to {@code max} tasks of {@code from}'s queue on this loop and starts them. Loop thread. */
    private int takeIn(Member from, int max) {
        int n = 0;
        for (; n < max; n++) {
            LoopTask<?> t = from.queue.poll();
            if (t == null) {
                break;
            }
            from.queued.decrementAndGet();
            t.place(core, from == this ? t.id() : core.newTaskId());
            core.start(t); // ended at once, not run, if it was cancelled meanwhile or the loop is shutting down
        }
        return n;
    }

    @Override
    public void loopEnding() {
        closed = true;
        for (LoopTask<?> t; (t = queue.poll()) != null; ) {
            queued.decrementAndGet();
            t.place(core, t.id());
            t.finishUnstarted();
        }
    }
}
