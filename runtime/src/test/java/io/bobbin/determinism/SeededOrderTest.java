package io.bobbin.determinism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code EventLoop.Builder.seed(s)}: the steps ready in one turn run in a pseudo-random order drawn
 * from the seed; the same seed gives the same order, other seeds other orders; steps that arrive in
 * one turn in an order the program does not control follow the seed too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SeededOrderTest {

    /** Many tasks yielding, sleeping and spawning, on a virtual clock: the trace of every step. */
    private static List<String> busyTrace(EventLoop.Builder builder) throws Exception {
        return builder.run(() -> {
            List<String> trace = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int id = i;
                tasks.add(Async.spawn(() -> {
                    for (int step = 0; step < 12; step++) {
                        trace.add(id + "." + step + "@" + EventLoop.current().time());
                        switch ((id + step) % 4) {
                            case 0: Async.yieldNow(); break;
                            case 1: Async.sleep(Duration.ofMillis((id * 7 + step) % 5)); break; // often equal deadlines
                            case 2: Async.spawn(() -> trace.add(id + " child")).join(); break;
                            default: break; // no suspension: the next step follows at once
                        }
                    }
                    return null;
                }));
            }
            for (Task<Void> t : tasks) {
                t.join();
            }
            return trace;
        });
    }

    private static EventLoop.Builder seeded(long seed) {
        return EventLoop.builder().virtualTime().seed(seed);
    }

    @Test
    void theSameSeedTwiceGivesIdenticalTracesForManyTasksYieldingSleepingAndSpawning() throws Exception {
        List<String> first = busyTrace(seeded(42));
        List<String> second = busyTrace(seeded(42));
        assertEquals(40 * 12 + 40 * 3, first.size(), "every step and every child ran");
        assertEquals(first, second);
        assertNotEquals(busyTrace(EventLoop.builder().virtualTime()), first, "the seed changed the FIFO order");
    }

    @Test
    void differentSeedsGiveDifferentOrders() throws Exception {
        Set<List<String>> traces = new HashSet<>();
        for (long seed = 1; seed <= 6; seed++) {
            traces.add(busyTrace(seeded(seed)));
        }
        assertEquals(6, traces.size(), "six seeds, six different orders");
    }

    @Test
    void withoutASeedTheOrderStaysFifo() throws Exception {
        List<String> trace = EventLoop.run(() -> {
            List<String> t = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                tasks.add(Async.spawn(() -> {
                    for (int i = 0; i < 3; i++) {
                        t.add(name + i);
                        Async.yieldNow();
                    }
                    return null;
                }));
            }
            for (Task<Void> task : tasks) {
                task.join();
            }
            return t;
        });
        assertEquals(List.of("a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"), trace);
    }

    @Test
    void aSeededTurnRunsWhatIsReadyNowAndNotWhatBecomesReadyMeanwhile() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            List<String> trace = seeded(seed).run(() -> {
                List<String> t = new ArrayList<>();
                List<Task<Void>> tasks = new ArrayList<>();
                for (String name : List.of("a", "b", "c", "d")) {
                    tasks.add(Async.spawn(() -> {
                        for (int round = 0; round < 3; round++) {
                            t.add(name + round);
                            Async.yieldNow();
                        }
                        return null;
                    }));
                }
                for (Task<Void> task : tasks) {
                    task.join();
                }
                return t;
            });
            // each round is a turn: every task's round r comes before any task's round r + 1
            for (int i = 0; i < trace.size(); i++) {
                assertEquals(i / 4, trace.get(i).charAt(1) - '0', "seed " + seed + ": " + trace);
            }
        }
    }

    // ---- a race that FIFO hides and seeds find ------------------------------------------------------

    private static int counter;

    /**
     * A deliberate lost update: {@code adder} adds 10 in one step, {@code incrementer} reads, suspends,
     * and writes back what it read plus one. In FIFO order the adder (spawned first) always runs before
     * the read, so the result is 11; an order that runs the adder between the read and the write loses
     * its update (1).
     */
    private static int racyCounter(EventLoop.Builder builder, List<String> trace) throws Exception {
        counter = 0;
        builder.run(() -> {
            Task<Void> adder = Async.spawn(() -> {
                trace.add("adder adds 10");
                counter += 10;
                return null;
            });
            Task<Void> incrementer = Async.spawn(() -> {
                int read = counter;
                trace.add("incrementer reads " + read);
                suspensionPoint();
                counter = read + 1;
                trace.add("incrementer writes " + counter);
                return null;
            });
            adder.join();
            incrementer.join();
            return null;
        });
        return counter;
    }

    @Suspendable
    private static void suspensionPoint() {
        Async.yieldNow();
    }

    @Test
    void aLostUpdateThatFifoHidesIsCaughtBySomeSeedWithinAHundredAndThatSeedReproducesItEveryTime() throws Exception {
        assertEquals(11, racyCounter(EventLoop.builder(), new ArrayList<>()), "FIFO order never shows the race");
        long failing = -1;
        for (long seed = 1; seed <= 100 && failing < 0; seed++) {
            if (racyCounter(EventLoop.builder().seed(seed), new ArrayList<>()) != 11) {
                failing = seed;
            }
        }
        assertTrue(failing > 0, "no seed of 1..100 caught the lost update");
        List<String> firstTrace = new ArrayList<>();
        assertEquals(1, racyCounter(EventLoop.builder().seed(failing), firstTrace));
        assertEquals(List.of("incrementer reads 0", "adder adds 10", "incrementer writes 1"), firstTrace);
        for (int again = 0; again < 20; again++) {
            List<String> trace = new ArrayList<>();
            assertEquals(1, racyCounter(EventLoop.builder().seed(failing), trace), "seed " + failing + ", run " + again);
            assertEquals(firstTrace, trace);
        }
    }

    // ---- what arrives in one turn in an order the program does not control ---------------------------

    /**
     * Eight tasks await stages that another thread completes, in {@code completionOrder}, while the
     * loop's thread is held: the eight wake-ups reach the loop in that order, in one turn. Returns the
     * order in which the tasks went on.
     */
    private static List<Integer> resumeOrderAfterCompletions(EventLoop.Builder builder, int[] completionOrder) throws Exception {
        return builder.run(() -> {
            List<Integer> resumed = new ArrayList<>();
            List<CompletableFuture<Integer>> stages = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < completionOrder.length; i++) {
                CompletableFuture<Integer> f = new CompletableFuture<>();
                stages.add(f);
                tasks.add(Async.spawn(() -> {
                    resumed.add(Async.await(f));
                    return null;
                }));
            }
            Async.yieldNow(); // every task is parked on its stage now
            Thread completer = new Thread(() -> {
                for (int i : completionOrder) {
                    stages.get(i).complete(i); // posts the wake-up to the loop before it returns
                }
            });
            completer.start();
            completer.join(); // holds the loop's thread: every wake-up is posted before the next turn
            for (Task<Void> t : tasks) {
                t.join();
            }
            return resumed;
        });
    }

    @Test
    void completionsArrivingInOneTurnFollowTheSeedWhateverOrderOtherThreadsPostedThemIn() throws Exception {
        int[] ascending = {0, 1, 2, 3, 4, 5, 6, 7};
        int[] descending = {7, 6, 5, 4, 3, 2, 1, 0};
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), resumeOrderAfterCompletions(EventLoop.builder(), ascending),
                "FIFO follows the order of arrival");
        assertEquals(List.of(7, 6, 5, 4, 3, 2, 1, 0), resumeOrderAfterCompletions(EventLoop.builder(), descending));
        Set<List<Integer>> orders = new HashSet<>();
        for (long seed = 1; seed <= 5; seed++) {
            List<Integer> up = resumeOrderAfterCompletions(EventLoop.builder().seed(seed), ascending);
            List<Integer> down = resumeOrderAfterCompletions(EventLoop.builder().seed(seed), descending);
            assertEquals(up, down, "seed " + seed + ": the order of arrival does not matter");
            orders.add(up);
        }
        assertTrue(orders.size() > 1, "the seeds gave other orders: " + orders);
    }

    /** Eight tasks wait on pipes that the main task fills in {@code writeOrder}: all readable in one poll. */
    private static List<Integer> resumeOrderAfterReadiness(EventLoop.Builder builder, int[] writeOrder) throws Exception {
        List<Pipe> pipes = new ArrayList<>();
        try {
            for (int i = 0; i < writeOrder.length; i++) {
                Pipe p = Pipe.open();
                p.source().configureBlocking(false);
                pipes.add(p);
            }
            return builder.run(() -> {
                List<Integer> resumed = new ArrayList<>();
                List<Task<Void>> tasks = new ArrayList<>();
                for (int i = 0; i < writeOrder.length; i++) {
                    int id = i;
                    tasks.add(Async.spawn(() -> {
                        Async.readable(pipes.get(id).source());
                        resumed.add(id);
                        return null;
                    }));
                }
                Async.yieldNow(); // every task waits on its pipe now
                for (int i : writeOrder) {
                    pipes.get(i).sink().write(ByteBuffer.wrap(new byte[] {1}));
                }
                for (Task<Void> t : tasks) {
                    t.join();
                }
                return resumed;
            });
        } finally {
            for (Pipe p : pipes) {
                p.source().close();
                p.sink().close();
            }
        }
    }

    @Test
    void channelsReadyInOneTurnFollowTheSeedWhateverOrderTheSelectorListsThemIn() throws Exception {
        int[] ascending = {0, 1, 2, 3, 4, 5, 6, 7};
        int[] descending = {7, 6, 5, 4, 3, 2, 1, 0};
        for (long seed = 1; seed <= 5; seed++) {
            List<Integer> first = resumeOrderAfterReadiness(EventLoop.builder().seed(seed), ascending);
            assertEquals(8, first.size());
            for (int run = 0; run < 3; run++) {
                assertEquals(first, resumeOrderAfterReadiness(EventLoop.builder().seed(seed), run % 2 == 0 ? descending : ascending),
                        "seed " + seed + ", run " + run);
            }
        }
    }

    @Test
    void dueCallLaterCallbacksTakeTheirPlaceInTheSeededOrderOfTheirTurn() throws Exception {
        Set<List<String>> orders = new HashSet<>();
        for (long seed = 1; seed <= 8; seed++) {
            List<String> first = null;
            for (int run = 0; run < 2; run++) {
                List<String> log = seeded(seed).run(() -> {
                    List<String> l = new ArrayList<>();
                    EventLoop loop = EventLoop.current();
                    for (String name : List.of("c1", "c2", "c3")) {
                        loop.callLater(Duration.ofSeconds(1), () -> l.add(name));
                    }
                    List<Task<Void>> sleepers = new ArrayList<>();
                    for (String name : List.of("s1", "s2", "s3")) {
                        sleepers.add(Async.spawn(() -> {
                            Async.sleep(Duration.ofSeconds(1));
                            l.add(name);
                            return null;
                        }));
                    }
                    for (Task<Void> s : sleepers) {
                        s.join();
                    }
                    return l;
                });
                assertEquals(6, log.size(), log.toString());
                if (first == null) {
                    first = log;
                } else {
                    assertEquals(first, log, "seed " + seed);
                }
            }
            orders.add(first);
        }
        assertTrue(orders.stream().anyMatch(o -> o.indexOf("s1") < o.indexOf("c3")),
                "callbacks and tasks of one turn are mixed by some seed: " + orders);
    }
}
