package io.bobbin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.EventLoop;
import io.bobbin.junit.samples.SeedSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;

/** {@code @OnEventLoop(seeds = ...)}: a test per seed, named by it, on a loop built with it; failures name their seed. */
class SeedsTest {

    private static List<String> displayNames(List<Event> events, String method) {
        return events.stream().filter(e -> e.getTestDescriptor().getUniqueId().toString().contains(method))
                .map(e -> e.getTestDescriptor().getDisplayName()).collect(Collectors.toList());
    }

    @Test
    void eachSeedIsATestOfItsOwnNamedBySeedOnALoopBuiltWithThatSeed() throws Exception {
        EngineExecutionResults r = Kit.run(SeedSample.class);
        assertEquals(List.of("seed 1", "seed 2", "seed 3"), displayNames(r.testEvents().succeeded().list(), "recordsTheOrderOfItsSteps"));
        List<String> expected = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            expected.add("SeedSample.recordsTheOrderOfItsSteps[seed " + seed + "]: " + EventLoop.builder().seed(seed).run(SeedSample::probe));
        }
        List<String> seen = Kit.log();
        assertEquals(expected, seen);
        assertTrue(new TreeSet<>(seen.stream().map(s -> s.substring(s.indexOf(':'))).collect(Collectors.toList())).size() > 1,
                "the seeds gave different orders: " + seen);
    }

    @Test
    void aFailingRunNamesTheSeedThatReproducesItAndKeepsTheExpectedAndActualValues() throws Exception {
        EngineExecutionResults r = Kit.run(SeedSample.class);
        List<Long> failing = new ArrayList<>();
        List<Long> passing = new ArrayList<>();
        for (long seed = 1; seed <= 10; seed++) {
            (EventLoop.builder().seed(seed).run(SeedSample::racyCounter) == 11 ? passing : failing).add(seed);
        }
        assertFalse(failing.isEmpty(), "some of seeds 1..10 lose the update");
        assertFalse(passing.isEmpty(), "some do not");
        assertEquals(failing.stream().map(s -> "seed " + s).collect(Collectors.toList()),
                displayNames(r.testEvents().failed().list(), "neverLosesAnUpdate"));
        assertEquals(passing.stream().map(s -> "seed " + s).collect(Collectors.toList()),
                displayNames(r.testEvents().succeeded().list(), "neverLosesAnUpdate"));
        Map<String, Throwable> failures = Kit.failures(r);
        for (long seed : failing) {
            Throwable t = failures.get("seed " + seed);
            AssertionFailedError e = assertInstanceOf(AssertionFailedError.class, t);
            assertEquals("seed " + seed + " fails io.bobbin.junit.samples.SeedSample#neverLosesAnUpdate (@OnEventLoop(seeds = " + seed
                    + ") reproduces it): org.opentest4j.AssertionFailedError: the counter ==> expected: <11> but was: <1>", e.getMessage());
            assertEquals(11, e.getExpected().getValue());
            assertEquals(1, e.getActual().getValue());
            assertInstanceOf(AssertionFailedError.class, e.getCause(), "the original failure is the cause");
        }
    }

    @Test
    void anAbortedSeededRunStaysAborted() {
        var aborted = new org.opentest4j.TestAbortedException("assumption");
        assertSame(aborted, BobbinExtension.withSeed(aborted, 3, "T#m"));
        Throwable other = BobbinExtension.withSeed(new IllegalStateException("boom"), 3, "T#m");
        assertEquals("seed 3 fails T#m (@OnEventLoop(seeds = 3) reproduces it): java.lang.IllegalStateException: boom", other.getMessage());
        assertInstanceOf(AssertionError.class, other);
    }
}
