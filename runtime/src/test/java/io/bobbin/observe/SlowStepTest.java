package io.bobbin.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The slow-step watchdog: a task step or callback that holds its loop's thread longer than the loop's
 * threshold is reported once, while it runs, through System.Logger at WARNING, naming what ran, its
 * method, and where the loop's thread was; nothing is reported below the threshold or without one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowStepTest {
    static final String SLOW = "slow step on event loop ";
    static volatile long spins;

    /** Holds the calling thread, busy, for {@code millis}. The loop is on one line: the sampled frame's line. */
    static void spin(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < until) { spins++; }
    }

    static final int SPIN_LINE = Waits.lineInTest("SlowStepTest.java", "static void spin(long millis)", "while (System.nanoTime() < until)");

    /** The frame lines of a report, after its first line. */
    static List<String> frames(String report) {
        List<String> lines = List.of(report.split("\n"));
        return lines.subList(1, lines.size());
    }

    /** The first frame line of {@code cls} in a report. */
    static String firstFrameOf(String report, Class<?> cls) {
        for (String l : frames(report)) {
            if (l.startsWith("\tat " + cls.getName() + ".")) {
                return l;
            }
        }
        throw new AssertionError("no frame of " + cls + " in:\n" + report);
    }

    @Test
    void aTaskThatSpinsIsReportedOnceWithItsMethodAndWhereTheThreadWas() throws Exception {
        try (LogCapture log = new LogCapture()) {
            int[] line = new int[1];
            EventLoop.builder().name("spinner").slowStepThreshold(Duration.ofMillis(100)).run(() -> {
                line[0] = Waits.here(); Task<Object> t = Async.spawn(() -> { spin(1500); return null; });
                return t.join();
            });
            List<String> reports = log.warnings(SLOW);
            assertEquals(1, reports.size(), reports.toString());
            String r = reports.get(0);
            Matcher m = Pattern.compile("slow step on event loop spinner: task spinner/task-2 has held the loop's thread for (\\d+) ms"
                    + " \\(threshold 100 ms\\), running io\\.bobbin\\.observe\\.SlowStepTest\\.lambda\\$\\w+\\$\\d+\\(SlowStepTest\\.java:"
                    + line[0] + "\\); the loop's thread is RUNNABLE at:").matcher(r.split("\n")[0]);
            assertTrue(m.matches(), r);
            long held = Long.parseLong(m.group(1));
            assertTrue(held >= 100 && held < 1500, r);
            assertEquals("\tat io.bobbin.observe.SlowStepTest.spin(SlowStepTest.java:" + SPIN_LINE + ")", firstFrameOf(r, SlowStepTest.class), r);
            List<String> frames = frames(r);
            assertTrue(frames.get(frames.size() - 1).matches("\tat io\\.bobbin\\.observe\\.SlowStepTest\\.lambda\\$\\w+\\$\\d+\\(SlowStepTest\\.java:"
                    + line[0] + "\\)"), r);
            for (String f : frames) {
                assertTrue(!f.contains("io.bobbin.internal.") && !f.contains("$$Lambda"), "only the step's own frames: " + r);
            }
        }
    }

    @Test
    void aTaskThatCallsABlockingTakeIsCaughtBlockingTheLoopsThread() throws Exception {
        ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(1);
        try (LogCapture log = new LogCapture()) {
            EventLoop loop = EventLoop.builder().name("taker").slowStepThreshold(Duration.ofMillis(100)).start();
            try {
                int line = Waits.here(); Task<String> taker = loop.spawn(() -> queue.take()); // wrong: blocks the loop for good
                List<String> reports = log.awaitWarning(SLOW, 10_000);
                assertEquals(1, reports.size(), reports.toString());
                String r = reports.get(0);
                assertTrue(r.startsWith("slow step on event loop taker: task taker/task-1 has held the loop's thread for "), r);
                assertTrue(r.split("\n")[0].endsWith("(SlowStepTest.java:" + line + "); the loop's thread is WAITING (blocked by a call"
                        + " that waits: use Async.blocking, or a wait of Bobbin's, so that the loop's other tasks can run) at:"), r);
                assertTrue(frames(r).stream().anyMatch(f -> f.startsWith("\tat java.util.concurrent.ArrayBlockingQueue.take(ArrayBlockingQueue.java:")), r);
                assertTrue(frames(r).get(frames(r).size() - 1).startsWith("\tat io.bobbin.observe.SlowStepTest.lambda$"), r);
                Thread.sleep(500); // the same step goes on being slow: still one report
                assertEquals(1, log.warnings(SLOW).size());
                queue.put("unblocked");
                assertEquals("unblocked", taker.join());
            } finally {
                queue.offer("unblocked");
                loop.close();
            }
        }
    }

    @Test
    void eachSlowStepIsReportedOnceAndACallbackIsNamedAsOne() throws Exception {
        try (LogCapture log = new LogCapture()) {
            EventLoop.builder().name("twice").slowStepThreshold(Duration.ofMillis(100)).run(() -> {
                Async.spawn(() -> { spin(600); return null; }).join();
                CountDownLatch ran = new CountDownLatch(1);
                EventLoop.current().callSoon(() -> { spin(600); ran.countDown(); });
                Async.sleep(Duration.ofMillis(1));
                return ran.getCount();
            });
            List<String> reports = log.warnings(SLOW + "twice: ");
            assertEquals(2, reports.size(), reports.toString());
            assertTrue(reports.get(0).startsWith("slow step on event loop twice: task twice/task-2 has held"), reports.get(0));
            assertTrue(reports.get(1).startsWith("slow step on event loop twice: a callback has held"), reports.get(1));
            assertTrue(reports.get(1).split("\n")[0].contains(", running io.bobbin.observe.SlowStepTest.lambda$"), reports.get(1));
        }
    }

    @Test
    void oneWatchdogThreadWatchesEveryLoopThatHasAThreshold() throws Exception {
        try (LogCapture log = new LogCapture()) {
            EventLoop a = EventLoop.builder().name("watched-a").slowStepThreshold(Duration.ofMillis(100)).start();
            EventLoop b = EventLoop.builder().name("watched-b").slowStepThreshold(Duration.ofMillis(100)).start();
            try {
                a.spawn(() -> { spin(600); return null; });
                b.spawn(() -> { spin(600); return null; }).join();
                long watchdogs = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().equals("bobbin-slow-step-watchdog")).count();
                assertEquals(1, watchdogs);
                assertTrue(Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().equals("bobbin-slow-step-watchdog")).allMatch(Thread::isDaemon));
            } finally {
                a.close();
                b.close();
            }
            assertEquals(1, log.warnings(SLOW + "watched-a: ").size(), log.warnings(SLOW).toString());
            assertEquals(1, log.warnings(SLOW + "watched-b: ").size(), log.warnings(SLOW).toString());
        }
    }

    @Test
    void stepsShorterThanTheThresholdAreNeverReported() throws Exception {
        try (LogCapture log = new LogCapture()) {
            EventLoop.builder().name("quick").slowStepThreshold(Duration.ofMillis(1000)).run(() -> {
                for (int i = 0; i < 3; i++) {
                    Async.spawn(() -> {
                        for (int k = 0; k < 10; k++) {
                            spin(20);
                            Async.yieldNow();
                        }
                        return null;
                    });
                }
                spin(200);
                Async.sleep(Duration.ofMillis(1200)); // long waits are not steps
                return null;
            });
            Thread.sleep(300); // the watchdog looks every 250 ms for a 1 s threshold
            assertEquals(List.of(), log.warnings(SLOW));
        }
    }

    @Test
    void aLoopWithoutAThresholdReportsNothing() throws Exception {
        try (LogCapture log = new LogCapture()) {
            EventLoop.builder().name("unwatched").run(() -> {
                spin(400);
                return null;
            });
            assertEquals(List.of(), log.warnings(SLOW));
        }
    }

    @Test
    void theSystemPropertySetsTheThresholdOfLoopsBuiltWithoutOne() throws Exception {
        String before = System.getProperty("bobbin.slowStepMillis");
        System.setProperty("bobbin.slowStepMillis", "100");
        try (LogCapture log = new LogCapture()) {
            EventLoop.run(() -> {
                spin(800);
                return null;
            });
            EventLoop.builder().name("own").slowStepThreshold(Duration.ofSeconds(30)).run(() -> {
                spin(400); // the builder's threshold wins
                return null;
            });
            List<String> reports = log.warnings(SLOW);
            assertEquals(1, reports.size(), reports.toString());
            assertTrue(reports.get(0).matches("(?s)slow step on event loop bobbin-loop-\\d+: task bobbin-loop-\\d+/task-1 has held.*"), reports.get(0));
            System.setProperty("bobbin.slowStepMillis", "0");
            EventLoop.run(() -> {
                spin(400);
                return null;
            });
            assertEquals(1, log.warnings(SLOW).size(), "0 means no threshold");
        } finally {
            if (before == null) {
                System.clearProperty("bobbin.slowStepMillis");
            } else {
                System.setProperty("bobbin.slowStepMillis", before);
            }
        }
    }

    @Test
    void aBadPropertyValueIsAClearError() {
        String before = System.getProperty("bobbin.slowStepMillis");
        try {
            for (String bad : new String[] {"fast", "-5", "1.5"}) {
                System.setProperty("bobbin.slowStepMillis", bad);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventLoop.run(() -> null));
                assertEquals("the system property bobbin.slowStepMillis must be a whole number of milliseconds (0 for no"
                        + " slow-step reports), not '" + bad + "'; fix or remove -Dbobbin.slowStepMillis", e.getMessage());
            }
        } finally {
            if (before == null) {
                System.clearProperty("bobbin.slowStepMillis");
            } else {
                System.setProperty("bobbin.slowStepMillis", before);
            }
        }
    }

    @Test
    void theBuilderRefusesAThresholdThatIsNotPositive() {
        EventLoop.Builder b = EventLoop.builder();
        assertEquals("slowStepThreshold must be positive, not PT0S",
                assertThrows(IllegalArgumentException.class, () -> b.slowStepThreshold(Duration.ZERO)).getMessage());
        assertEquals("slowStepThreshold must be positive, not PT-0.001S",
                assertThrows(IllegalArgumentException.class, () -> b.slowStepThreshold(Duration.ofMillis(-1))).getMessage());
        assertEquals("threshold", assertThrows(NullPointerException.class, () -> b.slowStepThreshold(null)).getMessage());
    }
}
