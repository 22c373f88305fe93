package io.bobbin.sync;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races on every kind of channel, bounded in rounds and in time, between two loops on threads of
 * their own (so that the two sides really run at once) and plain threads. Each value is accounted
 * for exactly once: received, or refused to its sender.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelRaceTest {
    static final List<Supplier<Channel<Integer>>> KINDS = List.of(Channel::rendezvous, () -> Channel.bounded(1),
            () -> Channel.bounded(8), Channel::unbounded);
    static final int BATCH = 32;

    /** What happened to each value: bit set in exactly one of these. */
    static final class Ledger {
        final BitSet received = new BitSet();
        final BitSet delivered = new BitSet();
        final BitSet refused = new BitSet();
        int duplicates;

        synchronized void received(int v) {
            if (received.get(v)) {
                duplicates++;
            }
            received.set(v);
        }

        synchronized void delivered(int v) {
            delivered.set(v);
        }

        synchronized void refused(int v) {
            refused.set(v);
        }

        /** Every value 0..n-1 was either delivered and received once, or refused and never received. */
        synchronized void check(int n, String what) {
            assertEquals(0, duplicates, what + ": a value was received twice");
            BitSet both = (BitSet) received.clone();
            both.and(refused);
            assertTrue(both.isEmpty(), what + ": refused to their senders but received: " + both);
            BitSet lost = (BitSet) delivered.clone();
            lost.andNot(received);
            assertTrue(lost.isEmpty(), what + ": delivered but never received (lost): " + lost);
            BitSet ghost = (BitSet) received.clone();
            ghost.andNot(delivered);
            assertTrue(ghost.isEmpty(), what + ": received, but their send did not return normally: " + ghost);
            BitSet all = (BitSet) delivered.clone();
            all.or(refused);
            assertEquals(n, all.cardinality(), what + ": values with no outcome");
        }
    }

    static void spin(SplittableRandom rnd, int most) {
        for (int i = rnd.nextInt(most); i > 0; i--) {
            Thread.onSpinWait();
        }
    }

    @Test
    void tenThousandRoundsOfCancelAgainstSendAndReceiveLoseNoValueOnEveryKind() throws Exception {
        SplittableRandom rnd = new SplittableRandom(42);
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            for (Supplier<Channel<Integer>> kind : KINDS) {
                Channel<Integer> ch = kind.get();
                Ledger ledger = new Ledger();
                int n = 10_000;
                int cancelled = 0;
                int neverRan = 0;
                for (int base = 0; base < n; base += BATCH) {
                    List<Task<Object>> tasks = new ArrayList<>(2 * BATCH);
                    AtomicInteger started = new AtomicInteger();
                    for (int i = base; i < base + BATCH && i < n; i++) {
                        int v = i;
                        tasks.add(a.spawn(() -> {
                            started.incrementAndGet();
                            try {
                                ch.send(v);
                                ledger.delivered(v);
                            } catch (CancellationException e) {
                                ledger.refused(v);
                                throw e;
                            }
                            return null;
                        }));
                        tasks.add(b.spawn(() -> {
                            started.incrementAndGet();
                            ledger.received(ch.receive());
                            return null;
                        }));
                    }
                    // half the batches wait until every task has started (their hand-overs race with the
                    // cancellations); the others are cancelled while some have not started yet
                    int waitFor = rnd.nextBoolean() ? tasks.size() : rnd.nextInt(tasks.size() + 1);
                    while (started.get() < waitFor) {
                        Thread.onSpinWait();
                    }
                    for (Task<Object> t : tasks) { // about a third cancelled while things move
                        if (rnd.nextInt(3) == 0) {
                            spin(rnd, 400);
                            t.cancel();
                            cancelled++;
                        }
                    }
                    spin(rnd, 2000);
                    for (Task<Object> t : tasks) { // then the rest: whoever still waits has no partner
                        t.cancel();
                    }
                    for (int k = 0; k < tasks.size(); k++) {
                        try {
                            tasks.get(k).join();
                        } catch (CancellationException expected) {
                            // its outcome is in the ledger, unless it never ran
                        }
                        if (k % 2 == 0) {
                            int v = base + k / 2;
                            if (!ledger.delivered.get(v) && !ledger.refused.get(v)) {
                                ledger.refused(v); // cancelled before it started: never sent
                                neverRan++;
                            }
                        }
                    }
                }
                for (Integer v; (v = ch.tryReceive()) != null; ) {
                    ledger.received(v); // values still buffered
                }
                ledger.check(n, ch.toString());
                assertEquals(0, ch.waitingSenders(), ch.toString());
                assertEquals(0, ch.waitingReceivers(), ch.toString());
                assertTrue(cancelled > 1000, "the race was run: " + cancelled + " early cancellations");
                assertTrue(ledger.delivered.cardinality() > 100, ch + ": some values went through, "
                        + ledger.delivered.cardinality() + " (" + neverRan + " senders cancelled before they started)");
            }
        }
    }

    @Test
    void interruptedPlainThreadsLoseNoValueOnEveryKind() throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        for (Supplier<Channel<Integer>> kind : KINDS) {
            Channel<Integer> ch = kind.get();
            Ledger ledger = new Ledger();
            int n = 400;
            for (int base = 0; base < n; base += 8) {
                List<Thread> threads = new ArrayList<>();
                for (int i = base; i < base + 8; i++) {
                    int v = i;
                    threads.add(new Thread(() -> {
                        try {
                            ch.send(v);
                            ledger.delivered(v);
                        } catch (CancellationException e) {
                            ledger.refused(v);
                        }
                    }));
                    threads.add(new Thread(() -> {
                        try {
                            ledger.received(ch.receive());
                        } catch (CancellationException e) {
                            // took nothing
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.start();
                }
                spin(rnd, 20_000);
                for (Thread t : threads) {
                    t.interrupt();
                }
                for (Thread t : threads) {
                    t.join();
                }
            }
            for (Integer v; (v = ch.tryReceive()) != null; ) {
                ledger.received(v);
            }
            ledger.check(n, ch + " with threads");
            assertEquals(0, ch.waitingSenders());
            assertEquals(0, ch.waitingReceivers());
        }
    }

    @Test
    void closeRacingWithWaitingReceiversAndSendersLeavesNobodyWaitingAndLosesNoValue() throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            for (Supplier<Channel<Integer>> kind : KINDS) {
                int rounds = 1_000;
                int closedWaiters = 0;
                for (int round = 0; round < rounds; round++) {
                    Channel<Integer> ch = kind.get();
                    Ledger ledger = new Ledger();
                    List<Task<Object>> tasks = new ArrayList<>();
                    int n = 6;
                    for (int i = 0; i < n; i++) {
                        int v = i;
                        tasks.add((i % 2 == 0 ? a : b).spawn(() -> {
                            try {
                                ch.send(v);
                                ledger.delivered(v);
                            } catch (ChannelClosedException e) {
                                ledger.refused(v);
                            }
                            return null;
                        }));
                        tasks.add((i % 2 == 0 ? b : a).spawn(() -> {
                            Integer got = ch.receiveOrNull();
                            if (got != null) {
                                ledger.received(got);
                            }
                            return got;
                        }));
                    }
                    spin(rnd, 3000);
                    ch.close();
                    for (Task<Object> t : tasks) {
                        Object r = t.join(); // nobody is left waiting: no cancel needed
                        if (r == null) {
                            closedWaiters++;
                        }
                    }
                    for (Integer v; (v = ch.tryReceive()) != null; ) {
                        ledger.received(v);
                    }
                    ledger.check(n, ch + " round " + round);
                    assertEquals(0, ch.waitingSenders());
                    assertEquals(0, ch.waitingReceivers());
                }
                assertTrue(closedWaiters > 0, "some tasks met the close");
            }
        }
    }

    @Test
    void timeoutsExpiringWhileAWaiterIsBeingWokenLoseNoValue() throws Exception {
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            for (Supplier<Channel<Integer>> kind : KINDS) {
                Channel<Integer> ch = kind.get();
                Ledger ledger = new Ledger();
                int n = 2_500;
                int[] timedOut = new int[2];
                Task<Object> senders = a.spawn(() -> {
                    SplittableRandom rnd = new SplittableRandom(11);
                    for (int v = 0; v < n; v++) {
                        int value = v;
                        if (v % 100 == 50) {
                            Async.sleep(Duration.ofMillis(3)); // longer than any receive's limit: some surely expire
                        } else if (rnd.nextInt(16) == 0) {
                            Async.sleep(Duration.ofNanos(rnd.nextInt(300_000))); // the receivers' waits time out meanwhile
                        }
                        Boolean ok = Async.withTimeoutOrNull(Duration.ofNanos(rnd.nextInt(200_000)), () -> {
                            ch.send(value);
                            return true;
                        });
                        if (ok == null) {
                            ledger.refused(v);
                            timedOut[0]++;
                        } else {
                            ledger.delivered(v);
                        }
                    }
                    return null;
                });
                Task<Object> receivers = b.spawn(() -> {
                    SplittableRandom rnd = new SplittableRandom(12);
                    for (int round = 0; !senders.isDone() || ch.size() > 0; round++) {
                        if (round % 100 == 50) {
                            Async.sleep(Duration.ofMillis(3)); // longer than any send's limit: where sends wait, some expire
                        } else if (rnd.nextInt(16) == 0) {
                            Async.sleep(Duration.ofNanos(rnd.nextInt(300_000))); // the senders' waits time out meanwhile
                        }
                        Integer got = Async.withTimeoutOrNull(Duration.ofNanos(rnd.nextInt(200_000)), ch::receive);
                        if (got == null) {
                            timedOut[1]++;
                        } else {
                            ledger.received(got);
                        }
                    }
                    return null;
                });
                senders.join();
                receivers.join();
                for (Integer v; (v = ch.tryReceive()) != null; ) {
                    ledger.received(v);
                }
                ledger.check(n, ch + " under timeouts");
                assertEquals(0, ch.waitingSenders());
                assertEquals(0, ch.waitingReceivers());
                assertTrue(timedOut[0] + timedOut[1] > 0, ch + ": some waits timed out");
                if (kind == KINDS.get(0)) {
                    assertTrue(timedOut[0] > 0 && timedOut[1] > 0, ch + ": some sends and some receives timed out");
                }
            }
        }
    }
}
