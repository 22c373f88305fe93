package io.bobbin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bobbin.junit.samples.AccountSample;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** README's "Testing your code" example does what the README says it does. */
class ReadmeExampleTest {

    @Test
    void theExampleReportsWhatTheReadmeShows() {
        String lost = "FAILED: AssertionFailedError: seed %d fails io.bobbin.junit.samples.AccountSample"
                + "#aSalaryAndARefundAtTheSameTimeAreBothCounted (@OnEventLoop(seeds = %d) reproduces it):"
                + " org.opentest4j.AssertionFailedError: expected: <160> but was: <110>";
        Map<String, String> expected = new TreeMap<>();
        expected.put("aDepositTakesFiftyMillisecondsAndAnHourPassesAtOnce()", "SUCCESSFUL");
        expected.put("aSlowDepositTimesOutAndChangesNothing()", "SUCCESSFUL");
        for (int seed = 1; seed <= 6; seed++) {
            expected.put("seed " + seed + " of aSalaryAndARefundAtTheSameTimeAreBothCounted()", "SUCCESSFUL");
        }
        // the seeds that run the refund's read before the salary (README lists them)
        for (int seed : new int[] {2, 3, 4, 5, 6}) {
            expected.put("seed " + seed + " of aSalaryAndARefundAtTheSameTimeAreBothCounted()", String.format(lost, seed, seed));
        }
        assertEquals(expected, Kit.outcomes(Kit.run(AccountSample.class)));
    }
}
