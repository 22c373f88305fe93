package io.bobbin.internal.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TimerQueueTest {
    private static final Runnable NOTHING = () -> { };

    @Test
    void entriesComeOutByDeadlineAndInOrderOfAdditionAmongEqualDeadlines() {
        TimerQueue q = new TimerQueue();
        TimerEntry late = q.add(30, NOTHING);
        TimerEntry first = q.add(10, NOTHING);
        TimerEntry second = q.add(10, NOTHING);
        TimerEntry mid = q.add(20, NOTHING);
        assertEquals(10, q.nextDeadline());
        assertNull(q.pollDue(9), "nothing is due before the earliest deadline");
        assertSame(first, q.pollDue(100));
        assertSame(second, q.pollDue(100));
        assertSame(mid, q.pollDue(100));
        assertSame(late, q.pollDue(100));
        assertNull(q.pollDue(Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, q.nextDeadline());
    }

    @Test
    void removingAnyEntryTakesItOutAtOnceAndKeepsTheOthersInOrder() {
        Random r = new Random(42);
        TimerQueue q = new TimerQueue();
        TreeMap<Long, TimerEntry> model = new TreeMap<>(); // key: deadline * 2^20 + order of addition
        List<TimerEntry> pending = new ArrayList<>();
        long added = 0;
        for (int round = 0; round < 20_000; round++) {
            if (pending.isEmpty() || r.nextInt(3) > 0) {
                long deadline = r.nextInt(1000);
                TimerEntry e = q.add(deadline, NOTHING);
                model.put((deadline << 20) + added++, e);
                pending.add(e);
            } else {
                TimerEntry e = pending.remove(r.nextInt(pending.size()));
                q.remove(e);
                assertFalse(e.isPending(), "a removed entry says it is not pending");
                model.values().remove(e);
            }
            assertEquals(model.size(), q.size());
        }
        for (TimerEntry expected : model.values()) {
            assertSame(expected, q.pollDue(Long.MAX_VALUE));
        }
        assertEquals(0, q.size());
    }

    @Test
    void removingAnEntryThatFiredOrWasRemovedDoesNothing() {
        TimerQueue q = new TimerQueue();
        TimerEntry a = q.add(1, NOTHING);
        TimerEntry b = q.add(2, NOTHING);
        assertSame(a, q.pollDue(5));
        q.remove(a);
        q.remove(b);
        q.remove(b);
        assertEquals(0, q.size());
        TimerEntry c = q.add(3, NOTHING);
        q.remove(a);
        assertTrue(c.isPending(), "a stale removal does not touch an entry that took the freed place");
        assertSame(c, q.pollDue(3));
    }

    @Test
    void aBurstThatDrainsLeavesAQueueThatStillWorks() {
        TimerQueue q = new TimerQueue();
        List<TimerEntry> all = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            all.add(q.add(i, NOTHING));
        }
        for (int i = 0; i < 99_990; i++) {
            q.remove(all.get(i));
        }
        assertEquals(10, q.size());
        for (int i = 99_990; i < 100_000; i++) {
            assertSame(all.get(i), q.pollDue(Long.MAX_VALUE));
        }
        q.clear();
        assertFalse(all.get(0).isPending());
        assertSame(q.add(7, NOTHING), q.pollDue(7));
    }
}
