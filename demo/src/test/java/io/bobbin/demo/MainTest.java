package io.bobbin.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Main#run} in process, for the cases that need no demo to run: {@code --help} of every demo
 * and every kind of bad usage (the jar's own runs are in {@link UsageIT}).
 */
class MainTest {
    /** Runs {@code Main.run(argv)} with stdout and stderr captured: {exit, out, err}. */
    static String[] main(String... argv) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(argv);
            String nl = System.lineSeparator();
            return new String[] {"" + code, o.toString(StandardCharsets.UTF_8).replace(nl, "\n"), e.toString(StandardCharsets.UTF_8).replace(nl, "\n")};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void everyDemoHasHelpListingItsOptions() throws Exception {
        for (Demo d : Main.demos().values()) {
            String[] r = main(d.name(), "--help");
            assertEquals("0", r[0]);
            assertTrue(r[1].startsWith("usage: java -jar bobbin-demo.jar " + d.name()), r[1]);
            assertTrue(r[1].contains("\n  " + d.summary() + "\n"), r[1]);
            for (Option o : d.options()) {
                assertTrue(r[1].contains("\n  " + o.name() + (o.isFlag() ? " " : " " + o.value() + " ")), d.name() + " lacks " + o.name() + ":\n" + r[1]);
            }
            assertTrue(r[1].contains("\n  --help "), r[1]);
            assertEquals("", r[2]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sleep --no-such-option|unknown option '--no-such-option'",
        "simplest --tasks 3|unknown option '--tasks' (this demo takes no options)",
        "sleep --tasks|option --tasks needs a value (N)",
        "sleep --tasks many|option --tasks needs a whole number, got 'many'",
        "sleep --step -5|option --step must be between 1 and 10000, got -5",
        "load --connections 0|option --connections must be between 1 and 10000, got 0",
        "load --connections 10000 --requests 10000|--connections x --requests must be at most 10000000, got 100000000",
        "echo-server --port=70000|option --port must be between 0 and 65535, got 70000",
        "echo-server --seconds 0|option --seconds must be between 1 and 86400, got 0",
        "stdin --sync=yes|option --sync takes no value",
        "stdin extra|unknown option 'extra'",
        "mixed --jobs 0|option --jobs must be between 1 and 1000000, got 0",
        "http --loops 0|option --loops must be between 1 and 256, got 0",
        "http --max-header 10|option --max-header must be between 256 and 1048576, got 10",
    })
    void badOptionsExitWith2AndSayWhy(String caseLine) throws Exception {
        String[] parts = caseLine.split("\\|");
        String[] r = main(parts[0].split(" "));
        String demo = parts[0].split(" ")[0];
        assertEquals("2", r[0], r[1] + r[2]);
        assertEquals("", r[1]);
        assertEquals(demo + ": " + parts[1] + "\nrun 'java -jar bobbin-demo.jar " + demo + " --help' for its options\n",
                r[2]);
    }

    @Test
    void unknownDemo() throws Exception {
        String[] r = main("nope");
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("unknown demo 'nope'; the demos are: simplest, sleep, spawn,"), r[2]);
    }
}
