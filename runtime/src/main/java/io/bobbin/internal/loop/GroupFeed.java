package io.bobbin.internal.loop;

/**
 * What a loop that belongs to a loop group asks of its group, through the turn of its
 * {@link LoopCore}: the group keeps a queue of unstarted tasks for each of its loops, which the loop
 * takes in every turn, and from which an idle sibling may take over. Implemented by
 * {@code io.bobbin.internal.group}.
 *
 * <p>Threads: every method on the loop's thread.
 */
public interface GroupFeed {
    /**
     * Once per turn, before the poll: starts the group's tasks queued for this loop (a bounded batch),
     * and, when {@code idle} (nothing is ready or posted, and the loop is not shutting down) and none
     * was queued, takes over tasks queued for a sibling. A loop that finds nothing while idle is
     * about to block in its poll: from then until {@link #awake()} the group may wake it to take
     * over work.
     *
     * @return how many tasks it started (the poll must then not block)
     */
    int feed(boolean idle);

    /** Right after the poll: the loop is running again (no longer a candidate to take over work). */
    void awake();

    /** The loop is ending: refuse further tasks for it and end, cancelled, those still queued. */
    void loopEnding();
}
