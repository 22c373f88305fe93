package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.bobbin.internal.cont.Torture;
import org.junit.jupiter.api.Test;

/** Runs without the torture mode (it is excluded from the torture execution): no suspension is forced. */
class TortureOffTest {
    @Test
    void offByDefault() {
        assertFalse(Torture.ENABLED);
        long before = Torture.suspensions();
        assertEquals(10, (int) Drive.run(() -> TortureTest.chain(10)).value);
        assertEquals(before, Torture.suspensions());
    }
}
