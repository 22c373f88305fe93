package io.bobbin.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.internal.io.Poller;
import io.bobbin.internal.task.LoopTask;
import java.nio.channels.SelectableChannel;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class InboxTest {
    /** A poller that only counts its wakeups. */
    static final class CountingPoller implements Poller {
        final AtomicInteger wakeups = new AtomicInteger();

        @Override public void poll(long timeoutMillis, boolean lookFirst, boolean wakeupSoon) { }
        @Override public boolean hasWaiters() { return false; }
        @Override public void await(LoopTask<?> task, SelectableChannel channel, boolean write) { throw new UnsupportedOperationException(); }
        @Override public void wakeup() { wakeups.incrementAndGet(); }
        @Override public long wakeupsWritten() { return wakeups.get(); }
        @Override public long wakeupsCoalesced() { return 0; }
        @Override public int registeredChannels() { return 0; }
        @Override public void close() { }
    }

    @Test
    void aPostFromAnotherThreadWakesThePollerAndOneFromTheOwnerDoesNot() throws Exception {
        CountingPoller poller = new CountingPoller();
        Thread owner = Thread.currentThread();
        Inbox inbox = new Inbox(poller, () -> owner);
        AtomicInteger ran = new AtomicInteger();
        assertTrue(inbox.post(ran::incrementAndGet));
        assertEquals(0, poller.wakeups.get());
        Thread other = new Thread(() -> inbox.post(ran::incrementAndGet));
        other.start();
        other.join();
        assertEquals(1, poller.wakeups.get());
        assertEquals(2, inbox.drain());
        assertEquals(2, ran.get());
        assertTrue(inbox.isEmpty());
    }

    @Test
    void afterCloseEveryPostIsRefusedAndNothingIsRun() {
        Inbox inbox = new Inbox(new CountingPoller(), Thread::currentThread);
        AtomicInteger ran = new AtomicInteger();
        inbox.post(ran::incrementAndGet);
        List<Runnable> left = inbox.close();
        assertEquals(1, left.size(), "what was posted and not run is handed back");
        assertFalse(inbox.post(ran::incrementAndGet));
        assertEquals(0, inbox.drain());
        assertEquals(0, ran.get());
    }

    /**
     * Posts from four threads race with a close: each action ends up exactly once in one of three
     * places (run by a drain before the close, handed back by the close, or refused to its poster).
     */
    @Test
    void anActionRacingWithCloseIsRunHandedBackOrRefusedExactlyOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            int threads = 4;
            int perThread = 500;
            AtomicIntegerArray fate = new AtomicIntegerArray(threads * perThread);
            Inbox inbox = new Inbox(new CountingPoller(), () -> null);
            CountDownLatch go = new CountDownLatch(1);
            Thread[] posters = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                posters[t] = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        int id = base + i;
                        if (!inbox.post(new Tagged(id, fate))) {
                            fate.incrementAndGet(id); // refused
                        }
                    }
                });
                posters[t].start();
            }
            go.countDown();
            inbox.drain();
            for (Runnable r : inbox.close()) {
                fate.incrementAndGet(((Tagged) r).id); // handed back
            }
            for (Thread t : posters) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertEquals(0, inbox.drain(), "nothing runs after the close");
            for (int i = 0; i < fate.length(); i++) {
                assertEquals(1, fate.get(i), "action " + i + " in round " + round);
            }
        }
    }

    private static final class Tagged implements Runnable {
        final int id;
        final AtomicIntegerArray fate;

        Tagged(int id, AtomicIntegerArray fate) {
            this.id = id;
            this.fate = fate;
        }

        @Override
        public void run() {
            fate.incrementAndGet(id); // run
        }
    }
}
