package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Suspendable;
import io.bobbin.internal.cont.Torture;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Runs in the surefire execution under the agent's torture mode (only): forced suspensions really happen. */
class TortureTest {
    static final Set<String> threads = new HashSet<>();

    @Suspendable
    static int chain(int n) {
        threads.add(Thread.currentThread().getName());
        return n == 0 ? 0 : 1 + chain(n - 1);
    }

    @Test
    void everyInstrumentedCallSuspendsAndSomeResumeOnAnotherThread() {
        assertTrue(Torture.ENABLED);
        threads.clear();
        long before = Torture.suspensions();
        Drive.Outcome<Integer> o = Drive.run(() -> chain(100));
        assertEquals(100, (int) o.value);
        assertEquals(0, o.suspensions); // forced suspensions are resumed inside resume(): callers never see them
        long forced = Torture.suspensions() - before;
        assertTrue(forced >= 101, "forced " + forced);
        assertTrue(threads.contains("bobbin-torture-hop"), threads.toString());
    }

    @Test
    void hopsComeBackSoALongRunNeedsOneExtraThreadAtATime() {
        int before = Thread.activeCount();
        assertEquals(5000, (int) Drive.run(() -> chain(5000)).value);
        // 5000 forced suspensions, over 700 hops: each hop returns before the next one starts.
        assertTrue(Thread.activeCount() <= before + 2, before + " -> " + Thread.activeCount());
    }
}
