package io.bobbin.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The option parser, in process. */
class ArgsTest {
    static final List<Option> OPTIONS = List.of(Option.valued("--port", "P", "the port"), Option.flag("--sync", "sync"));

    @Test
    void valuesFlagsAndDefaults() throws Exception {
        Args a = new Args(List.of("--port", "7000", "--sync"), OPTIONS);
        assertEquals(7000, a.getInt("--port", 1, 0, 65535));
        assertTrue(a.flag("--sync"));
        assertFalse(a.help);
        Args b = new Args(List.of("--port=8000"), OPTIONS);
        assertEquals(8000, b.getInt("--port", 1, 0, 65535));
        assertFalse(b.flag("--sync"));
        assertEquals(5, new Args(List.of(), OPTIONS).getInt("--port", 5, 0, 65535));
        assertTrue(new Args(List.of("--sync", "-h"), OPTIONS).help);
    }

    @Test
    void badUsage() {
        assertEquals("unknown option '--nope'", assertThrows(Args.UsageException.class, () -> new Args(List.of("--nope"), OPTIONS)).getMessage());
        assertEquals("option --port needs a value (P)", assertThrows(Args.UsageException.class, () -> new Args(List.of("--port"), OPTIONS)).getMessage());
        assertEquals("option --sync takes no value", assertThrows(Args.UsageException.class, () -> new Args(List.of("--sync=1"), OPTIONS)).getMessage());
        assertEquals("unknown option 'port' (this demo takes no options)", assertThrows(Args.UsageException.class, () -> new Args(List.of("port"), List.of())).getMessage());
        assertThrows(Args.UsageException.class, () -> new Args(List.of("--port", "x"), OPTIONS).getInt("--port", 1, 0, 10));
        assertThrows(Args.UsageException.class, () -> new Args(List.of("--port", "11"), OPTIONS).getInt("--port", 1, 0, 10));
    }

    @Test
    void everyDemoIsListedOnceWithASummaryAndDistinctOptions() {
        for (Demo d : Main.demos().values()) {
            assertFalse(d.summary().isBlank(), d.name());
            assertEquals(d.options().size(), d.options().stream().map(Option::name).distinct().count(), d.name());
            for (Option o : d.options()) {
                assertTrue(o.name().startsWith("--") && !o.name().equals("--help"), d.name() + " " + o.name());
            }
        }
    }
}
