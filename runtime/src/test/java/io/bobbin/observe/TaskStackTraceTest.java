package io.bobbin.observe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code Task.stackTrace()}: a suspended task's frames, innermost first, exactly as a thread blocked at
 * the same place would show them (class, method, file and line of each call), read from what its
 * continuation saved; empty when the task is not suspended.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TaskStackTraceTest {
    static final StackTraceElement[] NONE = new StackTraceElement[0];

    @ParameterizedTest
    @EnumSource(Waits.Kind.class)
    void aTaskSuspendedThreeCallsDeepShowsEachCallWithItsLineInnermostFirst(Waits.Kind kind) throws Exception {
        try (Waits w = new Waits(kind)) {
            EventLoop.run(() -> {
                w.prepare();
                int line = Waits.here(); Task<Object> t = Async.spawn(() -> w.body());
                Async.yieldNow(); // FIFO: the task runs to its wait (or yield), then this goes on
                w.assertTrace(t.stackTrace(), TaskStackTraceTest.class, line);
                t.cancel();
                return null;
            });
        }
    }

    @ParameterizedTest
    @EnumSource(value = Waits.Kind.class, names = {"YIELD", "SUSPEND"}, mode = EnumSource.Mode.EXCLUDE)
    void anotherThreadReadsTheSameFramesThroughTheLoopsThread(Waits.Kind kind) throws Exception {
        EventLoop loop = EventLoop.builder().name("other-thread-" + kind).start();
        try (Waits w = new Waits(kind)) {
            loop.spawn(() -> {
                w.prepare();
                return null;
            }).join();
            int line = Waits.here(); Task<Object> t = loop.spawn(() -> w.body());
            StackTraceElement[] trace = awaitSuspended(t);
            w.assertTrace(trace, TaskStackTraceTest.class, line);
            w.assertTrace(t.stackTrace(), TaskStackTraceTest.class, line); // asked again: the same
            t.cancel();
        } finally {
            loop.close();
        }
    }

    @Test
    void anotherThreadSeesATaskThatKeepsYieldingAsReadyInItsYield() throws Exception {
        EventLoop loop = EventLoop.builder().name("yielder").start();
        AtomicBoolean stop = new AtomicBoolean();
        try {
            int line = Waits.here(); Task<Integer> t = loop.spawn(() -> spin(stop));
            for (int round = 0; round < 20; round++) { // the loop's thread reads it between two steps: never running
                List<StackTraceElement> trace = List.of(awaitSuspended(t));
                assertEquals(List.of("io.bobbin.Async.yieldNow", TaskStackTraceTest.class.getName() + ".spin"),
                        List.of(trace.get(0).getClassName() + "." + trace.get(0).getMethodName(),
                                trace.get(1).getClassName() + "." + trace.get(1).getMethodName()), trace.toString());
                assertEquals(SPIN_LINE, trace.get(1).getLineNumber());
                assertEquals(line, trace.get(2).getLineNumber());
                assertEquals(3, trace.size(), trace.toString());
            }
            stop.set(true);
            assertTrue(t.join() > 0);
        } finally {
            loop.close();
        }
    }

    static final int SPIN_LINE = 1 + Waits.lineInTest("TaskStackTraceTest.java", "static int spin(", "while (!stop.get())");

    @Suspendable
    static int spin(AtomicBoolean stop) {
        int n = 0;
        while (!stop.get()) {
            Async.yieldNow();
            n++;
        }
        return n;
    }

    /** Polls {@code t.stackTrace()} from this thread until it is not empty. */
    static StackTraceElement[] awaitSuspended(Task<?> t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            StackTraceElement[] trace = t.stackTrace();
            if (trace.length > 0) {
                return trace;
            }
            assertTrue(System.nanoTime() < deadline, "the task never suspended");
            Thread.sleep(5);
        }
    }

    @Test
    void aTaskThatHasNotStartedHasNoFrames() throws Exception {
        EventLoop.run(() -> {
            Task<Object> t = Async.spawn(() -> null);
            assertArrayEquals(NONE, t.stackTrace());
            return t.join();
        });
    }

    @Test
    void theRunningTaskHasNoSavedFramesToShow() throws Exception {
        StackTraceElement[] own = EventLoop.run(() -> Async.currentTask().stackTrace());
        assertArrayEquals(NONE, own);
    }

    @Test
    void aTaskThatHasEndedHasNoFramesFromAnyThread() throws Exception {
        Task<?>[] ended = new Task<?>[1];
        EventLoop.run(() -> {
            Task<Object> t = Async.spawn(() -> {
                Async.sleep(Duration.ofMillis(1));
                return null;
            });
            t.join();
            assertArrayEquals(NONE, t.stackTrace());
            ended[0] = t;
            return null;
        });
        assertArrayEquals(NONE, ended[0].stackTrace(), "after its loop has ended too");
    }

    @Test
    void aTaskWokenButNotYetResumedStillShowsWhereItWaited() throws Exception {
        try (Waits w = new Waits(Waits.Kind.AWAIT)) {
            EventLoop.run(() -> {
                int line = Waits.here(); Task<Object> t = Async.spawn(() -> w.body());
                Async.yieldNow();
                w.stage.complete("now"); // on the loop's thread: t is woken at once, ready, not resumed yet
                w.assertTrace(t.stackTrace(), TaskStackTraceTest.class, line);
                assertEquals(null, t.join());
                assertArrayEquals(NONE, t.stackTrace());
                return null;
            });
        }
    }

    @Test
    void aLoopWhoseThreadIsBlockedMakesStackTraceSaySoInsteadOfHanging() throws Exception {
        EventLoop loop = EventLoop.builder().name("held").start();
        ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(1);
        try {
            Task<Object> sleeper = loop.spawn(() -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            });
            awaitSuspended(sleeper);
            CountDownLatch blocking = new CountDownLatch(1);
            loop.spawn(() -> {
                blocking.countDown();
                return queue.take(); // blocks the loop's thread: nothing else runs on it meanwhile
            });
            assertTrue(blocking.await(10, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, sleeper::stackTrace);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(waited >= 900 && waited < 10_000, "waited " + waited + " ms");
            assertEquals("the thread of held did not answer within 1000 ms: a task step or callback holds it (a call that"
                    + " blocks the thread, or a long computation, in a task); the frames of task held/task-1 cannot be read"
                    + " while the loop might resume it", e.getMessage());
            queue.put("go");
            assertEquals("io.bobbin.Async.sleep", awaitSuspended(sleeper)[0].getClassName() + "." + awaitSuspended(sleeper)[0].getMethodName());
        } finally {
            queue.offer("go");
            loop.close();
        }
    }

    @Test
    void anInterruptedCallerIsToldSoAndKeepsItsInterruptStatus() throws Exception {
        EventLoop loop = EventLoop.builder().name("asked").start();
        try {
            Task<Object> sleeper = loop.spawn(() -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            });
            awaitSuspended(sleeper);
            Thread.currentThread().interrupt();
            IllegalStateException e = assertThrows(IllegalStateException.class, sleeper::stackTrace);
            assertTrue(Thread.interrupted(), "the interrupt status is kept");
            assertEquals("the thread asking asked was interrupted while it waited for the loop's answer; the frames of"
                    + " task asked/task-1 cannot be read while the loop might resume it", e.getMessage());
        } finally {
            loop.close();
        }
    }

    @Test
    void aGeneratorsFramesInsideATaskAreNotTheTasks() throws Exception {
        EventLoop.run(() -> {
            Task<Object> t = Async.spawn(() -> {
                for (Integer i : io.bobbin.Generator.<Integer>of(out -> out.emit(1))) {
                    Async.sleep(Duration.ofHours(1));
                }
                return null;
            });
            Async.yieldNow();
            List<StackTraceElement> trace = List.of(t.stackTrace());
            assertEquals("io.bobbin.Async.sleep", trace.get(0).getClassName() + "." + trace.get(0).getMethodName(), trace.toString());
            assertEquals(2, trace.size(), trace.toString());
            t.cancel();
            return null;
        });
    }
}
