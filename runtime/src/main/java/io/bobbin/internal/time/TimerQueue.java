package io.bobbin.internal.time;

import java.util.Arrays;

/**
 * The loop's timers: a binary min-heap of {@link TimerEntry} ordered by deadline (then by order of
 * addition). Adding, removing any entry and taking the earliest are O(log n); every entry knows its
 * position, so a cancelled timer is taken out at once and leaves nothing behind.
 *
 * <p>Threads: the loop's thread only. Deadlines are in the loop's clock ({@code EventLoop.time()}).
 */
public final class TimerQueue {
    private TimerEntry[] heap = new TimerEntry[64];
    private int size;
    private long sequence;

    /** Adds a timer that runs {@code action} once the clock reaches {@code deadline}. */
    public TimerEntry add(long deadline, Runnable action) {
        TimerEntry e = new TimerEntry(deadline, sequence++, action);
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        e.index = size;
        heap[size++] = e;
        siftUp(e.index);
        return e;
    }

    /** Removes a pending entry; does nothing for one that has fired or was removed. */
    public void remove(TimerEntry e) {
        int i = e.index;
        if (i < 0 || i >= size || heap[i] != e) {
            return;
        }
        e.index = -1;
        TimerEntry last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.index = i;
            siftDown(i);
            if (heap[i] == last) {
                siftUp(i);
            }
        }
        shrinkIfSparse();
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when there is no timer. */
    public long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /** Removes and returns the earliest entry if its deadline is at or before {@code now}, else {@code null}. */
    public TimerEntry pollDue(long now) {
        if (size == 0 || heap[0].deadline > now) {
            return null;
        }
        TimerEntry first = heap[0];
        remove(first);
        return first;
    }

    public int size() {
        return size;
    }

    /** Drops every timer (the loop has ended). */
    public void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].index = -1;
        }
        heap = new TimerEntry[64];
        size = 0;
    }

    private void siftUp(int i) {
        TimerEntry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            TimerEntry p = heap[parent];
            if (!e.before(p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = e;
        e.index = i;
    }

    private void siftDown(int i) {
        TimerEntry e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            TimerEntry c = heap[child];
            int right = child + 1;
            if (right < size && heap[right].before(c)) {
                child = right;
                c = heap[child];
            }
            if (!c.before(e)) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = e;
        e.index = i;
    }

    /** Gives memory back after a burst (say a million sleepers) has drained. */
    private void shrinkIfSparse() {
        if (heap.length > 1024 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2);
        }
    }
}
