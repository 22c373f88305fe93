package io.bobbin.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WaiterQueueTest {
    static final class W extends WaiterQueue.Node {
        final int n;

        W(int n) {
            this.n = n;
        }
    }

    @Test
    void waitersComeOutFirstComeFirstServed() {
        WaiterQueue<W> q = new WaiterQueue<>();
        W a = new W(1), b = new W(2), c = new W(3);
        q.add(a);
        q.add(b);
        q.add(c);
        assertEquals(3, q.size());
        assertSame(a, q.peek());
        assertSame(a, q.poll());
        assertSame(b, q.poll());
        assertSame(c, q.poll());
        assertNull(q.poll());
        assertTrue(q.isEmpty());
    }

    @Test
    void aCancelledWaiterLeavesFromTheHeadTheMiddleOrTheTailAndTheOthersKeepTheirOrder() {
        WaiterQueue<W> q = new WaiterQueue<>();
        W[] w = new W[5];
        for (int i = 0; i < 5; i++) {
            q.add(w[i] = new W(i));
        }
        assertTrue(q.remove(w[2]));
        assertTrue(q.remove(w[0]));
        assertTrue(q.remove(w[4]));
        assertFalse(w[2].isQueued());
        assertEquals(2, q.size());
        assertSame(w[1], q.poll());
        assertSame(w[3], q.poll());
        assertTrue(q.isEmpty());
    }

    @Test
    void removingAWaiterThatIsNotQueuedChangesNothing() {
        WaiterQueue<W> q = new WaiterQueue<>();
        WaiterQueue<W> other = new WaiterQueue<>();
        W a = new W(1), b = new W(2);
        q.add(a);
        other.add(b);
        assertFalse(q.remove(b), "a waiter of another queue");
        assertSame(a, q.poll());
        assertFalse(q.remove(a), "a waiter already taken");
        assertEquals(1, other.size());
    }

    @Test
    void aWaiterCannotBeInTwoPlacesAtOnce() {
        WaiterQueue<W> q = new WaiterQueue<>();
        W a = new W(1);
        q.add(a);
        assertThrows(IllegalStateException.class, () -> q.add(a));
        assertEquals(1, q.size());
    }

    @Test
    void randomAddsPollsAndRemovalsMatchAPlainListModel() {
        Random r = new Random(7);
        WaiterQueue<W> q = new WaiterQueue<>();
        ArrayDeque<W> model = new ArrayDeque<>();
        List<W> queued = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            int op = r.nextInt(3);
            if (op == 0 || queued.isEmpty()) {
                W w = new W(i);
                q.add(w);
                model.add(w);
                queued.add(w);
            } else if (op == 1) {
                W w = q.poll();
                assertSame(model.poll(), w);
                queued.remove(w);
            } else {
                W w = queued.remove(r.nextInt(queued.size()));
                assertTrue(q.remove(w));
                model.remove(w);
            }
            assertEquals(model.size(), q.size());
            assertSame(model.peek(), q.peek());
        }
    }
}
