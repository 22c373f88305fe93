package io.bobbin.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.demo.DemoProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code durable} demo from the packaged jar: run through, and killed half-way (right after a
 * checkpoint) then started again, which goes on from the last checkpoint and repeats no step.
 */
class DurableIT {
    static final String PLACED = "order 1042: placed, 42.50";
    static final String PAID = "order 1042: paid 42.50 by card";
    static final String SHIPPED = "order 1042: shipped with ParcelCo, tracking PC-1042-7";
    static final String COMPLETE = "order 1042: complete (42.50 paid by card, shipped with ParcelCo)";

    static List<String> steps(Result r) {
        return r.out().stream().filter(l -> l.contains("  order 1042: ")).map(l -> l.substring(l.indexOf("order 1042: ")))
                .toList();
    }

    @Test
    void anUninterruptedRunTakesEveryStepOnceAndDeletesItsCheckpoint(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("order.ser");
        Result r = DemoProcess.run(List.of(), "", "durable", "--file", file.toString(), "--wait", "10");
        assertEquals(0, r.exit(), r.describe());
        assertEquals(List.of(), r.err(), r.describe());
        assertEquals("no checkpoint in " + file + ": a new order", r.out().get(0));
        assertEquals(List.of(PLACED, PAID, SHIPPED, COMPLETE), steps(r), r.describe());
        assertEquals(2, r.out().stream().filter(l -> l.contains("  checkpoint: waiting for a ")).count(), r.describe());
        assertEquals("order done: checkpoint deleted", r.out().get(r.out().size() - 1));
        assertFalse(Files.exists(file));
    }

    @Test
    void killedAfterACheckpointItGoesOnFromThereWhenStartedAgain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("order.ser");
        Result first;
        try (DemoProcess p = DemoProcess.start(null, List.of(), "durable", "--file", file.toString(), "--wait", "60000")) {
            p.awaitLine(l -> l.contains("checkpoint: waiting for a payment"), Duration.ofSeconds(60));
            first = p.kill(); // half-way: the order was placed, the payment has not come
        }
        assertTrue(first.exit() != 0, "killed: " + first.describe());
        assertEquals(List.of(PLACED), steps(first), first.describe());
        assertTrue(Files.exists(file), "the last checkpoint stays");

        Result second = DemoProcess.run(List.of(), "", "durable", "--file", file.toString(), "--wait", "10");
        assertEquals(0, second.exit(), second.describe());
        assertEquals(List.of(), second.err(), second.describe());
        assertEquals("checkpoint found in " + file + ": the order goes on from it, waiting for a payment",
                second.out().get(0), second.describe());
        // No step is taken again, and the amount comes from the first JVM's frame.
        assertEquals(List.of(PAID, SHIPPED, COMPLETE), steps(second), second.describe());
        assertEquals(1, second.out().stream().filter(l -> l.contains("  checkpoint: waiting for a shipment")).count(),
                second.describe());
        assertFalse(Files.exists(file));
    }

    @Test
    void aCheckpointThatCannotBeReadIsSaidAndLeftAlone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("order.ser");
        Files.writeString(file, "not a checkpoint");
        Result r = DemoProcess.run(List.of(), "", "durable", "--file", file.toString());
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.out().get(0).startsWith("the checkpoint in " + file + " cannot be read (java.io.StreamCorruptedException"),
                r.describe());
        assertTrue(r.out().get(0).endsWith("; delete it to start over"), r.describe());
        assertTrue(Files.exists(file));
    }
}
