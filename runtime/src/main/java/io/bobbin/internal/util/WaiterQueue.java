package io.bobbin.internal.util;

/**
 * A first-come-first-served queue of waiters that a waiter can leave from anywhere in it, in O(1):
 * the queue the coordination primitives and channels keep their waiting tasks and threads in. A
 * waiter that is cancelled (or times out) takes itself out with {@link #remove}, so nothing is left
 * behind; a waker takes the oldest with {@link #poll}.
 *
 * <p>Intrusive: the waiter is the node ({@link Node}), so adding allocates nothing. A node is in at
 * most one queue at a time.
 *
 * <p>Threads: not thread-safe. Whoever owns the queue guards it (the primitive's lock, or the one
 * thread that owns the structure); every method must be called under that guard.
 */
public final class WaiterQueue<N extends WaiterQueue.Node> {
    /** A waiter's links. Touched only by the queue, under its owner's guard. */
    public abstract static class Node {
        Node prev;
        Node next;
        Object queue;

        /** Whether this node is in a queue now. */
        public final boolean isQueued() {
            return queue != null;
        }
    }

    private Node head;
    private Node tail;
    private int size;

    /** Adds {@code n} at the back. @throws IllegalStateException if it is in a queue already */
    public void add(N n) {
        if (n.queue != null) {
            throw new IllegalStateException("the waiter is already queued: " + n);
        }
        n.queue = this;
        n.prev = tail;
        n.next = null;
        if (tail == null) {
            head = n;
        } else {
            tail.next = n;
        }
        tail = n;
        size++;
    }

    /** The oldest waiter, taken out of the queue, or {@code null} when it is empty. */
    @SuppressWarnings("unchecked")
    public N poll() {
        Node n = head;
        if (n != null) {
            unlink(n);
        }
        return (N) n;
    }

    /** The oldest waiter, left in the queue, or {@code null}. */
    @SuppressWarnings("unchecked")
    public N peek() {
        return (N) head;
    }

    /** Takes {@code n} out if it is in this queue; {@code false} (and nothing changed) otherwise. */
    public boolean remove(N n) {
        if (n.queue != this) {
            return false;
        }
        unlink(n);
        return true;
    }

    public boolean isEmpty() {
        return head == null;
    }

    public int size() {
        return size;
    }

    private void unlink(Node n) {
        Node p = n.prev;
        Node x = n.next;
        if (p == null) {
            head = x;
        } else {
            p.next = x;
        }
        if (x == null) {
            tail = p;
        } else {
            x.prev = p;
        }
        n.prev = null;
        n.next = null;
        n.queue = null;
        size--;
    }
}
