package io.bobbin.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Minimal reproductions of the bugs the library suites found, each in a JVM of its own under the agent. */
class RegressionTest {
    private static Path work(String name) {
        return Paths.get(System.getProperty("bobbin.suites.work", "target/suites")).resolve("regress").resolve(name);
    }

    /** See {@link io.bobbin.suites.regress.TortureHopNesting}: the torture mode's hops nest, one thread each. */
    @Test
    void tortureHopsDoNotPileUpThreads() throws Exception {
        Jvm.Result r = Jvm.run(work("hops"), List.of(), List.of("-javaagent:" + Jvm.agentJar() + "=torture"),
                "io.bobbin.suites.regress.TortureHopNesting", List.of("20000"), 120);
        assertEquals(0, r.exit, r.console);
        Matcher m = Pattern.compile("suspensions=(\\d+) maxThreads=(\\d+)").matcher(r.console);
        assertTrue(m.find(), r.console);
        assertTrue(Long.parseLong(m.group(1)) >= 20000, r.console);
        assertTrue(Integer.parseInt(m.group(2)) <= 32, "hop threads pile up: " + r.console);
    }

    /** See {@link io.bobbin.suites.regress.ClinitArmLeak}: forced suspensions through a static initializer. */
    @Test
    void staticInitializerTakesNoArmUnderTorture() throws Exception {
        Jvm.Result r = Jvm.run(work("clinit-torture"), List.of(), List.of("-javaagent:" + Jvm.agentJar() + "=torture"),
                "io.bobbin.suites.regress.ClinitArmLeak", List.of("torture"), 120);
        assertEquals(0, r.exit, r.console);
        assertTrue(r.console.contains("torture VALUE=210 got=210"), r.console);
    }

    /** See {@link io.bobbin.suites.regress.ClinitArmLeak}: a real suspension inside a static initializer is not refused. */
    @Test
    void staticInitializerCannotSuspend() throws Exception {
        Jvm.Result r = Jvm.run(work("clinit-real"), List.of(), List.of("-javaagent:" + Jvm.agentJar()),
                "io.bobbin.suites.regress.ClinitArmLeak", List.of("real"), 120);
        assertEquals(0, r.exit, r.console);
        assertTrue(r.console.contains("real VALUE=42 got=42 refused="), r.console);
        assertTrue(!r.console.contains("refused=null"), r.console);
    }

    /** See {@link io.bobbin.suites.regress.InheritedJdkImplementation}: suspending through an inherited JDK implementation. */
    @Test
    void inheritedUninstrumentedImplementationPassesNoArm() throws Exception {
        Jvm.Result r = Jvm.run(work("inherited"), List.of(), List.of("-javaagent:" + Jvm.agentJar()),
                "io.bobbin.suites.regress.InheritedJdkImplementation", List.of(), 120);
        assertEquals(0, r.exit, r.console);
        assertTrue(r.console.contains("changed=true items=[b] refused="), r.console);
        assertTrue(r.console.contains("AbstractCollection"), r.console);
    }
}
