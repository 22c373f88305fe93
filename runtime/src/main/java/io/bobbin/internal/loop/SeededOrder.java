package io.bobbin.internal.loop;

import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.SplittableRandom;

/**
 * The order in which a loop built with {@code EventLoop.Builder.seed(s)} runs the steps that are
 * ready in one turn: a pseudo-random permutation drawn from {@code s}. The loop picks it at
 * construction; a loop without a seed has none and runs its ready queue in FIFO order, at no cost.
 *
 * <p>A permutation alone would not make a run repeatable: the same permutation applied to a batch
 * that arrived in another order gives another order. What arrives in one turn may come in an order
 * the program does not control: the selector's selected keys (a hash set), the completions of the
 * blocking pool and of awaited stages (the order in which other threads finished). So each batch is
 * first put in a canonical order, the order in which the loop took in each task (its start) and
 * queued each callback, and only then shuffled with the seeded generator. Steps the loop did not
 * take in itself (none today) keep their order of arrival, after the others.
 *
 * <p>What stays outside the seed: which turn an event arrives in is real timing (I/O, the end of
 * blocking work, a stage completed by another thread, {@code spawn}/{@code callSoon} from other
 * threads), and so is the order of tasks spawned from other threads; with the system clock, which
 * timers are due in a turn is too (a virtual clock makes it exact).
 *
 * <p>Threads: the loop's thread only.
 */
final class SeededOrder {
    private final SplittableRandom random;
    /** Task or callback -> the order in which the loop took it in; a task leaves when it ends, a callback when it runs. */
    private final IdentityHashMap<Object, Long> admitted = new IdentityHashMap<>();
    private final Comparator<Runnable> canonical = Comparator.comparingLong(this::admission);
    private long admissions;
    /** The batch being run; reused from turn to turn, cleared as it runs. */
    private Runnable[] batch = new Runnable[16];

    SeededOrder(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The loop takes in a task, or queues a callback: its place in the canonical order. */
    void admit(Object step) {
        admitted.put(step, admissions++);
    }

    /** A task has ended, or a callback has run: it will not be queued again. */
    void forget(Object step) {
        admitted.remove(step);
    }

    private long admission(Runnable step) {
        Long a = admitted.get(step);
        return a != null ? a : Long.MAX_VALUE;
    }

    /**
     * Takes the first {@code n} steps of {@code queue} (what is ready now) and returns them in the
     * seeded order, in the first {@code n} slots of an array that the caller clears as it runs them.
     */
    Runnable[] take(ReadyQueue queue, int n) {
        if (batch.length < n) {
            batch = new Runnable[Math.max(n, batch.length * 2)];
        }
        Runnable[] b = batch;
        for (int i = 0; i < n; i++) {
            b[i] = queue.poll();
        }
        Arrays.sort(b, 0, n, canonical); // stable: unknown steps keep their order of arrival
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates
            int j = random.nextInt(i + 1);
            Runnable t = b[i];
            b[i] = b[j];
            b[j] = t;
        }
        return b;
    }
}
