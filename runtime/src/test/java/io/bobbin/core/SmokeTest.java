package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
    static List<String> log = new ArrayList<>();

    @Suspendable
    static int twice(int x, long y, double z, String s) {
        int a = x * 2;
        log.add("before " + a);
        Continuation.suspend();
        log.add("after " + a + " " + y + " " + z + " " + s);
        return a;
    }

    @Test
    void suspendsAndResumes() {
        log.clear();
        int[] out = new int[1];
        Continuation c = new Continuation(() -> {
            out[0] = twice(21, 7L, 1.5, "s") + twice(1, 2L, 3.0, "t");
        });
        c.resume();
        assertEquals(List.of("before 42"), log);
        assertFalse(c.isDone());
        c.resume();
        assertEquals(List.of("before 42", "after 42 7 1.5 s", "before 2"), log);
        c.resume();
        assertTrue(c.isDone());
        assertEquals(44, out[0]);
    }
}
