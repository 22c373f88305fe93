package io.bobbin.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WakeupChannelTest {
    @Test
    void aBurstOfWakeupsFromManyThreadsWritesOneByteUntilTheLoopDrains() throws Exception {
        try (WakeupChannel w = new WakeupChannel(); Selector selector = Selector.open()) {
            w.register(selector);
            int threads = 8;
            int each = 1000;
            CountDownLatch go = new CountDownLatch(1);
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                ts[t] = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        w.wakeup();
                    }
                });
                ts[t].start();
            }
            go.countDown();
            for (Thread t : ts) {
                t.join();
            }
            assertEquals(1, w.written(), "the flag stays up until the loop drains: one byte");
            assertEquals(threads * each - 1, w.coalesced());
            assertEquals(1, selector.selectNow(), "the selector sees the pipe readable");
            w.drain();
            selector.selectedKeys().clear();
            assertEquals(0, selector.selectNow(), "drained: nothing left to read");
            w.wakeup();
            assertEquals(2, w.written(), "after a drain the next wakeup writes again");
        }
    }

    @Test
    void aWakeupFromAnotherThreadEndsABlockingSelect() throws Exception {
        try (WakeupChannel w = new WakeupChannel(); Selector selector = Selector.open()) {
            SelectionKey key = w.register(selector);
            Thread waker = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                w.wakeup();
            });
            waker.start();
            int n = selector.select(); // blocks until the byte arrives: the test's timeout guards it
            waker.join();
            assertEquals(1, n);
            assertTrue(selector.selectedKeys().contains(key));
            assertTrue(key.attachment() == w, "the key's attachment is the channel, so the loop knows it");
        }
    }

    @Test
    void noWakeupIsLostBetweenTheDrainAndTheNextWakeup() throws Exception {
        try (WakeupChannel w = new WakeupChannel(); Selector selector = Selector.open()) {
            w.register(selector);
            for (int i = 0; i < 2000; i++) {
                Thread t = new Thread(w::wakeup);
                t.start();
                int n = selector.select(); // must return: the wakeup wrote, or the flag was still up from one that did
                t.join();
                if (n > 0) {
                    selector.selectedKeys().clear();
                    w.drain();
                }
            }
            assertEquals(0, w.written() + w.coalesced() - 2000, "every wakeup was counted");
        }
    }

    @Test
    void aWakeupFromAnotherThreadEndsAParkAndCountsAsAnUnparkNotAByte() throws Exception {
        try (WakeupChannel w = new WakeupChannel()) {
            Thread waker = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                w.wakeup();
            });
            waker.start();
            w.park(-1, false); // returns only when woken: the test's timeout guards it
            waker.join();
            assertEquals(1, w.unparked());
            assertEquals(0, w.written(), "no pipe write while the loop was parked");
            w.wakeup();
            assertEquals(1, w.written(), "a wakeup while the loop is not parked writes a byte");
            w.park(0, false);
            w.wakeup();
            assertEquals(2, w.written(), "the flag was lowered by park(0)");
        }
    }

    @Test
    void aParkWithATimeoutReturnsByItself() throws Exception {
        try (WakeupChannel w = new WakeupChannel()) {
            long t0 = System.nanoTime();
            w.park(20, false);
            assertTrue(System.nanoTime() - t0 >= 15_000_000L, "parked for about the timeout");
            assertEquals(0, w.unparked() + w.written());
        }
    }

    /**
     * A waker posts then wakes; the loop parks until it has seen every post: a lost wakeup hangs it.
     * Every other park spins first (a wakeup expected soon), so a wakeup may land before, during or
     * after the spin, or while the loop parks.
     */
    @Test
    void noWakeupIsLostBetweenSpinningOrParkingAndWaking() throws Exception {
        try (WakeupChannel w = new WakeupChannel()) {
            int n = 20_000;
            java.util.concurrent.atomic.AtomicInteger posted = new java.util.concurrent.atomic.AtomicInteger();
            Thread waker = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    posted.incrementAndGet();
                    w.wakeup();
                    if (i % 64 == 0) {
                        Thread.yield();
                    }
                }
            });
            waker.start();
            int seen = 0;
            while (seen < n) {
                w.park(-1, (seen & 1) == 0); // no timeout: only a wakeup ends it
                seen = posted.get();
            }
            waker.join();
            assertEquals(n, w.unparked() + w.written() + w.coalesced(), "every wakeup was counted once");
        }
    }

    @Test
    void aWakeupWhileTheLoopSpinsEndsTheSpinWithoutAnUnparkOrAByte() throws Exception {
        try (WakeupChannel w = new WakeupChannel()) {
            Thread waker = new Thread(() -> {
                while (!w.loopWaiting()) {
                    Thread.onSpinWait();
                }
                w.wakeup();
            });
            waker.start();
            w.park(-1, true); // spins, then parks if the wakeup has not come: either way it ends only by the wakeup
            waker.join();
            assertEquals(1, w.unparked() + w.coalesced(), "the wakeup was seen by the spin or unparked the loop");
            assertEquals(0, w.written(), "no pipe write while the loop was spinning or parked");
        }
    }
}
