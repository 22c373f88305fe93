package io.bobbin.internal.loop;

import io.bobbin.internal.io.Poller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Work handed to the loop from other threads (spawns, cancellations, completions of the blocking
 * pool and of awaited stages, {@code execute}): a lock-free queue, plus a wakeup of the loop's
 * {@link Poller} when the poster is not the loop's own thread.
 *
 * <p>After {@link #close()} posting fails (returns {@code false}); an action that raced with the
 * close is either handed back by {@code close()} or refused to its poster, never lost.
 *
 * <p>Threads: {@link #post} from any thread; {@link #drain} and {@link #close} on the loop's thread.
 */
final class Inbox {
    private static final int MAX_BATCH = 1 << 16;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final Poller poller;
    private final Supplier<Thread> owner;
    private volatile boolean closed;

    /** An inbox that wakes {@code poller} for posts from threads other than {@code owner}'s. */
    Inbox(Poller poller, Supplier<Thread> owner) {
        this.poller = poller;
        this.owner = owner;
    }

    /** Queues {@code action} for the loop's thread; {@code false} if the loop has ended. */
    boolean post(Runnable action) {
        queue.add(action);
        if (closed && queue.remove(action)) {
            return false;
        }
        if (Thread.currentThread() != owner.get()) {
            poller.wakeup();
        }
        return true;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Runs what has been posted, at most a batch's worth so that a flood cannot starve the loop; returns how many; loop thread. */
    int drain() {
        int n = 0;
        for (; n < MAX_BATCH; n++) {
            Runnable r = queue.poll();
            if (r == null) {
                break;
            }
            LoopCore.runGuarded(r);
        }
        return n;
    }

    /** Refuses further posts and returns what was posted and not run. */
    List<Runnable> close() {
        closed = true;
        List<Runnable> left = new ArrayList<>();
        for (Runnable r; (r = queue.poll()) != null; ) {
            left.add(r);
        }
        return left;
    }
}
