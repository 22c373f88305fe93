package io.bobbin.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The differential fuzzer on a fixed set of seeds, in bounded time (see {@link FuzzHarness} and
 * docs/fuzzing.md). Longer runs: {@code -Dbobbin.fuzz.count=100000 -Dbobbin.fuzz.seconds=3600}, and
 * {@code -Dbobbin.fuzz.start=N} to start elsewhere.
 */
class FuzzTest {
    @Test
    void fixedSeeds() {
        long start = Long.getLong("bobbin.fuzz.start", 1);
        long count = Long.getLong("bobbin.fuzz.count", 20);
        long seconds = Long.getLong("bobbin.fuzz.seconds", 45);
        int shrinks = Integer.getInteger("bobbin.fuzz.shrinks", 3);
        long t0 = System.nanoTime();
        FuzzHarness.Report report = FuzzHarness.fuzz(start, count, seconds, shrinks, System.out);
        System.out.printf("fuzz: seeds %d.. : %s in %.1f s%n", start, report, (System.nanoTime() - t0) / 1e9);
        assertEquals(0, report.generatorErrors, "the generator wrote code that does not compile (see the output)");
        assertEquals(0, report.failures.size(), "fuzz failures: " + report.failures);
        assertTrue(report.suspensions > 0, "no suspension happened at all");
        assertTrue(report.serialCases == 0 || report.roundTrips > 0, "no continuation was written and read back");
    }
}
