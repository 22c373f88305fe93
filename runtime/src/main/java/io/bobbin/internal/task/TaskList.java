package io.bobbin.internal.task;

import java.util.AbstractCollection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A loop's live tasks, in the order they were added: an intrusive doubly-linked list through the
 * tasks' own {@link LoopTask#liveNext}/{@link LoopTask#livePrev} links and {@link LoopTask#live} flag, so that taking a task in and
 * out allocates nothing and costs O(1) (a hash set spent a node of 32 bytes and a table slot on
 * every task). A task is in at most one list, once: its loop's (a task never changes loops once it
 * is taken in), so a task's own flag says whether it is in the list.
 *
 * <p>Threads: the loop's thread only, except {@link #size()}, which another thread may read as a
 * moment's value (for statistics).
 */
public final class TaskList extends AbstractCollection<LoopTask<?>> {
    private LoopTask<?> first;
    private LoopTask<?> last;
    private volatile int size;
    /** Changes on every add and remove: an iterator that sees it change fails fast. */
    private int modCount;

    /**
     * Appends {@code t}; returns {@code false} if it is in a list already.
     */
    @Override
    public boolean add(LoopTask<?> t) {
        if (t.live) {
            return false;
        }
        t.live = true;
        t.livePrev = last;
        if (last == null) {
            first = t;
        } else {
            last.liveNext = t;
        }
        last = t;
        size++;
        modCount++;
        return true;
    }

    /** Removes {@code o} if it is a task of this list; returns whether it was. */
    @Override
    public boolean remove(Object o) {
        if (!(o instanceof LoopTask) || !((LoopTask<?>) o).live) {
            return false;
        }
        LoopTask<?> t = (LoopTask<?>) o;
        LoopTask<?> p = t.livePrev;
        LoopTask<?> n = t.liveNext;
        if (p == null) {
            first = n;
        } else {
            p.liveNext = n;
        }
        if (n == null) {
            last = p;
        } else {
            n.livePrev = p;
        }
        t.livePrev = null;
        t.liveNext = null;
        t.live = false;
        size--;
        modCount++;
        return true;
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof LoopTask && ((LoopTask<?>) o).live;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    /** In the order the tasks were added. Fails fast if the list changes meanwhile: copy it to change it. */
    @Override
    public Iterator<LoopTask<?>> iterator() {
        return new Iterator<>() {
            private LoopTask<?> next = first;
            private final int expected = modCount;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public LoopTask<?> next() {
                if (modCount != expected) {
                    throw new ConcurrentModificationException("the live tasks changed while being walked: walk a copy");
                }
                LoopTask<?> t = next;
                if (t == null) {
                    throw new NoSuchElementException();
                }
                next = t.liveNext;
                return t;
            }
        };
    }
}
