package io.bobbin.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code EventLoop.dump()}: one block per task, in spawn order, like a thread dump: the task, its state,
 * what it waits for, its frames; from the loop's own thread or any other; and a loop that cannot
 * answer (its thread is blocked) or has ended says so.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopDumpTest {
    /** The block of {@code task} in {@code dump}: its first line and its frame lines, up to the blank line. */
    static List<String> block(String dump, Task<?> task) {
        List<String> lines = List.of(dump.split("\n", -1));
        String head = "\"" + task + "\" ";
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(head)) {
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).isEmpty()) {
                    end++;
                }
                return lines.subList(i, end);
            }
        }
        throw new AssertionError("no block for " + task + " in:\n" + dump);
    }

    /** The frame lines a dump shows for {@code trace}. */
    static List<String> frameLines(StackTraceElement[] trace) {
        List<String> out = new ArrayList<>();
        for (StackTraceElement e : trace) {
            out.add("\tat " + e);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Waits.Kind.class)
    void eachWaitShowsWhatItWaitsForAndTheTasksFrames(Waits.Kind kind) throws Exception {
        try (Waits w = new Waits(kind)) {
            EventLoop.run(() -> {
                w.prepare();
                Task<Object> t = Async.spawn(() -> w.body());
                Async.yieldNow();
                StackTraceElement[] trace = t.stackTrace();
                List<String> b = block(EventLoop.current().dump(), t);
                assertTrue(b.get(0).startsWith("\"" + t + "\" " + w.dumpState()), b.get(0));
                if (kind == Waits.Kind.SLEEP) {
                    assertTrue(b.get(0).matches(".* waiting: sleep until \\d+ ns"), b.get(0));
                } else {
                    assertEquals("\"" + t + "\" " + w.dumpState(), b.get(0));
                }
                assertEquals(frameLines(trace), b.subList(1, b.size()));
                assertEquals(w.waitFrames().size() + 5, b.size() - 1, String.join("\n", b));
                t.cancel();
                return null;
            });
        }
    }

    @Test
    void aDumpReadsLikeAThreadDumpOneBlockPerTaskInSpawnOrder() throws Exception {
        String[] dump = new String[1];
        int[] lines = new int[3];
        EventLoop.builder().name("dumpy").run(() -> {
            lines[0] = Waits.here(); Task<Object> sleeper = Async.spawn(() -> { Async.sleep(Duration.ofHours(1)); return null; });
            lines[1] = Waits.here(); Task<Object> joiner = Async.spawn(() -> sleeper.join());
            Async.yieldNow();
            Async.spawn(() -> null); // not started when the dump is taken
            lines[2] = Waits.here(); dump[0] = EventLoop.current().dump();
            joiner.cancel();
            sleeper.cancel();
            return null;
        });
        String me = LoopDumpTest.class.getName();
        int sleepLine = Waits.lineIn("Async.java", "public static void sleep(", "t.sleepUntil(");
        int dumpLine = Waits.lineIn("EventLoop.java", "public String dump()", "return core.dump();");
        String masked = dump[0].replaceAll("loop time \\d+ ns", "loop time T ns").replaceAll("sleep until \\d+ ns", "sleep until D ns")
                .replaceAll("\\d+ steps? run in \\d+ turns?", "S steps run in N turns").replaceAll("\\$\\d+\\(", "\\$n(");
        String expected = "Event loop dumpy on thread \"" + Thread.currentThread().getName() + "\", loop time T ns:"
                + " 4 tasks (1 running, 0 ready, 2 waiting, 1 new)\n"
                + "1 timer, 0 channels registered, 0 blocking threads, S steps run in N turns\n"
                + "\n"
                + "\"dumpy/task-1\" running\n"
                + "\tat io.bobbin.EventLoop.dump(EventLoop.java:" + dumpLine + ")\n"
                + "\tat " + me + ".lambda$aDumpReadsLikeAThreadDumpOneBlockPerTaskInSpawnOrder$n(LoopDumpTest.java:" + lines[2] + ")\n"
                + "\n"
                + "\"dumpy/task-2\" waiting: sleep until D ns\n"
                + "\tat io.bobbin.Async.sleep(Async.java:" + sleepLine + ")\n"
                + "\tat " + me + ".lambda$aDumpReadsLikeAThreadDumpOneBlockPerTaskInSpawnOrder$n(LoopDumpTest.java:" + lines[0] + ")\n"
                + "\n"
                + "\"dumpy/task-3\" waiting: join of dumpy/task-2\n"
                + "\tat io.bobbin.Task.join(Task.java)\n"
                + "\tat " + me + ".lambda$aDumpReadsLikeAThreadDumpOneBlockPerTaskInSpawnOrder$n(LoopDumpTest.java:" + lines[1] + ")\n"
                + "\n"
                + "\"dumpy/task-4\" new\n";
        assertEquals(expected, masked);
    }

    @Test
    void anotherThreadGetsTheSameDumpThroughTheLoopsThread() throws Exception {
        EventLoop loop = EventLoop.builder().name("remote").start();
        try {
            Task<Object> sleeper = loop.spawn(() -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            });
            StackTraceElement[] trace = TaskStackTraceTest.awaitSuspended(sleeper);
            String dump = loop.dump();
            assertTrue(dump.startsWith("Event loop remote on thread \"remote\", loop time "), dump);
            assertTrue(dump.contains(" 1 task (0 running, 0 ready, 1 waiting, 0 new)\n"), dump);
            List<String> b = block(dump, sleeper);
            assertTrue(b.get(0).matches("\"remote/task-1\" waiting: sleep until \\d+ ns"), b.get(0));
            assertEquals(frameLines(trace), b.subList(1, b.size()));
        } finally {
            loop.close();
        }
    }

    @Test
    void aLoopWhoseThreadIsBlockedSaysSoAndWhereItsThreadIs() throws Exception {
        EventLoop loop = EventLoop.builder().name("held").slowStepThreshold(Duration.ofHours(1)).start();
        ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(1);
        try {
            CountDownLatch blocking = new CountDownLatch(1);
            Task<String> taker = loop.spawn(() -> {
                blocking.countDown();
                return queue.take(); // blocks the loop's thread
            });
            assertTrue(blocking.await(10, TimeUnit.SECONDS));
            String dump = loop.dump();
            List<String> lines = List.of(dump.split("\n"));
            assertEquals("Event loop held: no dump, the thread of held did not answer within 1000 ms: a task step or"
                    + " callback holds it (a call that blocks the thread, or a long computation, in a task).", lines.get(0));
            assertTrue(lines.get(1).matches("It is running task held/task-1, for \\d+ ms\\."), lines.get(1));
            assertEquals("Its thread \"held\" is WAITING at:", lines.get(2));
            assertTrue(dump.contains("\tat java.util.concurrent.ArrayBlockingQueue.take(ArrayBlockingQueue.java:"), dump);
            assertTrue(lines.get(lines.size() - 1).startsWith("\tat " + LoopDumpTest.class.getName() + ".lambda$"), dump);
            queue.put("go");
            assertEquals("go", taker.join());
        } finally {
            queue.offer("go");
            loop.close();
        }
    }

    @Test
    void aLoopThatHasEndedHasNoTasks() throws Exception {
        EventLoop loop = EventLoop.builder().name("gone").start();
        loop.close();
        assertEquals("Event loop gone has ended: it has no tasks.\n", loop.dump());
    }
}
