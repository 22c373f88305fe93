package io.bobbin.internal.loop;

import java.util.ArrayDeque;

/**
 * The loop's ready queue: tasks' steps and callbacks, first in, first out. Only a queue: what runs
 * and when is the loop's business ({@link LoopCore#runReady()}).
 *
 * <p>Threads: the loop's thread only.
 */
final class ReadyQueue {
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();

    void add(Runnable r) {
        queue.add(r);
    }

    Runnable poll() {
        return queue.poll();
    }

    int size() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    void clear() {
        queue.clear();
    }
}
