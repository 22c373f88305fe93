package io.bobbin.internal.time;

/**
 * One pending timer of a {@link TimerQueue}: a deadline and the action to run then. Loop thread only.
 */
public final class TimerEntry {
    /** When it is due, on its loop's clock. */
    public final long deadline;
    final long sequence;
    /** What runs when it is due. */
    public final Runnable action;
    /** Position in the heap's array; {@code -1} once it has fired or been removed. */
    int index = -1;

    TimerEntry(long deadline, long sequence, Runnable action) {
        this.deadline = deadline;
        this.sequence = sequence;
        this.action = action;
    }

    /** Whether it is still in its queue: neither fired nor removed. */
    public boolean isPending() {
        return index >= 0;
    }

    /** Heap order: earlier deadline first, then the one added first (FIFO among equal deadlines). */
    boolean before(TimerEntry o) {
        return deadline < o.deadline || (deadline == o.deadline && sequence < o.sequence);
    }
}
