package io.bobbin.internal.group;

import io.bobbin.SuspendableCallable;
import io.bobbin.internal.loop.LoopCore;
import io.bobbin.internal.task.LoopTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine behind {@code EventLoopGroup}: placement by load and taking over.
 *
 * <p>{@link #spawn} picks two loops at random and queues the task for the less loaded of the two
 * (load = live tasks + queued ones, read racily: "the power of two choices", which keeps the loads
 * within a small margin of each other without a global lock), then wakes that loop. If that loop is
 * busy (not parked in its poll), it also wakes one parked sibling, which may take over half of the
 * queue. The queued task is unplaced until a loop takes it; see {@link Member} and
 * {@link LoopTask#place}.
 *
 * <p>Threads: {@link #spawn} and the accessors from any thread; {@link #attach} once per member on
 * its loop's thread, before the group is used.
 */
public final class GroupCore {
    private final String name;
    final Member[] members;
    /** Tasks that an idle loop took over from a sibling's queue. */
    final AtomicLong takenOver = new AtomicLong();

    public GroupCore(String name, int loops) {
        this.name = name;
        this.members = new Member[loops];
        for (int i = 0; i < loops; i++) {
            members[i] = new Member(this);
        }
    }

    /**
     * Makes {@code core} the group's member number {@code index}: from its next turn it takes in the
     * tasks queued for it. On that loop's thread, before the group spawns anything.
     */
    public void attach(int index, LoopCore core) {
        Member m = members[index];
        m.core = core;
        core.joinGroup(m);
    }

    /**
     * Queues a task running {@code body} on the less loaded of two loops picked at random. From any
     * thread.
     *
     * @throws RejectedExecutionException if every loop of the group has ended
     */
    public <T> LoopTask<T> spawn(SuspendableCallable<T> body) {
        Member m = choose();
        for (int tries = 0; tries < members.length; tries++) {
            LoopTask<T> t = LoopTask.unplaced(m.core, m.core.newTaskId(), body);
            if (m.offer(t)) {
                nudge(m);
                return t;
            }
            m = members[(indexOf(m) + 1) % members.length]; // that loop has ended: the next one
        }
        throw new RejectedExecutionException(name + " has ended; spawn on a group that runs");
    }

    private Member choose() {
        int n = members.length;
        if (n == 1) {
            return members[0];
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int i = r.nextInt(n);
        int j = r.nextInt(n - 1);
        if (j >= i) {
            j++;
        }
        Member a = members[i];
        Member b = members[j];
        return b.load() < a.load() ? b : a;
    }

    private int indexOf(Member m) {
        for (int i = 0; i < members.length; i++) {
            if (members[i] == m) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a member");
    }

    /** Wakes the loop a task was queued for and, if that loop is busy, one parked sibling that may take it over. */
    private void nudge(Member target) {
        target.core.wakeup();
        if (target.parked || members.length == 1) {
            return;
        }
        int start = ThreadLocalRandom.current().nextInt(members.length);
        for (int k = 0; k < members.length; k++) {
            Member m = members[(start + k) % members.length];
            if (m != target && m.parked) {
                m.core.wakeup();
                return;
            }
        }
    }

    /** How many tasks idle loops have taken over from their siblings' queues so far. Any thread. */
    public long takenOver() {
        return takenOver.get();
    }

    /** The tasks queued and not taken in by any loop yet, a moment's value. Any thread. */
    public int queued() {
        int n = 0;
        for (Member m : members) {
            n += Math.max(0, m.queued.get());
        }
        return n;
    }

    /** The engine of member number {@code index}. */
    public LoopCore core(int index) {
        return members[index].core;
    }

    public String name() {
        return name;
    }
}
