package io.bobbin.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Async;
import io.bobbin.Continuation;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import io.bobbin.internal.observe.Events;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flight Recorder events of the "Bobbin" category, each recorded, dumped and read back: a task's end
 * with its outcome and run time, {@code blocking} work with its run and queue times, a refused
 * suspension, a slow step; the first two off in the JDK's default settings, the last two on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlightRecorderTest {
    @TempDir
    Path dir;

    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} under {@code recording}, then reads back the events of {@code type}. */
    List<RecordedEvent> record(Recording recording, String type, Body body) throws Exception {
        Path file = dir.resolve("r.jfr");
        try (recording) {
            recording.start();
            body.run();
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> out = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getEventType().getName().equals(type)) {
                assertEquals(List.of("Bobbin"), e.getEventType().getCategoryNames());
                out.add(e);
            }
        }
        Files.delete(file);
        return out;
    }

    static Recording enabling(String type) {
        Recording r = new Recording();
        r.enable(type);
        return r;
    }

    static Recording defaults() throws Exception {
        return new Recording(Configuration.getConfiguration("default"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aProgramThatNeverStartsFlightRecorderLoadsNoneOfItsEventClassesAndStartsNoWatchdog() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info", "-javaagent:" + System.getProperty("bobbin.agent.jar"),
                "-cp", System.getProperty("java.class.path"), QuietMain.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("\nquiet: 43"), out);
        assertTrue(out.contains("\nwatchdog threads: 0"), "no threshold, no watchdog: " + out);
        assertTrue(out.contains(" io.bobbin.internal.observe.Events "), "the class that guards them was loaded: " + out);
        for (String line : out.split("\\R")) {
            assertFalse(line.contains(" jdk.jfr.Event ") || line.contains("Event source:") && line.contains("io.bobbin.internal.observe."),
                    "no event class: " + line);
            assertFalse(line.contains(" jdk.jfr.internal."), "no part of Flight Recorder set up: " + line);
        }
    }

    @Test
    void aTaskEndRecordsHowItEndedAndTheTimeItsStepsHeldTheLoop() throws Exception {
        List<RecordedEvent> events = record(enabling("io.bobbin.TaskEnd"), "io.bobbin.TaskEnd", () -> {
            assertTrue(Events.taskEndWanted());
            EventLoop.builder().name("ends").run(() -> {
                Task<String> twoSteps = Async.spawn(() -> { // task-2
                    SlowStepTest.spin(30);
                    Async.yieldNow();
                    SlowStepTest.spin(30);
                    return "done";
                });
                Task<Object> fails = Async.spawn(() -> { // task-3
                    throw new IllegalArgumentException("bad");
                });
                Task<Object> sleeper = Async.spawn(() -> { // task-4
                    Async.sleep(Duration.ofHours(1));
                    return null;
                });
                Task<Object> neverRan = Async.spawn(() -> null); // task-5
                neverRan.cancel();
                assertEquals("done", twoSteps.join());
                sleeper.cancel();
                for (Task<Object> t : List.of(fails, sleeper)) {
                    try {
                        t.join(); // assertThrows cannot: its lambda is not a suspension point
                    } catch (IllegalArgumentException | CancellationException expected) {
                        // recorded below
                    }
                }
                return null;
            });
        });
        Map<String, RecordedEvent> byTask = new TreeMap<>();
        for (RecordedEvent e : events) {
            byTask.put(e.getString("task"), e);
            assertEquals("ends", e.getString("loop"));
        }
        assertEquals(List.of("ends/task-1", "ends/task-2", "ends/task-3", "ends/task-4", "ends/task-5"), new ArrayList<>(byTask.keySet()));
        RecordedEvent two = byTask.get("ends/task-2");
        assertEquals("returned", two.getString("outcome"));
        assertNull(two.getString("failure"));
        assertEquals(2, two.getLong("steps"));
        assertTrue(two.getDuration("runTime").toMillis() >= 60, two.toString());
        RecordedEvent fails = byTask.get("ends/task-3");
        assertEquals("failed", fails.getString("outcome"));
        assertEquals(IllegalArgumentException.class.getName(), fails.getString("failure"));
        assertEquals(1, fails.getLong("steps"));
        RecordedEvent sleeper = byTask.get("ends/task-4");
        assertEquals("cancelled", sleeper.getString("outcome"));
        assertEquals(CancellationException.class.getName(), sleeper.getString("failure"));
        assertEquals(2, sleeper.getLong("steps"), "the sleep, and the wake-up that delivered the cancellation");
        RecordedEvent neverRan = byTask.get("ends/task-5");
        assertEquals("cancelled", neverRan.getString("outcome"));
        assertEquals(0, neverRan.getLong("steps"));
        assertEquals(Duration.ZERO, neverRan.getDuration("runTime"));
        assertFalse(Events.taskEndWanted(), "no recording wants it now: loops time no steps");
    }

    @Test
    void blockingWorkRecordsItsRunTimeOnThePoolAndHowLongItWaitedForAThread() throws Exception {
        List<RecordedEvent> events = record(enabling("io.bobbin.BlockingWork"), "io.bobbin.BlockingWork", () ->
                EventLoop.builder().name("pool").maxBlockingThreads(1).run(() -> {
                    Task<Object> first = Async.spawn(() -> Async.blocking(() -> {
                        Thread.sleep(200);
                        return null;
                    }));
                    Task<Object> second = Async.spawn(() -> Async.blocking(() -> {
                        Thread.sleep(100);
                        return null;
                    }));
                    first.join();
                    return second.join();
                }));
        assertEquals(2, events.size(), events.toString());
        RecordedEvent a = events.get(0).getString("task").equals("pool/task-2") ? events.get(0) : events.get(1);
        RecordedEvent b = a == events.get(0) ? events.get(1) : events.get(0);
        assertEquals("pool/task-2", a.getString("task"));
        assertEquals("pool/task-3", b.getString("task"));
        assertEquals("pool", a.getString("loop"));
        assertTrue(a.getDuration().toMillis() >= 190, a.toString());
        assertTrue(b.getDuration().toMillis() >= 90, b.toString());
        assertTrue(b.getDuration("queueTime").toMillis() >= 150, "one thread: the second waited for the first\n" + b);
        assertTrue(a.getThread().getJavaName().startsWith("pool-blocking-"), a.toString());
    }

    @Test
    void aRefusedSuspensionIsRecordedWithItsMessageAndStackEvenInTheDefaultSettings() throws Exception {
        String[] message = new String[1];
        List<RecordedEvent> events = record(defaults(), "io.bobbin.SuspensionRefused", () -> {
            Continuation c = new Continuation(() -> List.of(1).forEach(i -> Continuation.suspend()));
            message[0] = assertThrows(IllegalStateException.class, c::resume).getMessage();
        });
        assertEquals(1, events.size(), events.toString());
        assertEquals(message[0], events.get(0).getString("message"));
        assertTrue(events.get(0).getStackTrace().getFrames().stream()
                .anyMatch(f -> f.getMethod().getType().getName().equals("io.bobbin.Continuation") && f.getMethod().getName().equals("suspend")));
    }

    @Test
    void theDefaultSettingsRecordNoTaskEndsAndNoBlockingWork() throws Exception {
        List<RecordedEvent> events = record(defaults(), "io.bobbin.TaskEnd", () -> {
            assertFalse(Events.taskEndWanted());
            EventLoop.run(() -> Async.spawn(() -> Async.blocking(() -> 1)).join());
        });
        assertEquals(List.of(), events);
    }

    @Test
    void aSlowStepIsRecordedWithTheWarningEvenInTheDefaultSettings() throws Exception {
        List<RecordedEvent> events;
        try (LogCapture log = new LogCapture()) {
            events = record(defaults(), "io.bobbin.SlowStep", () ->
                    EventLoop.builder().name("slowjfr").slowStepThreshold(Duration.ofMillis(100)).run(() -> {
                        SlowStepTest.spin(800);
                        return null;
                    }));
            assertEquals(1, log.warnings(SlowStepTest.SLOW + "slowjfr").size());
        }
        assertEquals(1, events.size(), events.toString());
        RecordedEvent e = events.get(0);
        assertEquals("slowjfr", e.getString("loop"));
        assertEquals("task slowjfr/task-1", e.getString("running"));
        assertTrue(e.getString("method").startsWith("io.bobbin.observe.FlightRecorderTest.lambda$"), e.toString());
        assertEquals(Duration.ofMillis(100), e.getDuration("threshold"));
        assertTrue(e.getDuration("heldFor").compareTo(Duration.ofMillis(100)) > 0, e.toString());
        assertTrue(e.getString("stack").startsWith("\tat io.bobbin.observe.SlowStepTest.spin(SlowStepTest.java:" + SlowStepTest.SPIN_LINE + ")\n")
                || e.getString("stack").contains("\n\tat io.bobbin.observe.SlowStepTest.spin(SlowStepTest.java:" + SlowStepTest.SPIN_LINE + ")\n"), e.toString());
    }
}
