package io.bobbin.loop;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownTest {

    static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /**
     * The live threads whose names start with {@code prefix}, once they have had up to 10 s to end: a
     * thread that has released everything may still be on its way out when close() returns.
     */
    static Set<String> loopThreads(String prefix) throws InterruptedException {
        Set<String> alive = Set.of();
        for (int i = 0; i < 1000; i++) {
            alive = Thread.getAllStackTraces().keySet().stream()
                    .filter(Thread::isAlive)
                    .map(Thread::getName)
                    .filter(n -> n.startsWith(prefix))
                    .collect(Collectors.toSet());
            if (alive.isEmpty()) {
                break;
            }
            Thread.sleep(10);
        }
        return alive;
    }

    /** A workload that uses every resource: tasks, timers, channels, the pool. */
    @io.bobbin.Suspendable
    static Object workload(List<String> log) throws Exception {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        Async.spawn(() -> {
            try {
                Async.readable(pipe.source());
            } finally {
                log.add("reader finally");
                pipe.source().close();
                pipe.sink().close();
            }
            return null;
        });
        Async.spawn(() -> {
            try {
                return Async.blocking(() -> {
                    Thread.sleep(60_000);
                    return null;
                });
            } finally {
                log.add("blocking finally");
            }
        });
        for (int i = 0; i < 8; i++) {
            Async.spawn(() -> Async.blocking(() -> 1));
        }
        Async.spawn(() -> {
            try {
                Async.sleep(Duration.ofDays(1));
            } finally {
                log.add("sleeper finally");
                Async.sleep(Duration.ofMillis(5));
            }
            return null;
        });
        Async.sleep(Duration.ofMillis(50));
        return null;
    }

    @Test
    void runReleasesEverythingWhenMainEnds() throws Exception {
        EventLoop.run(() -> Async.blocking(() -> 1)); // warm up class loading and the JDK's own fds
        int fdsBefore = openFds();
        List<String> log = new ArrayList<>();
        EventLoop.builder().name("leakcheck-run").run(() -> workload(log));
        assertEquals(Set.of("reader finally", "blocking finally", "sleeper finally"), Set.copyOf(log));
        assertEquals(Set.of(), loopThreads("leakcheck-run"));
        int fdsAfter = openFds(); // fewer is fine: another test's loop may have finished closing meanwhile
        assertTrue(fdsAfter <= fdsBefore, "file descriptors left open: " + fdsBefore + " before, " + fdsAfter + " after");
    }

    @Test
    void closeOfAStartedLoopCancelsItsTasksAndReleasesEverything() throws Exception {
        EventLoop.run(() -> Async.blocking(() -> 1));
        int fdsBefore = openFds();
        List<String> log = new ArrayList<>();
        EventLoop loop = EventLoop.builder().name("leakcheck-start").start();
        Task<Object> main = loop.spawn(() -> {
            workload(log);
            Async.sleep(Duration.ofDays(1));
            return null;
        });
        CountDownLatch started = new CountDownLatch(1);
        loop.execute(started::countDown);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Thread.sleep(100);
        loop.close();
        assertTrue(loop.isClosed());
        assertThrows(CancellationException.class, main::join);
        assertEquals(Set.of("reader finally", "blocking finally", "sleeper finally"), Set.copyOf(log));
        assertEquals(Set.of(), loopThreads("leakcheck-start"));
        int fdsAfter = openFds(); // fewer is fine: another test's loop may have finished closing meanwhile
        assertTrue(fdsAfter <= fdsBefore, "file descriptors left open: " + fdsBefore + " before, " + fdsAfter + " after");
        assertThrows(RejectedExecutionException.class, () -> loop.spawn(() -> 1));
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
        loop.close(); // twice: nothing
    }

    @Test
    void closeFromInsideATaskEndsTheLoopAfterItsTasks() throws Exception {
        EventLoop loop = EventLoop.start();
        Task<String> t = loop.spawn(() -> {
            EventLoop.current().close();
            try {
                Async.sleep(Duration.ofDays(1));
                return "slept";
            } catch (CancellationException e) {
                return "cancelled by close";
            }
        });
        assertEquals("cancelled by close", t.join());
        assertTrue(loop.awaitTermination(Duration.ofSeconds(10)));
    }

    @Test
    void aFailureNobodyJoinsIsReportedOnce() throws Exception {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.bobbin.EventLoop");
        List<java.util.logging.LogRecord> records = new ArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public synchronized void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(h);
        try {
            IllegalStateException boom = new IllegalStateException("unjoined");
            EventLoop.run(() -> {
                Async.spawn(() -> {
                    throw boom;
                });
                Task<Object> joinedLater = Async.spawn(() -> {
                    throw new IllegalStateException("joined later");
                });
                Async.sleep(Duration.ofMillis(20));
                Thrown.by(IllegalStateException.class, joinedLater::join);
                return null;
            });
            synchronized (h) {
                assertEquals(1, records.size(), records.toString());
                assertSame(boom, records.get(0).getThrown());
            }
        } finally {
            jul.removeHandler(h);
        }
    }

    @Test
    void aFailingCallbackIsLoggedAndTheLoopGoesOn() throws Exception {
        assertEquals("alive", EventLoop.run(() -> {
            EventLoop.current().callSoon(() -> {
                throw new IllegalStateException("callback failure (expected in this test)");
            });
            Async.yieldNow();
            Async.sleep(Duration.ofMillis(1));
            return "alive";
        }));
    }

    @Test
    void pipeDataStillFlowsAfterALoopReleasedTheChannel() throws Exception {
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            pipe.sink().write(ByteBuffer.wrap(new byte[] {9}));
            EventLoop.run(() -> {
                Async.readable(pipe.source());
                return null;
            });
            // the loop's selector is closed: the channel can go back to blocking mode
            pipe.source().configureBlocking(true);
            ByteBuffer b = ByteBuffer.allocate(1);
            assertEquals(1, pipe.source().read(b));
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void anInterruptOfTheRunThreadCancelsMainInsteadOfSpinning() throws Exception {
        Object[] outcome = new Object[2];
        CountDownLatch sleeping = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                outcome[0] = EventLoop.run(() -> {
                    sleeping.countDown();
                    Async.sleep(Duration.ofDays(1));
                    return "slept";
                });
            } catch (Exception e) {
                outcome[0] = e;
            }
            outcome[1] = Thread.currentThread().isInterrupted();
        });
        t.start();
        assertTrue(sleeping.await(10, TimeUnit.SECONDS));
        t.interrupt();
        t.join(20_000);
        assertFalse(t.isAlive());
        assertTrue(outcome[0] instanceof CancellationException, String.valueOf(outcome[0]));
        assertEquals(true, outcome[1]);
    }

    @Test
    void anInterruptOfAStartedLoopsThreadIsIgnored() throws Exception {
        try (EventLoop loop = EventLoop.start()) {
            Thread[] thread = new Thread[1];
            CountDownLatch got = new CountDownLatch(1);
            loop.execute(() -> {
                thread[0] = Thread.currentThread();
                got.countDown();
            });
            assertTrue(got.await(10, TimeUnit.SECONDS));
            Task<String> t = loop.spawn(() -> {
                Async.sleep(Duration.ofMillis(100));
                return "slept";
            });
            thread[0].interrupt();
            assertEquals("slept", t.join());
        }
    }
}
