package io.bobbin.junit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import io.bobbin.junit.OnEventLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.TestTemplate;

/** Seeded test templates: an order probe, and a race that some seeds catch. */
@Suspendable
public class SeedSample {

    /** Four tasks taking two steps each: the order of the steps, as this loop ran them. */
    public static String probe() throws Exception {
        List<String> steps = new ArrayList<>();
        List<Task<Void>> tasks = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d")) {
            tasks.add(Async.spawn(() -> {
                steps.add(name + "1");
                Async.yieldNow();
                steps.add(name + "2");
                return null;
            }));
        }
        for (Task<Void> t : tasks) {
            t.join();
        }
        return String.join(" ", steps);
    }

    @TestTemplate
    @OnEventLoop(seeds = {1, 2, 3})
    void recordsTheOrderOfItsSteps() throws Exception {
        Log.add(EventLoop.current().name() + ": " + probe());
    }

    static int counter;

    /** A lost update: the adder's step can fall between the incrementer's read and its write. */
    public static int racyCounter() throws Exception {
        counter = 0;
        Task<Void> adder = Async.spawn(() -> {
            counter += 10;
            return null;
        });
        Task<Void> incrementer = Async.spawn(() -> {
            int read = counter;
            Async.yieldNow();
            counter = read + 1;
            return null;
        });
        adder.join();
        incrementer.join();
        return counter;
    }

    @TestTemplate
    @OnEventLoop(seeds = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void neverLosesAnUpdate() throws Exception {
        assertEquals(11, racyCounter(), "the counter");
    }
}
