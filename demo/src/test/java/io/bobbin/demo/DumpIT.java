package io.bobbin.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.demo.DemoProcess.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Step 9, {@code dump}, from the packaged jar: a busy loop's dump, one block per task, and the slow-step watchdog. */
class DumpIT {
    static final String BUSY = "io.bobbin.demo.DumpDemo$BusyLoop.";

    /** The lines of the block that starts with {@code head}, up to the blank line. */
    static List<String> block(Result r, String head) {
        List<String> out = r.out();
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).startsWith(head)) {
                int end = i + 1;
                while (end < out.size() && !out.get(end).isEmpty()) {
                    end++;
                }
                return out.subList(i, end);
            }
        }
        throw new AssertionError("no block starting with " + head + "\n" + r.describe());
    }

    /** The frames of a block, without their line numbers. */
    static List<String> frames(List<String> block) {
        return block.subList(1, block.size()).stream().map(l -> l.replaceAll(":\\d+\\)$", ")")).toList();
    }

    @Test
    void theDumpShowsEachTaskItsStateWhatItWaitsForAndItsFrames() throws Exception {
        Result r = DemoProcess.run(List.of(), "", "dump", "--crunchers", "2");
        assertEquals(0, r.exit(), r.describe());
        assertEquals(List.of(), r.err(), "nothing on stderr\n" + r.describe());
        assertTrue(r.out().stream().anyMatch(l -> l.matches("Event loop dump-demo on thread \"main\", loop time \\d+ ns:"
                + " 9 tasks \\(1 running, 2 ready, 5 waiting, 1 new\\)")), r.describe());
        assertEquals(List.of("\tat io.bobbin.EventLoop.dump(EventLoop.java)", "\tat " + BUSY + "main(DumpDemo.java)"),
                frames(block(r, "\"dump-demo/task-1\" running")));
        assertTrue(block(r, "\"dump-demo/task-2\" ").get(0).matches("\"dump-demo/task-2\" waiting: sleep until \\d+ ns"), r.describe());
        assertEquals(List.of("\tat io.bobbin.Async.sleep(Async.java)", "\tat " + BUSY + "nap(DumpDemo.java)",
                "\tat " + BUSY + "sleeper(DumpDemo.java)"), frames(block(r, "\"dump-demo/task-2\" ")));
        List<String> reader = block(r, "\"dump-demo/task-3\" waiting: readable ");
        assertEquals(List.of("\tat io.bobbin.Async.ready(Async.java)", "\tat io.bobbin.Async.readable(Async.java)",
                "\tat " + BUSY + "readLine(DumpDemo.java)", "\tat " + BUSY + "reader(DumpDemo.java)"), frames(reader));
        assertEquals(List.of("\tat io.bobbin.Async.blocking(Async.java)", "\tat " + BUSY + "lookup(DumpDemo.java)"),
                frames(block(r, "\"dump-demo/task-4\" waiting: blocking work on the pool")));
        assertEquals(List.of("\tat io.bobbin.Async.await(Async.java)", "\tat " + BUSY + "quote(DumpDemo.java)"),
                frames(block(r, "\"dump-demo/task-5\" waiting: await of java.util.concurrent.CompletableFuture@")));
        assertEquals(List.of("\tat io.bobbin.Task.join(Task.java)", "\tat " + BUSY + "watchSleeper(DumpDemo.java)"),
                frames(block(r, "\"dump-demo/task-6\" waiting: join of dump-demo/task-2")));
        for (String cruncher : List.of("\"dump-demo/task-7\" ready", "\"dump-demo/task-8\" ready")) {
            assertEquals(List.of("\tat io.bobbin.Async.yieldNow(Async.java)", "\tat " + BUSY + "cruncher(DumpDemo.java)"),
                    frames(block(r, cruncher)));
        }
        assertEquals(List.of("\"dump-demo/task-9\" new"), block(r, "\"dump-demo/task-9\" "));
        assertTrue(StepsIT.indexOf(r, "EventLoop.dump(), asked by the main task:") < StepsIT.indexOf(r, "Event loop dump-demo on thread"));
        int at = StepsIT.indexOf(r, "the reader's frames, read from another thread with Task.stackTrace():");
        assertEquals(reader.subList(1, reader.size()), r.out().subList(at + 1, at + reader.size()), "the same frames as in the dump\n" + r.describe());
    }

    @Test
    void withSlowTheWatchdogReportsTheTaskThatBlocksTheLoopsThread() throws Exception {
        Result r = DemoProcess.run(List.of(), "", "dump", "--slow", "--crunchers", "0");
        assertEquals(0, r.exit(), r.describe());
        assertTrue(r.outText().contains("the slow step has ended; the loop went on"), r.describe());
        String err = r.errText();
        assertTrue(err.contains("WARNING: slow step on event loop slow-demo: task slow-demo/task-2 has held the loop's thread for "), r.describe());
        assertTrue(err.contains(" (threshold 100 ms), running " + BUSY + "blockTheLoop(DumpDemo.java:"), r.describe());
        assertTrue(err.contains("the loop's thread is TIMED_WAITING (blocked by a call that waits: use Async.blocking"), r.describe());
        assertTrue(err.contains("\n\tat java.lang.Thread.sleep"), r.describe());
        assertTrue(err.contains("\n\tat " + BUSY + "blockTheLoop(DumpDemo.java:"), r.describe());
    }
}
