package io.bobbin.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.demo.DemoProcess.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Steps 1 to 6 of the tour, run from the packaged jar, with the order of events each one promises. */
class StepsIT {
    static final List<String> ROUND_ROBIN = List.of(
            "  A step 1 of 3", "  B step 1 of 2", "  C step 1 of 1",
            "  A step 2 of 3", "  B step 2 of 2", "  C done",
            "  A step 3 of 3", "  B done", "  A done");

    /** Index of the first line that matches, or a failure that shows the output. */
    static int indexOf(Result r, Predicate<String> p, String what) {
        for (int i = 0; i < r.out().size(); i++) {
            if (p.test(r.out().get(i))) {
                return i;
            }
        }
        throw new AssertionError("no line " + what + "\n" + r.describe());
    }

    static int indexOf(Result r, String contains) {
        return indexOf(r, l -> l.contains(contains), "containing '" + contains + "'");
    }

    static Matcher find(Result r, String regex) {
        Matcher m = Pattern.compile(regex).matcher(r.outText());
        assertTrue(m.find(), "no match for " + regex + "\n" + r.describe());
        return m;
    }

    static Result ok(String... args) throws Exception {
        Result r = DemoProcess.run(args);
        assertEquals(0, r.exit(), r.describe());
        assertEquals(List.of(), r.err(), "nothing on stderr\n" + r.describe());
        return r;
    }

    @Test
    void simplestTakesTurnsByHandAndOnTheLoopInTheSameOrder() throws Exception {
        Result r = ok("simplest");
        int byHand = indexOf(r, "round-robin over 3 continuations");
        assertEquals(ROUND_ROBIN, r.out().subList(byHand + 1, byHand + 10), r.describe());
        assertEquals("all done after 9 resumes", r.out().get(byHand + 10));
        int onLoop = indexOf(r, "the same workers as tasks on an EventLoop");
        assertEquals(ROUND_ROBIN, r.out().subList(onLoop + 1, onLoop + 10), r.describe());
        assertEquals("all done on the event loop", r.out().get(onLoop + 10));
    }

    @Test
    void sleepersWakeShortestFirstAndTheWallTimeIsUnderTheSum() throws Exception {
        Result r = ok("sleep", "--tasks", "4", "--step", "100");
        for (int t = 1; t <= 4; t++) {
            int n = t;
            assertTrue(indexOf(r, "task " + n + " goes to sleep for " + (5 - n) * 100 + " ms") < indexOf(r, "task 1 woke up"), r.describe());
        }
        List<Integer> woke = new ArrayList<>();
        for (String l : r.out()) {
            Matcher m = Pattern.compile("task (\\d) woke up after (\\d+) ms").matcher(l);
            if (m.find()) {
                woke.add(Integer.parseInt(m.group(1)));
            }
        }
        assertEquals(List.of(4, 3, 2, 1), woke, "shortest sleep first\n" + r.describe());
        Matcher m = find(r, "all 4 woke up: (\\d+) ms of wall time for 1000 ms of sleep");
        long wall = Long.parseLong(m.group(1));
        assertTrue(wall >= 400 && wall < 1000, "wall time " + wall + " ms: at least the longest sleep, under the sum\n" + r.describe());
    }

    @Test
    void spawnStartsTheTreeLevelByLevelAndParentsEndAfterTheirChildren() throws Exception {
        Result r = ok("spawn", "--depth", "2", "--fanout", "2");
        List<String> nodes = List.of("t1", "t1.1", "t1.2", "t1.1.1", "t1.1.2", "t1.2.1", "t1.2.2");
        int lastStart = -1;
        for (String n : nodes) { // breadth first: FIFO spawn order
            int start = indexOf(r, l -> l.endsWith("  " + n + " starts") || l.contains("  " + n + " starts,"), n + " starts");
            assertTrue(start > lastStart, n + " starts in breadth-first order\n" + r.describe());
            lastStart = start;
        }
        for (String n : nodes) {
            int end = indexOf(r, n + " ends: ");
            assertTrue(end > lastStart, "every task starts before any ends (each sleeps first)\n" + r.describe());
            for (String child : List.of(n + ".1", n + ".2")) {
                if (nodes.contains(child)) {
                    assertTrue(indexOf(r, child + " ends: ") < end, child + " ends before " + n + "\n" + r.describe());
                }
            }
        }
        assertTrue(r.outText().contains("  t1 ends: 7 tasks"), r.describe());
        assertTrue(r.outText().contains("7 tasks in the tree, at most 7 alive at once, all on thread main"), r.describe());
    }

    @Test
    void poolJobsRunOnPoolThreadsWhileTheTickerTicksOnTheLoopThread() throws Exception {
        Result r = ok("pool", "--primes", "300000", "--sleep", "600", "--tick", "50");
        int running = indexOf(r, "blocking job: running on ");
        int done = indexOf(r, "blocking job: done, back on main");
        assertTrue(r.out().get(running).matches(".*running on .*-blocking-\\d+"), r.describe());
        assertTrue(r.out().get(indexOf(r, "cpu job: running on ")).matches(".*running on .*-blocking-\\d+"), r.describe());
        assertTrue(r.outText().contains("cpu job: done, 25997 primes, back on main"), r.describe());
        long ticksDuringTheJob = r.out().subList(running, done).stream().filter(l -> l.matches(".*  tick \\d+ on main")).count();
        assertTrue(ticksDuringTheJob >= 4, "the loop went on ticking while the job blocked a pool thread\n" + r.describe());
        find(r, "both jobs done after \\d+ ms; the ticker kept ticking meanwhile: longest gap between ticks \\d+ ms for a period of 50 ms");
    }

    @Test
    void selectReadsThePipeAndTheSocketAsTheirMessagesArrive() throws Exception {
        Result r = ok("select", "--messages", "3", "--gap", "60");
        int lastPipe = -1;
        int lastSocket = -1;
        for (int n = 1; n <= 3; n++) {
            int i = n; // two messages may come in one read: then one line shows both
            int written = indexOf(r, "writer thread: writes 'pipe message " + i + "'");
            int read = indexOf(r, l -> l.contains("pipe reader: readable") && l.contains("pipe message " + i), "pipe reader gets message");
            assertTrue(written < read && read >= lastPipe, "pipe message " + i + "\n" + r.describe());
            lastPipe = read;
            int sent = indexOf(r, "client task: sends 'socket message " + i + "'");
            int got = indexOf(r, l -> l.contains("socket reader: readable") && l.contains("socket message " + i), "socket reader gets message");
            assertTrue(sent < got && got >= lastSocket, "socket message " + i + "\n" + r.describe());
            lastSocket = got;
        }
        assertTrue(indexOf(r, "pipe reader: end of stream") > lastPipe, r.describe());
        assertTrue(indexOf(r, "socket reader: end of stream") > lastSocket, r.describe());
        assertTrue(indexOf(r, "client task: connected") < indexOf(r, "client task: sends"), r.describe());
        assertTrue(r.outText().contains("both channels read to their end, by two tasks waiting on one selector on thread main"), r.describe());
    }

    @Test
    void mixedCountsEveryPoolCompletionAsAWakeupWrittenOrCoalesced() throws Exception {
        Result r = ok("mixed", "--jobs", "3000", "--workers", "16");
        Matcher done = find(r, "  done: 3000 pool jobs, (\\d+) pipe lines, (\\d+) echoes, all on thread main");
        assertTrue(Integer.parseInt(done.group(1)) > 0 && Integer.parseInt(done.group(2)) > 0, "the pipe and the socket were served meanwhile\n" + r.describe());
        Matcher m = find(r, "(\\d+) wakeup bytes written, (\\d+) wakeups coalesced");
        long written = Long.parseLong(m.group(1));
        long coalesced = Long.parseLong(m.group(2));
        assertTrue(written >= 1, r.describe());
        // every completion, from a pool thread, wakes the loop: it either writes the byte or finds it written
        assertTrue(written + coalesced >= 3000, written + " + " + coalesced + "\n" + r.describe());
    }
}
