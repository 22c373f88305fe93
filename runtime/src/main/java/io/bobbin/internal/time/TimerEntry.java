package io.bobbin.internal.time;

/**
 * One pending timer of a {@link TimerQueue}: a deadline and what runs then. It is its own node in the
 * queue (links of a wheel slot's list, or a position in the near heap), so adding and cancelling
 * allocate nothing beyond it; and it is its own action ({@link #run()}), so a subclass that is a
 * timer by nature (a task's sleep, a {@code withTimeout} scope, a {@code callLater} callback) costs no
 * second object at all: it is added with {@link TimerQueue#add(TimerEntry, long)}. A plain
 * {@code Runnable} gets an entry of its own from {@link TimerQueue#add(long, Runnable)}.
 *
 * <p>An entry is in at most one queue at a time; once it has fired or was removed it may be added again.
 *
 * <p>Threads: every field belongs to the thread of the queue that holds it (the loop's thread);
 * {@link #deadline} is written only by {@link TimerQueue#add}, while the entry is not pending.
 */
public abstract class TimerEntry implements Runnable {
    /** {@link #pos} of an entry that has fired or was removed, or was never added. */
    static final int GONE = -1;

    /** When it is due, on its loop's clock; set when it is added. */
    long deadline;
    /** Neighbours in its wheel slot's list (or the overflow list); {@code null} in the near heap and once gone. */
    TimerEntry prev;
    TimerEntry next;
    /**
     * Where it is: {@code >= 0} its index in the near heap; {@link #GONE} not in a queue;
     * {@code <= -2} in the list of slot {@code -2 - pos} (see {@link TimerQueue#slotOf}).
     */
    int pos = GONE;
    /** Order of entry into the near heap: breaks ties between equal deadlines there (see {@link TimerQueue}). */
    int seq;

    protected TimerEntry() {}

    /** An entry that will be due at {@code deadline} (what {@link #deadline()} says until it is added). */
    protected TimerEntry(long deadline) {
        this.deadline = deadline;
    }

    /** When it is (or was last) due, on its loop's clock; 0 if it was never added. */
    public final long deadline() {
        return deadline;
    }

    /** Whether it is in its queue: added, and neither fired nor removed since. */
    public final boolean isPending() {
        return pos != GONE;
    }

    /**
     * What the loop runs when the entry is due: the entry itself, or the action a plain
     * {@code Runnable} timer wraps (so that step timing and slow-step reports name the user's code).
     */
    public Runnable action() {
        return this;
    }

    /** Near-heap order: earlier deadline first, then the one that entered first. */
    final boolean before(TimerEntry o) {
        return deadline < o.deadline || (deadline == o.deadline && seq < o.seq);
    }

    @Override
    public String toString() {
        return "timer at " + deadline + " ns" + (isPending() ? "" : " (gone)");
    }

    /** The entry of a plain {@code Runnable} timer ({@link TimerQueue#add(long, Runnable)}). */
    static final class Action extends TimerEntry {
        private final Runnable action;

        Action(Runnable action) {
            this.action = action;
        }

        @Override
        public void run() {
            action.run();
        }

        @Override
        public Runnable action() {
            return action;
        }
    }
}
