package io.bobbin;

/**
 * One pending timer of a {@link TimerQueue}: a deadline and the action to run then. Loop thread only.
 */
final class TimerEntry {
    final long deadline;
    final long sequence;
    final Runnable action;
    /** Position in the heap's array; {@code -1} once it has fired or been removed. */
    int index = -1;

    TimerEntry(long deadline, long sequence, Runnable action) {
        this.deadline = deadline;
        this.sequence = sequence;
        this.action = action;
    }

    boolean isPending() {
        return index >= 0;
    }

    /** Heap order: earlier deadline first, then the one added first (FIFO among equal deadlines). */
    boolean before(TimerEntry o) {
        return deadline < o.deadline || (deadline == o.deadline && sequence < o.sequence);
    }
}
