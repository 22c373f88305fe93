package io.bobbin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.internal.cont.Torture;
import io.bobbin.junit.samples.AutoSample;
import io.bobbin.junit.samples.InterceptedSample;
import io.bobbin.junit.samples.LoopSample;
import io.bobbin.junit.samples.TimeoutSample;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The auto-detected mode: with auto-detection and {@code bobbin.junit.continuations=true}, every kind
 * of JUnit 5 method runs inside a continuation (and can really suspend there); without either,
 * nothing changes. The report is the same either way.
 */
class AutoDetectedModeTest {
    private static final Map<String, String> AUTO_SAMPLE_OUTCOMES = new TreeMap<>(Map.of(
            "aTest()", "SUCCESSFUL",
            "[1] x of aParameterizedTest(java.lang.String)", "SUCCESSFUL",
            "[2] y of aParameterizedTest(java.lang.String)", "SUCCESSFUL",
            "repetition 1 of 2 of aRepeatedTest()", "SUCCESSFUL",
            "repetition 2 of 2 of aRepeatedTest()", "SUCCESSFUL",
            "dynamic p", "SUCCESSFUL",
            "dynamic q", "SUCCESSFUL",
            "failsByAnAssertion()", "FAILED: AssertionFailedError: expected: <expected> but was: <actual>",
            "isAbortedByAnAssumption()", "ABORTED: TestAbortedException: Assumption failed: an assumption that does not hold"));

    /** What AutoSample logs, in order, each entry followed by how it ran. */
    private static List<String> autoSampleLog(String how) {
        List<String> order = new java.util.ArrayList<>();
        order.add("beforeAll");
        for (String t : Kit.log()) {
            String what = t.substring(0, t.indexOf(':'));
            if (!what.equals("beforeAll") && !what.equals("afterAll")) {
                order.add(what);
            }
        }
        order.add("afterAll");
        return order.stream().map(w -> w + ": " + how).collect(java.util.stream.Collectors.toList());
    }

    private static void assertEveryKindRan(String how) {
        List<String> log = Kit.log();
        assertEquals(autoSampleLog(how), log, "every entry ran " + how + " and the class's lifecycle wraps the rest");
        for (String kind : List.of("test", "parameterized x", "parameterized y", "factory", "dynamic p", "dynamic q", "failing", "aborted")) {
            assertEquals(1, log.stream().filter(e -> e.equals(kind + ": " + how)).count(), kind + " in " + log);
        }
        assertEquals(2, log.stream().filter(e -> e.equals("repeated: " + how)).count(), log.toString());
        assertEquals(8, log.stream().filter(e -> e.equals("beforeEach: " + how)).count(), "one per test and one per factory: " + log);
        assertEquals(8, log.stream().filter(e -> e.equals("afterEach: " + how)).count(), log.toString());
        assertEquals(2 + 8 * 2 + 10, log.size(), log.toString());
    }

    @Test
    void everyTestInvocationFactoryDynamicTestAndLifecycleMethodRunsInsideAContinuationAndCanSuspend() {
        long forced = Torture.suspensions();
        EngineExecutionResults r = Kit.auto(AutoSample.class);
        forced = Torture.suspensions() - forced;
        assertEquals(AUTO_SAMPLE_OUTCOMES, Kit.outcomes(r));
        assertEveryKindRan("suspended and resumed");
        r.testEvents().assertStatistics(s -> s.skipped(1).started(9).succeeded(7).failed(1).aborted(1));
        if (Torture.ENABLED) { // the torture execution: every instrumented call on the way suspended (28 probes and more)
            assertTrue(forced > 28 * 2, "suspensions forced: " + forced);
        } else {
            assertEquals(0, forced);
        }
    }

    @Test
    void withoutThePropertyAutoDetectionChangesNothing() {
        EngineExecutionResults r = Kit.run(AutoSample.class, Kit.AUTODETECT, "true");
        assertEquals(AUTO_SAMPLE_OUTCOMES, Kit.outcomes(r));
        assertEveryKindRan("plain");
    }

    @Test
    void withoutAutoDetectionThePropertyChangesNothing() {
        EngineExecutionResults r = Kit.run(AutoSample.class, BobbinExtension.CONTINUATIONS, "true");
        assertEquals(AUTO_SAMPLE_OUTCOMES, Kit.outcomes(r));
        assertEveryKindRan("plain");
    }

    @Test
    void theSystemPropertyTurnsItOnToo() {
        String before = System.getProperty(BobbinExtension.CONTINUATIONS);
        System.setProperty(BobbinExtension.CONTINUATIONS, "true");
        try {
            EngineExecutionResults r = Kit.run(AutoSample.class, Kit.AUTODETECT, "true");
            assertEquals(AUTO_SAMPLE_OUTCOMES, Kit.outcomes(r));
            assertEveryKindRan("suspended and resumed");
        } finally {
            if (before == null) {
                System.clearProperty(BobbinExtension.CONTINUATIONS);
            } else {
                System.setProperty(BobbinExtension.CONTINUATIONS, before);
            }
        }
    }

    @Test
    void aUsersOwnInterceptorStillRunsAndTheMethodStillRunsInTheContinuation() {
        EngineExecutionResults r = Kit.auto(InterceptedSample.class);
        r.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertEquals(List.of("interceptor before aTest", "test in a continuation: true", "interceptor after"), Kit.log());

        Kit.run(InterceptedSample.class, Kit.AUTODETECT, "true");
        assertEquals(List.of("interceptor before aTest", "test in a continuation: false", "interceptor after"), Kit.log());
    }

    @Test
    @Tag("loop")
    void junitsOwnTimeoutStillAppliesInsideTheContinuationAndOnTheLoop() {
        Map<String, String> expected = Map.of(
                "blocksTooLong()", "FAILED: TimeoutException: blocksTooLong() timed out after 1 second",
                "waitsTooLongOnItsLoop()", "FAILED: TimeoutException: waitsTooLongOnItsLoop() timed out after 1 second");
        assertEquals(expected, Kit.outcomes(Kit.run(TimeoutSample.class)));
        assertEquals(List.of("cancelled on the loop, finally ran"), Kit.log());
        assertEquals(expected, Kit.outcomes(Kit.auto(TimeoutSample.class)));
        assertEquals(List.of("cancelled on the loop, finally ran"), Kit.log());
    }

    @Test
    @Tag("loop") // not under the torture mode, which resumes a task on other threads, where EventLoop.current() is null
    void onEventLoopTestsStillRunOnTheirLoopsAndTheOthersInAContinuation() {
        EngineExecutionResults r = Kit.auto(LoopSample.class);
        assertEquals(Kit.outcomes(Kit.run(LoopSample.class)), Kit.outcomes(r));
        Kit.auto(LoopSample.class);
        assertTrue(Kit.log().contains("main task: true, loop LoopSample.runsAsTheMainTaskOfAFreshLoop"), Kit.log().toString());
        assertTrue(Kit.log().contains("plain test: loop null"), Kit.log().toString());
    }
}
