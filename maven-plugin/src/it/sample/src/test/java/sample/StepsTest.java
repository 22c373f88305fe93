package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sample.handlers.Greeter;

/** Runs without -javaagent: main and test classes were instrumented by bobbin-maven-plugin. */
class StepsTest {
    /** Test code that suspends: instrumented by the instrument-tests goal. */
    @Suspendable
    static int twice(List<String> log) {
        int a = Steps.walk(log, 2);
        Continuation.suspend();
        return a + Steps.walk(log, 1);
    }

    @Test
    void noAgentIsRunning() {
        assertNull(System.getProperty("io.bobbin.agent.active"));
        assertTrue(ManagementFactory.getRuntimeMXBean().getInputArguments().stream().noneMatch(a -> a.startsWith("-javaagent")),
                ManagementFactory.getRuntimeMXBean().getInputArguments().toString());
    }

    @Test
    void mainAndTestCodeSuspend() {
        List<String> log = new ArrayList<>();
        int[] result = new int[1];
        Continuation c = new Continuation(() -> result[0] = twice(log));
        int resumes = 0;
        while (!c.isDone()) {
            c.resume();
            resumes++;
        }
        assertEquals(5, resumes);
        assertEquals(4, result[0]);
        assertEquals(List.of("step 1", "step 2", "step 1"), log);
    }

    @Test
    void tasksOfAnEventLoopSleepInCodeMadeSuspendableByConfiguration() throws Exception {
        String both = EventLoop.run(() -> {
            var a = io.bobbin.Async.spawn(() -> Greeter.greet("a"));
            var b = io.bobbin.Async.spawn(() -> Greeter.greet("b"));
            return a.join() + ", " + b.join();
        });
        assertEquals("hello a, hello b", both);
    }
}
