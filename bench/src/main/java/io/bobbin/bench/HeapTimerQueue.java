package io.bobbin.bench;

import java.util.Arrays;

/**
 * The loop's timers as they were before the timing wheel: a binary min-heap ordered by deadline, then
 * by order of addition; every entry knows its position, so any entry is removed in O(log n). Kept here,
 * unchanged in behaviour, only as the baseline of {@link TimerBench}. Not thread-safe: one thread.
 */
public final class HeapTimerQueue {
    /** One timer of the heap. */
    public static final class Entry {
        final long deadline;
        final long sequence;
        final Runnable action;
        /** Position in the heap's array; {@code -1} once it has fired or been removed. */
        int index = -1;

        Entry(long deadline, long sequence, Runnable action) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.action = action;
        }

        public Runnable action() {
            return action;
        }

        public boolean isPending() {
            return index >= 0;
        }

        boolean before(Entry o) {
            return deadline < o.deadline || (deadline == o.deadline && sequence < o.sequence);
        }
    }

    private Entry[] heap = new Entry[64];
    private int size;
    private long sequence;

    public Entry add(long deadline, Runnable action) {
        Entry e = new Entry(deadline, sequence++, action);
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        e.index = size;
        heap[size++] = e;
        siftUp(e.index);
        return e;
    }

    public void remove(Entry e) {
        int i = e.index;
        if (i < 0 || i >= size || heap[i] != e) {
            return;
        }
        e.index = -1;
        Entry last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.index = i;
            siftDown(i);
            if (heap[i] == last) {
                siftUp(i);
            }
        }
        if (heap.length > 1024 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2);
        }
    }

    public long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    public Entry pollDue(long now) {
        if (size == 0 || heap[0].deadline > now) {
            return null;
        }
        Entry first = heap[0];
        remove(first);
        return first;
    }

    public int size() {
        return size;
    }

    private void siftUp(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = heap[parent];
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
        Entry e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Entry c = heap[child];
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
}
