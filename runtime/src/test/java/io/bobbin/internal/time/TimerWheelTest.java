package io.bobbin.internal.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wheel behind {@link TimerQueue}: its exact order against a model, its levels, cascading,
 * overflow list, near heap, exact next deadline, cancellation everywhere and the memory it gives back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimerWheelTest {
    private static final Runnable NOTHING = () -> { };
    /** One tick (the span of a level-0 slot), in ns. */
    private static final long TICK = 1L << TimerQueue.TICK_SHIFT;
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    private static final long HOUR = 3_600 * SECOND;
    private static final long YEAR = 365 * 24 * HOUR;

    /** A tick whose 6-bit fields 0..level are all 1: it sits at {@code level} and visits every level below on its way down. */
    private static long tickWithEveryFieldOneUpTo(int level) {
        long t = 0;
        for (int l = 0; l <= level; l++) {
            t |= 1L << (l * TimerQueue.SLOT_BITS);
        }
        return t;
    }

    /** The model's key: deadline, then order of addition. */
    private record Key(long deadline, long order) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    // ---- the model test ------------------------------------------------------------------------

    @Test
    void hundredsOfThousandsOfRandomAddsRemovesAndPollsComeOutExactlyAsATreeMapOrdersThem() {
        for (long seed : new long[] {1, 2, 3}) {
            runModel(seed, 120_000);
        }
    }

    private static void runModel(long seed, int operations) {
        SplittableRandom r = new SplittableRandom(seed);
        TimerQueue q = new TimerQueue();
        TreeMap<Key, TimerEntry> model = new TreeMap<>();
        Map<TimerEntry, Key> keys = new IdentityHashMap<>();
        List<TimerEntry> handedOut = new ArrayList<>(); // pending or not: removing a gone one does nothing
        long order = 0;
        long now = 0;
        int[] levelsSeen = new int[TimerQueue.LEVELS + 1];
        int nearSeen = 0;
        for (int op = 0; op < operations; op++) {
            int what = r.nextInt(100);
            if (what < 45) {
                long deadline = pickDeadline(r, now, model);
                TimerEntry e = q.add(deadline, NOTHING);
                assertTrue(e.isPending());
                assertEquals(deadline, e.deadline);
                int level = TimerQueue.levelOf(e);
                if (level >= 0) {
                    levelsSeen[level]++;
                } else {
                    assertTrue(TimerQueue.inNearHeap(e), "a new entry is in the wheel, the overflow list or the near heap");
                    nearSeen++;
                }
                Key k = new Key(deadline, order++);
                model.put(k, e);
                keys.put(e, k);
                if (handedOut.size() < 50_000) {
                    handedOut.add(e);
                } else {
                    handedOut.set(r.nextInt(handedOut.size()), e);
                }
            } else if (what < 75) {
                if (handedOut.isEmpty()) {
                    continue;
                }
                int i = r.nextInt(handedOut.size());
                TimerEntry e = handedOut.get(i);
                handedOut.set(i, handedOut.get(handedOut.size() - 1));
                handedOut.remove(handedOut.size() - 1);
                Key k = keys.remove(e);
                boolean wasPending = k != null && model.remove(k) != null;
                assertEquals(wasPending, e.isPending(), "isPending says whether it is still in the queue");
                q.remove(e);
                assertFalse(e.isPending());
                q.remove(e); // a second removal does nothing
            } else if (what < 97) {
                now = Math.max(now, now + pickStep(r));
                if (r.nextInt(20) == 0) {
                    drainDue(q, model, now - r.nextLong(2 * TICK)); // a clock read earlier than the last one
                }
                drainDue(q, model, now);
            } else {
                long next = q.nextDeadline();
                assertEquals(model.isEmpty() ? Long.MAX_VALUE : model.firstKey().deadline, next,
                        "nextDeadline is the exact earliest deadline");
                if (next != Long.MAX_VALUE && next - now < 40 * YEAR) {
                    now = Math.max(now, next); // a virtual clock jumps to it
                    int before = model.size();
                    drainDue(q, model, now);
                    assertTrue(next < now || model.size() < before || before == 0, "the jump reached an entry");
                }
            }
            assertEquals(model.size(), q.size(), "size");
            assertEquals(model.isEmpty() ? Long.MAX_VALUE : model.firstKey().deadline, q.nextDeadline(), "nextDeadline");
            if (op % 997 == 0) {
                q.checkInvariants();
            }
        }
        q.checkInvariants();
        // Drain the rest with a virtual clock, MAX_VALUE deadlines last.
        while (!model.isEmpty()) {
            long next = q.nextDeadline();
            assertEquals(model.firstKey().deadline, next);
            now = Math.max(now, next);
            int before = model.size();
            drainDue(q, model, now);
            assertTrue(model.size() < before, "a jump to nextDeadline fires something");
        }
        assertEquals(0, q.size());
        assertNull(q.pollDue(Long.MAX_VALUE));
        q.checkInvariants();
        for (int level = 0; level <= TimerQueue.LEVELS; level++) {
            assertTrue(levelsSeen[level] > 0, "seed " + seed + ": some entries were added at level " + level
                    + (level == TimerQueue.LEVELS ? " (the overflow list)" : ""));
        }
        assertTrue(nearSeen > 0, "some entries were added straight into the near heap");
    }

    /** Polls everything due at {@code now}, checking each against the model's first entry. */
    private static void drainDue(TimerQueue q, TreeMap<Key, TimerEntry> model, long now) {
        while (true) {
            Map.Entry<Key, TimerEntry> first = model.firstEntry();
            TimerEntry expected = first != null && first.getKey().deadline <= now ? first.getValue() : null;
            TimerEntry got = q.pollDue(now);
            assertSame(expected, got, () -> "at " + now + ": expected " + expected + " got " + got);
            if (got == null) {
                return;
            }
            assertFalse(got.isPending(), "a polled entry is no longer pending");
            model.pollFirstEntry();
        }
    }

    private static long pickDeadline(SplittableRandom r, long now, TreeMap<Key, TimerEntry> model) {
        int kind = r.nextInt(100);
        if (kind < 10) {
            return now - r.nextLong(HOUR); // in the past (negative while now is small)
        } else if (kind < 20) {
            if (!model.isEmpty()) { // equal to a pending deadline: FIFO among them
                Key k = r.nextBoolean() ? model.firstKey() : model.ceilingKey(new Key(now + r.nextLong(10 * SECOND), 0));
                if (k != null) {
                    return k.deadline;
                }
            }
            return now;
        } else if (kind < 25) {
            return now;
        } else if (kind < 45) {
            return now + r.nextLong(2 * MS);
        } else if (kind < 65) {
            return now + r.nextLong(10 * SECOND);
        } else if (kind < 85) {
            return now + r.nextLong(4 * HOUR);
        } else if (kind < 88) {
            return now + r.nextLong(20 * 24 * HOUR); // days: level 4 and 5
        } else if (kind < 91) {
            return now + 2 * YEAR + r.nextLong(10 * YEAR); // beyond the wheel: the overflow list
        } else if (kind < 94) {
            return Long.MAX_VALUE;
        } else {
            long tick = (now >> TimerQueue.TICK_SHIFT) + (1L << (TimerQueue.SLOT_BITS * r.nextInt(TimerQueue.LEVELS)));
            return (tick << TimerQueue.TICK_SHIFT) + r.nextInt(3) - 1; // at a slot boundary, or just before or after
        }
    }

    private static long pickStep(SplittableRandom r) {
        switch (r.nextInt(6)) {
            case 0: return 0;
            case 1: return r.nextLong(1_000);
            case 2: return r.nextLong(2 * MS);
            case 3: return r.nextLong(100 * MS);
            case 4: return r.nextLong(10 * SECOND);
            default: return r.nextLong(30 * 60 * SECOND);
        }
    }

    // ---- levels and cascading ------------------------------------------------------------------

    @Test
    void anEntryCascadesDownThroughEveryLevelAndFiresAtItsExactDeadline() {
        for (int top = 0; top < TimerQueue.LEVELS; top++) {
            TimerQueue q = new TimerQueue();
            long tick = tickWithEveryFieldOneUpTo(top);
            long deadline = (tick << TimerQueue.TICK_SHIFT) + 12_345;
            TimerEntry e = q.add(deadline, NOTHING);
            assertEquals(top, TimerQueue.levelOf(e), "an entry " + tick + " ticks ahead starts at level " + top);
            List<Integer> visited = new ArrayList<>();
            visited.add(TimerQueue.levelOf(e));
            // The clock reaches the start of its slot at each level in turn: it moves one level down each time.
            for (int level = top; level >= 0; level--) {
                long slotStart = (tick >> (level * TimerQueue.SLOT_BITS)) << (level * TimerQueue.SLOT_BITS);
                assertNull(q.pollDue((slotStart << TimerQueue.TICK_SHIFT) - 1), "nothing is due before the slot starts");
                assertEquals(visited.get(visited.size() - 1), TimerQueue.levelOf(e), "a clock short of the slot's start moves nothing");
                assertNull(q.pollDue(slotStart << TimerQueue.TICK_SHIFT));
                visited.add(TimerQueue.levelOf(e));
                assertEquals(deadline, q.nextDeadline(), "nextDeadline stays exact through every cascade");
                q.checkInvariants();
            }
            List<Integer> expected = new ArrayList<>();
            for (int level = top; level >= 0; level--) {
                expected.add(level);
            }
            expected.add(-1); // then the near heap
            assertEquals(expected, visited, "levels visited");
            assertTrue(TimerQueue.inNearHeap(e));
            assertNull(q.pollDue(deadline - 1));
            assertSame(e, q.pollDue(deadline));
            assertFalse(e.isPending());
            assertEquals(0, q.size());
        }
    }

    @Test
    void crossingASlotBoundaryOfEveryLevelTickByTickFiresEveryEntryOnTime() {
        // One entry at each boundary where the cursor carries into level 1..5, polled a tick at a time
        // around each boundary: the slot that starts at the new cursor cascades at once.
        for (int level = 1; level < TimerQueue.LEVELS; level++) {
            TimerQueue q = new TimerQueue();
            long boundary = 1L << (level * TimerQueue.SLOT_BITS); // in ticks
            TimerEntry before = q.add(((boundary - 1) << TimerQueue.TICK_SHIFT) + 5, NOTHING);
            TimerEntry at = q.add(boundary << TimerQueue.TICK_SHIFT, NOTHING);
            TimerEntry after = q.add(((boundary + 1) << TimerQueue.TICK_SHIFT) + 7, NOTHING);
            TimerEntry farAfter = q.add(((2 * boundary + 3) << TimerQueue.TICK_SHIFT) + 9, NOTHING);
            assertEquals(level - 1, TimerQueue.levelOf(before));
            assertEquals(level, TimerQueue.levelOf(at));
            long now = ((boundary - 2) << TimerQueue.TICK_SHIFT);
            assertNull(q.pollDue(now)); // cascades down to just short of the boundary
            List<TimerEntry> fired = new ArrayList<>();
            for (long t : new long[] {boundary - 2, boundary - 1, boundary, boundary + 1, boundary + 2,
                2 * boundary - 1, 2 * boundary, 2 * boundary + 1, 2 * boundary + 2, 2 * boundary + 3, 2 * boundary + 4}) {
                for (long ns : new long[] {0, 5, 7, 9, TICK - 1}) {
                    now = (t << TimerQueue.TICK_SHIFT) + ns;
                    for (TimerEntry e; (e = q.pollDue(now)) != null; ) {
                        assertTrue(e.deadline <= now && e.deadline > now - TICK, "fired within its own tick, not late");
                        fired.add(e);
                    }
                    q.checkInvariants();
                }
            }
            assertEquals(List.of(before, at, after, farAfter), fired, "level " + level);
        }
    }

    @Test
    void equalDeadlinesAddedWhileTheirSlotCascadesComeOutInOrderOfAddition() {
        TimerQueue q = new TimerQueue();
        long tick = tickWithEveryFieldOneUpTo(3);
        long deadline = (tick << TimerQueue.TICK_SHIFT) + 99;
        List<TimerEntry> added = new ArrayList<>();
        added.add(q.add(deadline, NOTHING)); // level 3
        for (int level = 3; level >= 0; level--) {
            long slotStart = (tick >> (level * TimerQueue.SLOT_BITS)) << (level * TimerQueue.SLOT_BITS);
            assertNull(q.pollDue(slotStart << TimerQueue.TICK_SHIFT));
            added.add(q.add(deadline, NOTHING)); // joins the first at its new level (or the near heap)
            added.add(q.add(deadline - 1, NOTHING));
            added.add(q.add(deadline, NOTHING));
        }
        List<TimerEntry> expected = new ArrayList<>();
        for (TimerEntry e : added) {
            if (e.deadline == deadline - 1) {
                expected.add(e);
            }
        }
        for (TimerEntry e : added) {
            if (e.deadline == deadline) {
                expected.add(e);
            }
        }
        List<TimerEntry> fired = new ArrayList<>();
        for (TimerEntry e; (e = q.pollDue(deadline)) != null; ) {
            fired.add(e);
        }
        assertEquals(expected, fired);
    }

    @Test
    void deadlinesBeyondTheTopLevelWaitInTheOverflowListAndReEnterTheWheelWhenReached() {
        TimerQueue q = new TimerQueue();
        long span = TICK << TimerQueue.WHEEL_BITS; // ns the wheel spans: 2^56 ns, about 2.3 years
        TimerEntry inTop = q.add(span - 1, NOTHING);
        TimerEntry over = q.add(span + 3 * TICK + 1, NOTHING);
        TimerEntry farOver = q.add(5 * span + 2, NOTHING);
        TimerEntry max = q.add(Long.MAX_VALUE, NOTHING);
        TimerEntry max2 = q.add(Long.MAX_VALUE, NOTHING);
        assertEquals(TimerQueue.LEVELS - 1, TimerQueue.levelOf(inTop));
        for (TimerEntry e : List.of(over, farOver, max, max2)) {
            assertEquals(TimerQueue.LEVELS, TimerQueue.levelOf(e), e + " is in the overflow list");
        }
        List<TimerEntry> fired = new ArrayList<>();
        long now = 0;
        for (int round = 0; q.size() > 0; round++) {
            assertTrue(round < 5, "every round fires something");
            long next = q.nextDeadline();
            assertEquals(fired.size() < 3 ? List.of(inTop, over, farOver).get(fired.size()).deadline : Long.MAX_VALUE, next);
            assertNull(q.pollDue(next - 1), "nothing before the exact deadline");
            now = next;
            for (TimerEntry e; (e = q.pollDue(now)) != null; ) {
                fired.add(e);
            }
            q.checkInvariants();
        }
        assertEquals(List.of(inTop, over, farOver, max, max2), fired);
        assertEquals(Long.MAX_VALUE, now);
    }

    @Test
    void aDeadlineInThePastIsDueAtOnceEvenLongMinValue() {
        TimerQueue q = new TimerQueue();
        assertNull(q.pollDue(10 * SECOND)); // the clock has moved on
        TimerEntry late = q.add(5 * SECOND, NOTHING);
        TimerEntry veryLate = q.add(Long.MIN_VALUE, NOTHING);
        TimerEntry now = q.add(10 * SECOND, NOTHING);
        assertTrue(TimerQueue.inNearHeap(late) && TimerQueue.inNearHeap(veryLate));
        assertEquals(Long.MIN_VALUE, q.nextDeadline());
        assertSame(veryLate, q.pollDue(10 * SECOND));
        assertSame(late, q.pollDue(10 * SECOND));
        assertSame(now, q.pollDue(10 * SECOND));
        assertNull(q.pollDue(10 * SECOND));
    }

    @Test
    void afterAnIdleStretchTheCursorCatchesUpSoThatAShortTimerLandsAtLevelZero() {
        TimerQueue q = new TimerQueue();
        assertSame(q.add(MS, NOTHING), q.pollDue(2 * MS));
        assertNull(q.pollDue(10 * HOUR)); // empty: the cursor follows the clock
        TimerEntry e = q.add(10 * HOUR + 5 * MS, NOTHING);
        assertEquals(0, TimerQueue.levelOf(e), "5 ms ahead of the cursor, not 10 hours");
        assertSame(e, q.pollDue(10 * HOUR + 5 * MS));
    }

    // ---- nextDeadline --------------------------------------------------------------------------

    @Test
    void nextDeadlineIsTheExactEarliestDeadlineNotASlotBoundary() {
        TimerQueue q = new TimerQueue();
        // Three deadlines inside one level-0 slot, and one in a level-2 slot.
        long base = 7 * TICK;
        TimerEntry b = q.add(base + 700, NOTHING);
        TimerEntry a = q.add(base + 300, NOTHING);
        TimerEntry c = q.add(base + 900, NOTHING);
        TimerEntry far = q.add(5 * SECOND + 123_457, NOTHING);
        assertEquals(base + 300, q.nextDeadline());
        q.remove(a);
        assertEquals(base + 700, q.nextDeadline(), "removing the earliest uncovers the next, exactly");
        TimerEntry earlier = q.add(base + 1, NOTHING);
        assertEquals(base + 1, q.nextDeadline());
        assertNull(q.pollDue(base)); // the slot moves to the near heap; none is due yet
        assertEquals(base + 1, q.nextDeadline());
        assertSame(earlier, q.pollDue(base + 1));
        assertEquals(base + 700, q.nextDeadline());
        assertSame(b, q.pollDue(base + 899));
        assertNull(q.pollDue(base + 899));
        assertEquals(base + 900, q.nextDeadline());
        assertSame(c, q.pollDue(base + 900));
        assertEquals(5 * SECOND + 123_457, q.nextDeadline(), "the earliest of a higher level, exactly");
        assertNull(q.pollDue(5 * SECOND + 123_456));
        assertSame(far, q.pollDue(5 * SECOND + 123_457));
        assertEquals(Long.MAX_VALUE, q.nextDeadline());
    }

    @Test
    void aVirtualClockJumpingToEachNextDeadlineGetsEveryEntryAtItsExactDeadline() {
        SplittableRandom r = new SplittableRandom(11);
        TimerQueue q = new TimerQueue();
        TreeMap<Key, TimerEntry> model = new TreeMap<>();
        for (int i = 0; i < 20_000; i++) {
            long d = r.nextInt(4) == 0 ? r.nextLong(50) * MS : r.nextLong(3 * HOUR); // many equal deadlines
            model.put(new Key(d, i), q.add(d, NOTHING));
        }
        int jumps = 0;
        while (!model.isEmpty()) {
            long now = q.nextDeadline();
            assertEquals(model.firstKey().deadline, now);
            int n = 0;
            for (TimerEntry e; (e = q.pollDue(now)) != null; n++) {
                assertSame(model.pollFirstEntry().getValue(), e);
                assertEquals(now, e.deadline, "a jump to nextDeadline gets only entries at exactly that deadline");
            }
            assertTrue(n > 0, "the entry at nextDeadline is due at nextDeadline");
            jumps++;
        }
        assertTrue(jumps > 10_000);
    }

    // ---- cancellation --------------------------------------------------------------------------

    @Test
    void anEntryCanBeCancelledAtEveryLevelInTheOverflowListAndInTheNearHeap() {
        TimerQueue q = new TimerQueue();
        assertNull(q.pollDue(2 * TICK + 5)); // the cursor is past tick 1: deadlines in it go to the near heap
        List<TimerEntry> keep = new ArrayList<>();
        List<TimerEntry> cancel = new ArrayList<>();
        long cursorTick = q.cursor();
        for (int level = -1; level <= TimerQueue.LEVELS; level++) {
            long deadline;
            if (level == -1) {
                deadline = TICK + 100; // this tick: the near heap
            } else if (level == TimerQueue.LEVELS) {
                deadline = Long.MAX_VALUE - 1;
            } else {
                deadline = ((cursorTick + 2L * (1L << (level * TimerQueue.SLOT_BITS))) << TimerQueue.TICK_SHIFT) + 3;
            }
            TimerEntry k1 = q.add(deadline, NOTHING);
            TimerEntry gone = q.add(deadline, NOTHING);
            TimerEntry k2 = q.add(deadline, NOTHING);
            assertEquals(level, TimerQueue.levelOf(gone) < 0 ? -1 : TimerQueue.levelOf(gone), "placed at level " + level);
            if (level == -1) {
                assertTrue(TimerQueue.inNearHeap(gone));
            }
            keep.add(k1);
            keep.add(k2);
            cancel.add(gone);
        }
        int size = q.size();
        for (TimerEntry e : cancel) {
            q.remove(e);
            assertFalse(e.isPending());
            assertEquals(--size, q.size());
            q.checkInvariants();
            q.remove(e);
            assertEquals(size, q.size(), "a second removal does nothing");
        }
        List<TimerEntry> fired = new ArrayList<>();
        for (int round = 0; q.size() > 0; round++) {
            assertTrue(round < keep.size(), "every round fires something");
            for (TimerEntry e; (e = q.pollDue(q.nextDeadline())) != null; ) {
                fired.add(e);
            }
        }
        assertEquals(keep, fired, "the others fire, in order");
        for (TimerEntry e : cancel) {
            assertFalse(e.isPending());
        }
    }

    @Test
    void cancellingTheLastEntryOfASlotClearsItsOccupancySoTheNextSlotIsFound() {
        TimerQueue q = new TimerQueue();
        TimerEntry a = q.add(3 * TICK + 1, NOTHING);
        TimerEntry b = q.add(40 * TICK + 2, NOTHING);
        TimerEntry c = q.add(40 * SECOND, NOTHING); // level 2
        q.remove(a);
        q.checkInvariants();
        assertEquals(40 * TICK + 2, q.nextDeadline());
        q.remove(b);
        q.checkInvariants();
        assertEquals(40 * SECOND, q.nextDeadline());
        assertNull(q.pollDue(39 * SECOND));
        q.remove(c);
        assertEquals(Long.MAX_VALUE, q.nextDeadline());
        assertEquals(0, q.size());
        assertNull(q.pollDue(Long.MAX_VALUE));
    }

    @Test
    void clearDropsEntriesFromEveryPlaceAndTheQueueStillWorks() {
        TimerQueue q = new TimerQueue();
        assertNull(q.pollDue(2 * TICK));
        List<TimerEntry> all = new ArrayList<>();
        all.add(q.add(TICK, NOTHING)); // near heap
        for (int level = 0; level < TimerQueue.LEVELS; level++) {
            all.add(q.add((q.cursor() + 3L * (1L << (level * TimerQueue.SLOT_BITS))) << TimerQueue.TICK_SHIFT, NOTHING));
        }
        all.add(q.add(Long.MAX_VALUE, NOTHING));
        q.clear();
        assertEquals(0, q.size());
        assertEquals(Long.MAX_VALUE, q.nextDeadline());
        for (TimerEntry e : all) {
            assertFalse(e.isPending(), e + " says it is gone");
            q.remove(e); // does nothing
        }
        q.checkInvariants();
        TimerEntry e = q.add(3 * SECOND, NOTHING);
        assertEquals(3 * SECOND, q.nextDeadline());
        assertSame(e, q.pollDue(3 * SECOND));
    }

    // ---- the near heap -------------------------------------------------------------------------

    @Test
    void theNearHeapRenumbersBeforeItsOrderNumbersWrapAndKeepsFifo() {
        TimerQueue q = new TimerQueue();
        assertNull(q.pollDue(2 * SECOND)); // the cursor passes SECOND: deadlines before it go to the near heap
        List<TimerEntry> added = new ArrayList<>();
        added.add(q.add(SECOND - 5, NOTHING));
        added.add(q.add(SECOND - 9, NOTHING));
        q.setNearSequence(Integer.MAX_VALUE - 3);
        for (int i = 0; i < 10; i++) {
            added.add(q.add(SECOND - 5, NOTHING)); // the same deadline, across the renumbering
            q.checkInvariants();
        }
        assertSame(added.get(1), q.pollDue(SECOND));
        assertSame(added.get(0), q.pollDue(SECOND));
        for (int i = 2; i < added.size(); i++) {
            assertSame(added.get(i), q.pollDue(SECOND), "entry " + i);
        }
    }

    // ---- memory --------------------------------------------------------------------------------

    @Test
    void aBurstInTheWheelAndTheNearHeapGivesItsMemoryBackOnceDrained() {
        TimerQueue q = new TimerQueue();
        int capacity = q.nearCapacity();
        assertNull(q.pollDue(SECOND));
        List<TimerEntry> all = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            long d = i % 2 == 0 ? SECOND - r.nextLong(SECOND) : SECOND + r.nextLong(10 * SECOND); // past / wheel
            all.add(q.add(d, NOTHING));
        }
        assertTrue(q.nearCapacity() >= 100_000, "the near heap grew");
        for (int i = 0; i < all.size(); i += 3) {
            q.remove(all.get(i));
        }
        for (TimerEntry e; (e = q.pollDue(20 * SECOND)) != null; ) {
            assertFalse(e.isPending());
        }
        assertEquals(0, q.size());
        assertTrue(q.nearCapacity() <= 1024, "the near heap shrank back: " + q.nearCapacity());
        q.checkInvariants(); // no slot or heap cell still refers to an entry
        for (TimerEntry e : all) {
            assertFalse(e.isPending());
            assertNull(e.prev, "a gone entry holds no neighbour alive");
            assertNull(e.next);
        }
        assertTrue(capacity <= 1024);
        TimerEntry e = q.add(21 * SECOND, NOTHING);
        assertSame(e, q.pollDue(21 * SECOND));
    }
}
