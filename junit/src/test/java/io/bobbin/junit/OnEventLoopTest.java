package io.bobbin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.junit.samples.ClassLevelSample;
import io.bobbin.junit.samples.LeakSample;
import io.bobbin.junit.samples.LoopSample;
import io.bobbin.junit.samples.MisuseSample;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code @OnEventLoop} tests, run with JUnit's EngineTestKit: what they see and what the report says. */
class OnEventLoopTest {

    @Test
    void aTestOnEventLoopRunsAsTheMainTaskOfAFreshLoopThatIsClosedWhenItEnds() {
        EngineExecutionResults r = Kit.run(LoopSample.class);
        Map<String, String> expected = new TreeMap<>(Map.of(
                "runsAsTheMainTaskOfAFreshLoop()", "SUCCESSFUL",
                "sleepsADayOfVirtualTime()", "SUCCESSFUL",
                "failsAsUsual()", "FAILED: AssertionFailedError: a plain failure ==> expected: <1> but was: <2>",
                "isNotOnALoop()", "SUCCESSFUL"));
        assertEquals(expected, Kit.outcomes(r));
        assertEquals(new TreeSet<>(List.of(
                "main task: true, loop LoopSample.runsAsTheMainTaskOfAFreshLoop",
                "slept on LoopSample.runsAsTheMainTaskOfAFreshLoop, virtual: false",
                "virtual time 86400000000000 after a moment",
                "plain test: loop null")), new TreeSet<>(Kit.log()));
        assertTrue(LoopSample.firstLoop().isClosed(), "the loop was closed when the test ended");
    }

    @Test
    void tasksStillRunningWhenTheTestReturnsAreCancelledAndFailItByName() {
        EngineExecutionResults r = Kit.run(LeakSample.class);
        Map<String, Throwable> failures = Kit.failures(r);
        assertEquals(new TreeSet<>(List.of("leavesASleeperAndAYielderRunning()", "failsAndLeaks()")), new TreeSet<>(failures.keySet()));
        Throwable leak = failures.get("leavesASleeperAndAYielderRunning()");
        assertInstanceOf(AssertionError.class, leak);
        assertEquals("io.bobbin.junit.samples.LeakSample#leavesASleeperAndAYielderRunning returned while 2 tasks it started"
                + " were still running: LeakSample.leavesASleeperAndAYielderRunning/task-2 (waiting: sleep until 86400000000000 ns),"
                + " LeakSample.leavesASleeperAndAYielderRunning/task-3 (ready); they have been cancelled. Join (or cancel) every"
                + " task a test starts before it returns, or use a TaskGroup", leak.getMessage());

        Throwable own = failures.get("failsAndLeaks()");
        assertInstanceOf(IllegalStateException.class, own, "the test's own failure comes first");
        assertEquals("the test's own failure", own.getMessage());
        assertEquals(1, own.getSuppressed().length);
        assertTrue(own.getSuppressed()[0].getMessage().startsWith("io.bobbin.junit.samples.LeakSample#failsAndLeaks returned while 1 task"
                + " it started was still running: LeakSample.failsAndLeaks/task-2 (not started)"), own.getSuppressed()[0].getMessage());

        assertEquals("SUCCESSFUL", Kit.outcomes(r).get("joinsWhatItStarts()"));
        assertEquals(new TreeSet<>(List.of("sleeper's finally ran", "joined both")), new TreeSet<>(Kit.log()),
                "the leaked sleeper was cancelled and its finally block ran");
    }

    @Test
    void onTheClassItAppliesToEveryTestInvocationAndNestedTestAndTheMethodsOwnWins() {
        EngineExecutionResults r = Kit.run(ClassLevelSample.class);
        r.testEvents().assertStatistics(s -> s.started(7).succeeded(7));
        assertEquals(new TreeSet<>(List.of(
                "test at 5 s on ClassLevelSample.aTest",
                "parameterized 1 at 1 s on ClassLevelSample.aParameterizedTest",
                "parameterized 2 at 2 s on ClassLevelSample.aParameterizedTest", // a fresh loop: its clock starts at 0 again
                "repeated at 7 s on ClassLevelSample.aRepeatedTest",
                "own annotation: virtual false",
                "nested at 3 s on Inner.aNestedTest")), new TreeSet<>(Kit.log()));
        assertEquals(7, Kit.log().size(), "the repeated test ran twice: " + Kit.log());
    }

    @Test
    void mistakesGetAMessageThatSaysWhatToDo() {
        EngineExecutionResults r = Kit.run(MisuseSample.class);
        Map<String, Throwable> failures = Kit.failures(r);
        Throwable seeds = failures.get("hasSeedsButIsATest()");
        assertInstanceOf(ExtensionConfigurationException.class, seeds);
        assertEquals("io.bobbin.junit.samples.MisuseSample#hasSeedsButIsATest has @OnEventLoop(seeds = [1, 2]), which runs a test"
                + " once per seed, each a test of its own; JUnit runs a @Test (or a @ParameterizedTest, @RepeatedTest...) its own"
                + " way: declare the method @TestTemplate instead", seeds.getMessage());
        Throwable plain = failures.get("isNotSuspendable()");
        assertInstanceOf(ExtensionConfigurationException.class, plain);
        assertEquals("io.bobbin.junit.samples.MisuseSample#isNotSuspendable runs on an event loop (@OnEventLoop) but was not"
                + " instrumented, so it could not suspend there: mark it (or its class) @io.bobbin.Suspendable, and run the tests"
                + " with the agent (-javaagent:bobbin-agent.jar)", plain.getMessage());
        assertEquals(List.of(), Kit.log(), "neither ran");
    }
}
