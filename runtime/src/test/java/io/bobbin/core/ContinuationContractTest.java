package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.ContinuationException;
import io.bobbin.Suspendable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The contract of {@link Continuation} in API.md, one rule a test. */
class ContinuationContractTest {
    @Test
    void resumeOnADoneContinuationThrows() {
        Continuation c = new Continuation(() -> {});
        c.resume();
        assertTrue(c.isDone());
        assertThrows(IllegalStateException.class, c::resume);
    }

    @Test
    void resumeFromInsideItsOwnBodyThrows() {
        Continuation[] self = new Continuation[1];
        List<String> seen = new ArrayList<>();
        self[0] = new Continuation(() -> {
            try {
                self[0].resume();
            } catch (IllegalStateException e) {
                seen.add(e.getMessage());
            }
        });
        self[0].resume();
        assertEquals(List.of("The continuation is already running"), seen);
    }

    @Test
    void uncheckedExceptionsAndErrorsComeOutAsTheyAre() {
        IllegalArgumentException iae = new IllegalArgumentException("x");
        Continuation c = new Continuation(() -> {
            Drive.pause();
            throw iae;
        });
        c.resume();
        assertSame(iae, assertThrows(IllegalArgumentException.class, c::resume));
        assertTrue(c.isDone());
        AssertionError err = new AssertionError("e");
        Continuation d = new Continuation(() -> {
            throw err;
        });
        assertSame(err, assertThrows(AssertionError.class, d::resume));
        assertTrue(d.isDone());
    }

    @Test
    void checkedExceptionsAreWrapped() {
        IOException io = new IOException("disk");
        Continuation c = new Continuation(() -> {
            Drive.pause();
            throw io;
        });
        c.resume();
        ContinuationException e = assertThrows(ContinuationException.class, c::resume);
        assertSame(io, e.getCause());
        assertTrue(c.isDone());
        assertThrows(IllegalStateException.class, c::resume);
    }

    @Test
    void suspendOutsideAnyContinuationThrows() {
        assertNull(Continuation.current());
        IllegalStateException e = assertThrows(IllegalStateException.class, Continuation::suspend);
        assertTrue(e.getMessage().contains("outside"));
    }

    @Test
    void currentIsTheInnermostContinuation() {
        List<Object> seen = new ArrayList<>();
        Continuation[] outer = new Continuation[1];
        outer[0] = new Continuation(() -> {
            seen.add(Continuation.current());
            Continuation inner = new Continuation(() -> {
                seen.add(Continuation.current());
                Drive.pause();
                seen.add(Continuation.current());
            });
            inner.resume();
            seen.add(Continuation.current());
            Drive.pause();
            inner.resume();
            seen.add(inner.isDone());
        });
        outer[0].resume();
        assertNull(Continuation.current());
        outer[0].resume();
        assertTrue(outer[0].isDone());
        // outer, inner, outer again once inner suspended; then inner after its resume, and inner's end
        assertSame(outer[0], seen.get(0));
        assertFalse(seen.get(1) == outer[0]);
        assertSame(outer[0], seen.get(2));
        assertSame(seen.get(1), seen.get(3));
        assertEquals(true, seen.get(4));
    }

    @Test
    void nestedContinuationsSuspendTheInnermost() {
        List<String> log = new ArrayList<>();
        Continuation inner = new Continuation(() -> {
            log.add("inner 1");
            Drive.pause();
            log.add("inner 2");
        });
        Continuation outer = new Continuation(() -> {
            log.add("outer 1");
            inner.resume();
            log.add("outer 2");
            Drive.pause();
            inner.resume();
            log.add("outer 3");
        });
        outer.resume();
        assertEquals(List.of("outer 1", "inner 1", "outer 2"), log);
        outer.resume();
        assertEquals(List.of("outer 1", "inner 1", "outer 2", "inner 2", "outer 3"), log);
        assertTrue(inner.isDone() && outer.isDone());
    }

    static int counter; // deliberately not volatile: resume() must publish it

    @Test
    @Timeout(30)
    void resumeOnAnotherThreadSeesEveryWrite() throws Exception {
        int[] local = new int[1];
        Continuation c = new Continuation(() -> {
            for (int i = 0; i < 1000; i++) {
                counter++;
                local[0] += i;
                Drive.pause();
            }
        });
        counter = 0;
        for (int i = 0; !c.isDone(); i++) {
            CompletableFuture.runAsync(c::resume).get(10, TimeUnit.SECONDS);
        }
        assertEquals(1000, counter);
        assertEquals(999 * 1000 / 2, local[0]);
    }

    @Test
    void aFailedSuspensionCanBeCaughtAndTheBodyGoesOn() {
        Drive.Outcome<String> o = Drive.run(() -> {
            String s;
            try {
                List.of(1).forEach(i -> Continuation.suspend());
                s = "no";
            } catch (IllegalStateException e) {
                s = "caught";
            }
            Drive.pause();
            return s + " and suspended after";
        });
        assertEquals("caught and suspended after", o.value);
        assertEquals(1, o.suspensions);
    }

    @Suspendable
    static void failsAfterResume() {
        Drive.pause();
        throw new IllegalStateException("line check");
    }

    @Test
    void stackTracesShowTheUsersLines() {
        Continuation c = new Continuation(ContinuationContractTest::failsAfterResume);
        c.resume();
        IllegalStateException e = assertThrows(IllegalStateException.class, c::resume);
        StackTraceElement top = e.getStackTrace()[0];
        assertEquals("failsAfterResume", top.getMethodName());
        assertEquals("ContinuationContractTest.java", top.getFileName());
        assertEquals(lineOf("throw new IllegalStateException(\"line check\")"), top.getLineNumber());
    }

    private static int lineOf(String text) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(
                    java.nio.file.Paths.get("src/test/java/io/bobbin/core/ContinuationContractTest.java"));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text) && !lines.get(i).contains("lineOf")) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no line " + text);
    }
}
