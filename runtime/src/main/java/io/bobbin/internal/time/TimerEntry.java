package io.bobbin.internal.time;

/**
 * One pending timer of a {@link TimerQueue}: a deadline and the action to run then. It is its own
 * node in the queue (links of a wheel slot's list, or a position in the near heap), so adding and
 * cancelling allocate nothing beyond it.
 *
 * <p>Threads: every field belongs to the thread of the queue that made it (the loop's thread);
 * {@link #deadline} and {@link #action} are final and may be read anywhere.
 */
public final class TimerEntry {
    /** {@link #pos} of an entry that has fired or was removed. */
    static final int GONE = -1;

    /** When it is due, on its loop's clock. */
    public final long deadline;
    /** What runs when it is due. */
    public final Runnable action;
    /** Neighbours in its wheel slot's list (or the overflow list); {@code null} in the near heap and once gone. */
    TimerEntry prev;
    TimerEntry next;
    /**
     * Where it is: {@code >= 0} its index in the near heap; {@link #GONE} fired or removed;
     * {@code <= -2} in the list of slot {@code -2 - pos} (see {@link TimerQueue#slotOf}).
     */
    int pos = GONE;
    /** Order of entry into the near heap: breaks ties between equal deadlines there (see {@link TimerQueue}). */
    int seq;

    TimerEntry(long deadline, Runnable action) {
        this.deadline = deadline;
        this.action = action;
    }

    /** Whether it is still in its queue: neither fired nor removed. */
    public boolean isPending() {
        return pos != GONE;
    }

    /** Near-heap order: earlier deadline first, then the one that entered first. */
    boolean before(TimerEntry o) {
        return deadline < o.deadline || (deadline == o.deadline && seq < o.seq);
    }

    @Override
    public String toString() {
        return "timer at " + deadline + " ns" + (isPending() ? "" : " (gone)");
    }
}
