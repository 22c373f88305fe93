package io.bobbin.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.demo.DemoProcess.Result;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The jar's command line: the listing, {@code --help}, and exit code 2 for every kind of bad usage. */
class UsageIT {
    static final List<String> TOUR = List.of(
            "simplest", "sleep", "spawn", "pool", "select", "mixed", "stdin", "echo-server", "load", "http", "durable", "chat", "dump");

    @Test
    void noArgumentsListsEveryDemoOneLineEach() throws Exception {
        Result r = DemoProcess.run();
        assertEquals(0, r.exit(), r.describe());
        assertEquals(TOUR, List.copyOf(Main.demos().keySet()), "the tour in the jar is the one tested");
        List<String> entries = r.out().stream().filter(l -> l.startsWith("  ")).toList();
        assertEquals(TOUR.size(), entries.size(), r.describe());
        for (int i = 0; i < TOUR.size(); i++) {
            assertTrue(entries.get(i).startsWith("  " + TOUR.get(i) + " "), "entry " + i + ": " + entries.get(i));
        }
        assertEquals(List.of(), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"simplest", "stdin", "load"}) // all of them: MainTest, in process
    void demosHaveHelpListingTheirOptions(String name) throws Exception {
        Result r = DemoProcess.run(name, "--help");
        assertEquals(0, r.exit(), r.describe());
        assertTrue(r.out().get(0).startsWith("usage: java -jar bobbin-demo.jar " + name), r.describe());
        for (Option o : Main.demos().get(name).options()) {
            assertTrue(r.out().stream().anyMatch(l -> l.startsWith("  " + o.name())), name + " --help lacks " + o.name() + "\n" + r.describe());
        }
    }

    @Test
    void anUnknownDemoExitsWith2() throws Exception {
        Result r = DemoProcess.run("no-such-demo");
        assertEquals(2, r.exit(), r.describe());
        assertTrue(r.errText().contains("unknown demo 'no-such-demo'"), r.describe());
        assertTrue(r.errText().contains("echo-server"), "names the demos: " + r.describe());
        assertEquals(List.of(), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = { // more cases in MainTest, in process
        "sleep --no-such-option|unknown option '--no-such-option'",
        "load --connections 10000 --requests 10000|--connections x --requests must be at most",
        "echo-server --port=70000|option --port must be between 0 and 65535, got 70000",
    })
    void badOptionsExitWith2AndSayWhy(String caseLine) throws Exception {
        String[] parts = caseLine.split("\\|");
        Result r = DemoProcess.run(parts[0].split(" "));
        assertEquals(2, r.exit(), r.describe());
        String demo = parts[0].split(" ")[0];
        assertTrue(r.errText().startsWith(demo + ": " + parts[1]), r.describe());
        assertTrue(r.errText().contains("java -jar bobbin-demo.jar " + demo + " --help"), r.describe());
    }
}
