package io.bobbin.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.bobbin.junit.samples.Log;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs sample classes with JUnit's {@link EngineTestKit}, in this JVM (under the agent). */
final class Kit {
    static final String AUTODETECT = "junit.jupiter.extensions.autodetection.enabled";

    private Kit() {}

    /** Runs the sample classes with these configuration parameters (key, value, key, value...), after clearing the samples' log. */
    static EngineExecutionResults run(Class<?> sample, String... parameters) {
        Log.clear();
        EngineTestKit.Builder b = EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample));
        for (int i = 0; i < parameters.length; i += 2) {
            b.configurationParameter(parameters[i], parameters[i + 1]);
        }
        return b.execute();
    }

    /** The auto-detected mode: auto-detection on, and Bobbin's property. */
    static EngineExecutionResults auto(Class<?> sample) {
        return run(sample, AUTODETECT, "true", BobbinExtension.CONTINUATIONS, "true");
    }

    /** Display name of each finished test, with its status and, for a failure, its exception's message. */
    static Map<String, String> outcomes(EngineExecutionResults results) {
        return results.testEvents().finished().stream().collect(Collectors.toMap(
                e -> e.getTestDescriptor().getDisplayName() + uniqueSuffix(e),
                Kit::outcome, (a, b) -> a + " | " + b, java.util.TreeMap::new));
    }

    private static String uniqueSuffix(Event e) {
        // invocations of parameterized and repeated tests share display names across methods: add the method's
        String id = e.getTestDescriptor().getUniqueId().toString();
        int m = id.indexOf("[test-template:");
        return m < 0 ? "" : " of " + id.substring(m + "[test-template:".length(), id.indexOf(']', m));
    }

    static String outcome(Event e) {
        TestExecutionResult r = e.getPayload(TestExecutionResult.class).orElseThrow();
        return r.getStatus() + r.getThrowable().map(t -> ": " + t.getClass().getSimpleName() + ": " + t.getMessage()).orElse("");
    }

    /** The exceptions of the failed tests, by display name. */
    static Map<String, Throwable> failures(EngineExecutionResults results) {
        return results.testEvents().failed().stream().collect(Collectors.toMap(
                e -> e.getTestDescriptor().getDisplayName(),
                e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow()));
    }

    static List<String> log() {
        return Log.entries();
    }
}
