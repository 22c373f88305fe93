package io.bobbin.internal.time;

import java.util.Arrays;

/**
 * The loop's timers: a hierarchical timing wheel of {@link TimerEntry}, with a small exact heap for
 * what is due now. Adding and cancelling a timer due later than the current tick is O(1) and
 * allocates nothing beyond the entry, which is the common case: most timers are timeouts that are
 * cancelled long before they expire. Entries come out in exact order of deadline, and in order of
 * addition among equal deadlines, and {@link #nextDeadline()} is the exact earliest deadline, not a
 * slot boundary (a loop on a virtual clock jumps to it).
 *
 * <h2>Layout</h2>
 * Time is cut into <em>ticks</em> of 2<sup>{@value #TICK_SHIFT}</sup> ns (1.048576 ms): an entry's tick
 * is {@code deadline >> }{@value #TICK_SHIFT}. A cursor, {@code cur}, is the first tick not yet taken
 * out of the wheel.
 * <ul>
 *   <li>The <b>near heap</b> holds every entry whose tick is before the cursor: what is due now or
 *       within the current tick, and deadlines added in the past. It is a binary min-heap ordered by
 *       deadline and then by order of entry into it: O(log k) in its k entries (about a tick's worth).</li>
 *   <li>The <b>wheel</b> holds every entry whose tick is at or after the cursor, in {@value #LEVELS}
 *       levels of {@value #SLOTS} slots: a slot of level L spans 64<sup>L</sup> ticks (level 0: 1.05 ms
 *       each, 67 ms in all; level 1: 67 ms, 4.3 s; level 2: 4.3 s, 4.6 min; level 3: 4.6 min, 4.9 h;
 *       level 4: 4.9 h, 13 days; level 5: 13 days, 2.3 years). An entry sits in the level of the
 *       highest 6-bit field in which its tick differs from the cursor (level 0 if they are equal), in
 *       the slot named by its tick's field at that level. Each slot is an intrusive doubly-linked
 *       list (the entries' own links) in order of addition; each level has a 64-bit mask of its
 *       non-empty slots.</li>
 *   <li>The <b>overflow list</b> holds the entries whose tick differs from the cursor above the top
 *       level's field (more than about 2.3 years ahead, {@link Long#MAX_VALUE} for instance); they
 *       re-enter the wheel when the cursor reaches their 2<sup>36</sup>-tick block.</li>
 * </ul>
 * Invariants: every slot of a level above 0 that holds entries lies strictly after the cursor's field
 * at that level, and level 0's at or after it; so the lowest level that holds anything holds the
 * earliest entries, in its lowest non-empty slot (found with one {@link Long#numberOfTrailingZeros}),
 * every entry of a lower level is before every entry of a higher level, the near heap's entries are
 * before all of them and the overflow list's after.
 *
 * <h2>Advancing</h2>
 * {@link #pollDue(long)} takes the earliest slot once the clock reaches its first tick: a level-0 slot
 * moves into the near heap and the cursor passes it; a higher slot <em>cascades</em>: the cursor moves
 * to its start and its entries go to lower levels. When the cursor steps across a slot boundary of a
 * higher level, that slot cascades at once. An entry is moved at most {@value #LEVELS} times between
 * levels before it fires, and never when it is cancelled first.
 *
 * <h2>Order</h2>
 * Equal deadlines have equal ticks, so they are both in the near heap or both in the wheel; in the
 * wheel they share a slot (the slot is a function of tick and cursor), appended in order of addition,
 * and every move keeps a list's order; so they enter the near heap in order of addition, where that
 * order breaks the tie. Hence {@link #pollDue} returns entries by deadline, first added first among
 * equal deadlines, exactly as a heap keyed by (deadline, order of addition) would.
 *
 * <h2>Costs</h2>
 * {@link #add}, {@link #remove}: O(1) for a deadline in a later tick than the cursor, O(log k) for one
 * in the current tick or the past. {@link #pollDue}: O(log k) per entry returned plus at most
 * {@value #LEVELS} moves per entry over its life, and O(1) when nothing is due.
 * {@link #nextDeadline()}: O(1) while the near heap holds something or the earliest deadline is known,
 * else a scan of the earliest slot's entries (or of the overflow list when only it holds anything),
 * remembered until that slot changes.
 *
 * <p>Deadlines are any {@code long} on the loop's clock ({@code EventLoop.time()}, which starts at 0):
 * one in the past is due at once, {@link Long#MAX_VALUE} never comes due in practice. Deadlines before
 * 0 always go to the near heap (correct, at O(log k)).
 *
 * <p>Threads: the loop's thread only; no synchronization. Every field below belongs to that thread.
 */
public final class TimerQueue {
    /** A tick is 2^20 ns = 1.048576 ms: the span of a level-0 slot. */
    static final int TICK_SHIFT = 20;
    static final int SLOT_BITS = 6;
    static final int SLOTS = 1 << SLOT_BITS;
    static final int LEVELS = 6;
    /** Bits of tick the wheel spans: beyond them, the overflow list. */
    static final int WHEEL_BITS = LEVELS * SLOT_BITS;
    /** Slot number of the overflow list (the wheel's slots are {@code level * SLOTS + index}). */
    static final int OVERFLOW = LEVELS * SLOTS;
    private static final int NEAR_INITIAL = 64;
    private static final int NEAR_KEEP = 1024;

    /** First and last entry of each slot's list and of the overflow list ({@link #OVERFLOW}). */
    private final TimerEntry[] heads = new TimerEntry[OVERFLOW + 1];
    private final TimerEntry[] tails = new TimerEntry[OVERFLOW + 1];
    /** Per level, bit i set iff slot i holds an entry. */
    private final long[] occupied = new long[LEVELS];
    /** The first tick not yet taken out of the wheel; never decreases, never negative. */
    private long cur;
    /** Entries in the wheel's slots and the overflow list. */
    private int wheelCount;
    /** The earliest deadline in the wheel and the overflow list, when {@link #wheelMinKnown}. */
    private long wheelMin = Long.MAX_VALUE;
    private boolean wheelMinKnown = true;

    /** The near heap: entries whose tick is before {@link #cur}. */
    private TimerEntry[] near = new TimerEntry[NEAR_INITIAL];
    private int nearSize;
    /** The next order number of an entry entering the near heap. */
    private int nearSeq;

    /**
     * Adds a timer that runs {@code action} once the clock reaches {@code deadline}; returns its entry
     * (pending until it is polled or removed). O(1) unless the deadline is in the current tick or the past.
     */
    public TimerEntry add(long deadline, Runnable action) {
        TimerEntry e = new TimerEntry.Action(action);
        add(e, deadline);
        return e;
    }

    /**
     * Adds {@code e}, an entry that is its own action, due at {@code deadline}: it runs (the loop calls
     * its {@link TimerEntry#action()}) once the clock reaches it. O(1) unless the deadline is in the
     * current tick or the past.
     *
     * @throws IllegalStateException if {@code e} is pending already (in this queue or another)
     */
    public void add(TimerEntry e, long deadline) {
        if (e.pos != TimerEntry.GONE) {
            throw new IllegalStateException(e + " is pending already: remove it or let it fire before adding it again");
        }
        e.deadline = deadline;
        long tick = deadline >> TICK_SHIFT;
        if (tick < cur) {
            nearAdd(e);
        } else {
            link(e, slotFor(tick));
            if (wheelCount++ == 0) {
                wheelMin = deadline;
                wheelMinKnown = true;
            } else if (deadline < wheelMin) {
                wheelMin = deadline; // still exact when it was known; harmless when it was not
            }
        }
    }

    /**
     * Removes a pending entry of this queue; does nothing for one that has fired or was removed. O(1)
     * for an entry in the wheel, O(log k) for one in the near heap.
     */
    public void remove(TimerEntry e) {
        int p = e.pos;
        if (p >= 0) {
            if (p < nearSize && near[p] == e) {
                nearRemoveAt(p);
            }
            return;
        }
        if (p == TimerEntry.GONE) {
            return;
        }
        unlink(e, slotOf(p));
        wheelCount--;
        if (e.deadline == wheelMin) {
            wheelMinKnown = false;
        }
    }

    /**
     * The earliest deadline, exactly, or {@link Long#MAX_VALUE} when there is no timer. O(1) unless the
     * near heap is empty and the earliest slot changed since the last call (then a scan of that slot).
     */
    public long nextDeadline() {
        return nearSize > 0 ? near[0].deadline : wheelMin();
    }

    /**
     * Removes and returns the earliest entry if its deadline is at or before {@code now}, else
     * {@code null}. Entries come out by deadline, and in order of addition among equal deadlines.
     */
    public TimerEntry pollDue(long now) {
        long nowTick = now >> TICK_SHIFT;
        while (true) {
            if (nearSize > 0) {
                TimerEntry first = near[0];
                if (first.deadline > now) {
                    return null; // everything in the wheel is later still
                }
                nearRemoveAt(0);
                return first;
            }
            if (wheelCount == 0) {
                if (nowTick > cur) {
                    cur = nowTick; // nothing to re-place: later entries land in lower levels
                }
                return null;
            }
            if (nowTick < cur || !advance(nowTick)) {
                return null;
            }
        }
    }

    /** The number of pending entries. */
    public int size() {
        return nearSize + wheelCount;
    }

    /** Drops every timer (the loop has ended); each entry says it is no longer pending. */
    public void clear() {
        for (int s = 0; s <= OVERFLOW; s++) {
            for (TimerEntry e = heads[s], next; e != null; e = next) {
                next = e.next;
                e.prev = null;
                e.next = null;
                e.pos = TimerEntry.GONE;
            }
        }
        Arrays.fill(heads, null);
        Arrays.fill(tails, null);
        Arrays.fill(occupied, 0);
        wheelCount = 0;
        wheelMin = Long.MAX_VALUE;
        wheelMinKnown = true;
        for (int i = 0; i < nearSize; i++) {
            near[i].pos = TimerEntry.GONE;
        }
        near = new TimerEntry[NEAR_INITIAL];
        nearSize = 0;
        nearSeq = 0;
    }

    // ---- the wheel -----------------------------------------------------------------------------

    /** The slot of a tick at or after the cursor: level by the highest differing 6-bit field. */
    private int slotFor(long tick) {
        long differ = (tick ^ cur) | (SLOTS - 1);
        int level = (63 - Long.numberOfLeadingZeros(differ)) / SLOT_BITS;
        if (level >= LEVELS) {
            return OVERFLOW;
        }
        return level * SLOTS + (int) ((tick >>> (level * SLOT_BITS)) & (SLOTS - 1));
    }

    /** The slot number encoded in an entry's {@code pos} (which is {@code <= -2}). */
    static int slotOf(int pos) {
        return -2 - pos;
    }

    private void link(TimerEntry e, int slot) {
        TimerEntry tail = tails[slot];
        e.prev = tail;
        e.next = null;
        if (tail == null) {
            heads[slot] = e;
            if (slot < OVERFLOW) {
                occupied[slot >>> SLOT_BITS] |= 1L << (slot & (SLOTS - 1));
            }
        } else {
            tail.next = e;
        }
        tails[slot] = e;
        e.pos = -2 - slot;
    }

    private void unlink(TimerEntry e, int slot) {
        TimerEntry prev = e.prev;
        TimerEntry next = e.next;
        if (prev == null) {
            heads[slot] = next;
        } else {
            prev.next = next;
        }
        if (next == null) {
            tails[slot] = prev;
        } else {
            next.prev = prev;
        }
        if (heads[slot] == null && slot < OVERFLOW) {
            occupied[slot >>> SLOT_BITS] &= ~(1L << (slot & (SLOTS - 1)));
        }
        e.prev = null;
        e.next = null;
        e.pos = TimerEntry.GONE;
    }

    /** Detaches a slot's whole list and returns its first entry (the rest follow by {@code next}). */
    private TimerEntry takeSlot(int slot) {
        TimerEntry first = heads[slot];
        heads[slot] = null;
        tails[slot] = null;
        if (slot < OVERFLOW) {
            occupied[slot >>> SLOT_BITS] &= ~(1L << (slot & (SLOTS - 1)));
        }
        return first;
    }

    /**
     * Takes out the earliest slot if the clock's tick {@code nowTick} has reached its first tick;
     * returns whether it did (the wheel is not empty).
     */
    private boolean advance(long nowTick) {
        for (int level = 0; level < LEVELS; level++) {
            long bits = occupied[level];
            if (bits != 0) {
                int index = Long.numberOfTrailingZeros(bits);
                int shift = level * SLOT_BITS;
                long start = ((cur >> (shift + SLOT_BITS)) << (shift + SLOT_BITS)) | ((long) index << shift);
                if (start > nowTick) {
                    return false;
                }
                if (level == 0) {
                    promote(index, start);
                } else {
                    cascade(level * SLOTS + index, start);
                }
                return true;
            }
        }
        // Only the overflow list holds entries: its earliest block comes into the wheel when reached.
        long start = ((wheelMin() >> TICK_SHIFT) >> WHEEL_BITS) << WHEEL_BITS;
        if (start > nowTick) {
            return false;
        }
        cur = start;
        refillFromOverflow();
        return true;
    }

    /** Moves level-0 slot {@code index} (tick {@code tick}) into the near heap; the cursor passes it. */
    private void promote(int index, long tick) {
        TimerEntry e = takeSlot(index);
        wheelMinKnown = false;
        while (e != null) {
            TimerEntry next = e.next;
            e.prev = null;
            e.next = null;
            wheelCount--;
            nearAdd(e);
            e = next;
        }
        cur = tick + 1;
        if ((cur & (SLOTS - 1)) == 0) {
            crossed();
        }
    }

    /**
     * The cursor has just stepped into a new level-0 block (its lower fields carried): the slot of the
     * first level whose field changed now starts at the cursor, so it cascades; every level below it
     * is empty (their fields were all 63, and no slot lies after 63). If every field carried, the
     * cursor entered a new block of the overflow list.
     */
    private void crossed() {
        for (int level = 1; level < LEVELS; level++) {
            int index = (int) ((cur >>> (level * SLOT_BITS)) & (SLOTS - 1));
            if (index != 0) {
                int slot = level * SLOTS + index;
                if (heads[slot] != null) {
                    cascade(slot, cur);
                }
                return;
            }
        }
        refillFromOverflow();
    }

    /** Moves the cursor to {@code start}, the first tick of {@code slot}, and re-places the slot's entries lower. */
    private void cascade(int slot, long start) {
        TimerEntry e = takeSlot(slot);
        cur = start;
        while (e != null) {
            TimerEntry next = e.next;
            link(e, slotFor(e.deadline >> TICK_SHIFT));
            e = next;
        }
    }

    /** Moves the overflow entries that now fall within the wheel's span into the wheel, keeping their order. */
    private void refillFromOverflow() {
        for (TimerEntry e = heads[OVERFLOW], next; e != null; e = next) {
            next = e.next;
            int slot = slotFor(e.deadline >> TICK_SHIFT);
            if (slot != OVERFLOW) {
                unlink(e, OVERFLOW);
                link(e, slot);
            }
        }
    }

    /** The earliest deadline in the wheel and the overflow list ({@link Long#MAX_VALUE} if empty). */
    private long wheelMin() {
        if (wheelCount == 0) {
            wheelMin = Long.MAX_VALUE;
            wheelMinKnown = true;
            return Long.MAX_VALUE;
        }
        if (!wheelMinKnown) {
            int slot = OVERFLOW;
            for (int level = 0; level < LEVELS; level++) {
                if (occupied[level] != 0) {
                    slot = level * SLOTS + Long.numberOfTrailingZeros(occupied[level]);
                    break;
                }
            }
            long min = Long.MAX_VALUE;
            for (TimerEntry e = heads[slot]; e != null; e = e.next) {
                if (e.deadline < min) {
                    min = e.deadline;
                }
            }
            wheelMin = min;
            wheelMinKnown = true;
        }
        return wheelMin;
    }

    // ---- the near heap -------------------------------------------------------------------------

    private void nearAdd(TimerEntry e) {
        if (nearSeq == Integer.MAX_VALUE) {
            renumberNear();
        }
        e.seq = nearSeq++;
        if (nearSize == near.length) {
            near = Arrays.copyOf(near, nearSize * 2);
        }
        near[nearSize] = e;
        e.pos = nearSize;
        nearSize++;
        siftUp(nearSize - 1);
    }

    /**
     * Gives the near heap's entries the order numbers 0..k-1 in their order (a sorted array is a heap),
     * so that numbering never wraps around. Runs once per 2^31 entries into the near heap at most.
     */
    private void renumberNear() {
        Arrays.sort(near, 0, nearSize, (a, b) -> a.before(b) ? -1 : b.before(a) ? 1 : 0);
        for (int i = 0; i < nearSize; i++) {
            near[i].seq = i;
            near[i].pos = i;
        }
        nearSeq = nearSize;
    }

    private void nearRemoveAt(int i) {
        TimerEntry e = near[i];
        e.pos = TimerEntry.GONE;
        TimerEntry last = near[--nearSize];
        near[nearSize] = null;
        if (i < nearSize) {
            near[i] = last;
            last.pos = i;
            siftDown(i);
            if (near[i] == last) {
                siftUp(i);
            }
        }
        if (nearSize == 0) {
            nearSeq = 0;
        }
        if (near.length > NEAR_KEEP && nearSize < near.length / 4) {
            near = Arrays.copyOf(near, near.length / 2); // gives memory back after a burst
        }
    }

    private void siftUp(int i) {
        TimerEntry e = near[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            TimerEntry p = near[parent];
            if (!e.before(p)) {
                break;
            }
            near[i] = p;
            p.pos = i;
            i = parent;
        }
        near[i] = e;
        e.pos = i;
    }

    private void siftDown(int i) {
        TimerEntry e = near[i];
        int half = nearSize >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            TimerEntry c = near[child];
            int right = child + 1;
            if (right < nearSize && near[right].before(c)) {
                child = right;
                c = near[child];
            }
            if (!c.before(e)) {
                break;
            }
            near[i] = c;
            c.pos = i;
            i = child;
        }
        near[i] = e;
        e.pos = i;
    }

    // ---- for tests -----------------------------------------------------------------------------

    /** The level of a pending entry: 0..LEVELS-1 in the wheel, {@link #LEVELS} in the overflow list, -1 in the near heap or gone. */
    static int levelOf(TimerEntry e) {
        return e.pos <= -2 ? slotOf(e.pos) / SLOTS : -1;
    }

    /** Whether a pending entry is in the near heap. */
    static boolean inNearHeap(TimerEntry e) {
        return e.pos >= 0;
    }

    /** The near heap's array length: what the queue holds on to besides its fixed slot arrays. */
    int nearCapacity() {
        return near.length;
    }

    /** The cursor, in ticks. */
    long cursor() {
        return cur;
    }

    /** Sets the next order number of the near heap (to make the test of its renumbering fast). */
    void setNearSequence(int next) {
        nearSeq = next;
    }

    /**
     * Checks every invariant of the structure (for tests: O(n)); throws {@link IllegalStateException}
     * naming the first one broken.
     */
    void checkInvariants() {
        int counted = 0;
        long min = Long.MAX_VALUE;
        for (int slot = 0; slot <= OVERFLOW; slot++) {
            int level = slot / SLOTS;
            int index = slot % SLOTS;
            boolean bit = slot < OVERFLOW && (occupied[level] & (1L << index)) != 0;
            if (slot < OVERFLOW && bit != (heads[slot] != null)) {
                throw new IllegalStateException("occupancy bit of level " + level + " slot " + index + " is " + bit);
            }
            TimerEntry prev = null;
            for (TimerEntry e = heads[slot]; e != null; prev = e, e = e.next) {
                if (e.prev != prev || e.pos != -2 - slot) {
                    throw new IllegalStateException("broken links or pos in slot " + slot + " at " + e);
                }
                long tick = e.deadline >> TICK_SHIFT;
                if (tick < cur || slotFor(tick) != slot) {
                    throw new IllegalStateException(e + " (tick " + tick + ") is in slot " + slot + " but belongs in "
                            + (tick < cur ? "the near heap" : "slot " + slotFor(tick)) + "; cursor " + cur);
                }
                if (level > 0 && level < LEVELS && index <= (int) ((cur >>> (level * SLOT_BITS)) & (SLOTS - 1))) {
                    throw new IllegalStateException("level " + level + " slot " + index + " is not after the cursor " + cur);
                }
                counted++;
                min = Math.min(min, e.deadline);
            }
            if (tails[slot] != prev) {
                throw new IllegalStateException("tail of slot " + slot + " is wrong");
            }
        }
        if (counted != wheelCount) {
            throw new IllegalStateException("wheel count " + wheelCount + " but " + counted + " entries");
        }
        if (wheelMinKnown && wheelCount > 0 && wheelMin != min) {
            throw new IllegalStateException("remembered earliest " + wheelMin + " but it is " + min);
        }
        for (int i = 0; i < nearSize; i++) {
            TimerEntry e = near[i];
            if (e.pos != i || (e.deadline >> TICK_SHIFT) >= cur || (i > 0 && e.before(near[(i - 1) >>> 1]))) {
                throw new IllegalStateException("near heap broken at " + i + ": " + e);
            }
            if (e.seq >= nearSeq) {
                throw new IllegalStateException("order number " + e.seq + " not below the next " + nearSeq);
            }
        }
        for (int i = nearSize; i < near.length; i++) {
            if (near[i] != null) {
                throw new IllegalStateException("near heap keeps a stale reference at " + i);
            }
        }
        if (cur < 0) {
            throw new IllegalStateException("negative cursor " + cur);
        }
    }
}
