package io.bobbin.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import io.bobbin.SuspendableRunnable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A method reference whose interface method is marked, to a method declared in the reference's own
 * class, is suspendable (API.md). When the reference needs a varargs adaptation
 * ({@code Join2 f = Owner::join} with {@code static String join(String... xs)}), javac does not
 * hand the target to the lambda metafactory: it writes a synthetic {@code lambda$...} that builds
 * the array and calls {@code join}. The agent saw only that lambda body as the reference's target,
 * so {@code join} stayed uninstrumented and its suspension failed with "Cannot suspend through a
 * frame that is not instrumented: Continuation.suspend() was called by ...join". The agent now takes
 * a lambda body that only builds an array and calls a varargs method of its own class (boxing and
 * casts aside) for the method reference it is; a lambda written by hand that does more stays a
 * lambda (see {@code FaultsTest}: a lambda does not make the plain methods it calls suspendable).
 */
class VarargsMethodReferenceRegressionTest {
    @FunctionalInterface
    interface Join2 {
        @Suspendable
        String apply(String a, String b);
    }

    @FunctionalInterface
    interface Sum2 {
        @Suspendable
        int apply(int a, int b);
    }

    static final List<String> LOG = new ArrayList<>();

    /** Not marked: suspendable because a method reference of this class targets it. */
    static String join(String... xs) {
        LOG.add("join " + xs.length);
        Continuation.suspend();
        return String.join("+", xs);
    }

    /** Not marked; boxed varargs, so the adapting lambda boxes its int arguments. */
    static int sum(Integer... xs) {
        int s = 0;
        for (Integer x : xs) {
            LOG.add("add " + x);
            Continuation.suspend();
            s += x;
        }
        return s;
    }

    private final String separator;

    VarargsMethodReferenceRegressionTest() {
        this.separator = "/";
    }

    /** Not marked; an instance method, referenced as {@code this::joinWith}. */
    String joinWith(String... xs) {
        LOG.add("joinWith " + xs.length);
        Continuation.suspend();
        return String.join(separator, xs);
    }

    /** Not marked, called by a lambda that does more than forward: not a method reference's target. */
    static String helper(String s) {
        Continuation.suspend();
        return s;
    }

    /** Runs the body to its end; returns the number of resumes it took. */
    static int drive(SuspendableRunnable body) {
        LOG.clear();
        Continuation c = new Continuation(body);
        int resumes = 0;
        while (!c.isDone()) {
            c.resume();
            resumes++;
        }
        return resumes;
    }

    @Test
    void aStaticVarargsTargetOfTheReferencesOwnClassSuspends() {
        String[] result = new String[1];
        int resumes = drive(() -> {
            Join2 f = VarargsMethodReferenceRegressionTest::join;
            result[0] = f.apply("a", "b") + "|" + f.apply("c", "d");
        });
        assertEquals("a+b|c+d", result[0]);
        assertEquals(3, resumes);
        assertEquals(List.of("join 2", "join 2"), LOG);
    }

    @Test
    void aBoxedVarargsTargetSuspendsAtEveryPointAndKeepsItsValues() {
        int[] result = new int[1];
        int resumes = drive(() -> {
            Sum2 f = VarargsMethodReferenceRegressionTest::sum;
            result[0] = f.apply(20, 22);
        });
        assertEquals(42, result[0]);
        assertEquals(3, resumes);
        assertEquals(List.of("add 20", "add 22"), LOG);
    }

    @Test
    void aBoundInstanceVarargsTargetSuspends() {
        String[] result = new String[1];
        int resumes = drive(() -> {
            Join2 f = this::joinWith;
            result[0] = f.apply("x", "y");
        });
        assertEquals("x/y", result[0]);
        assertEquals(2, resumes);
        assertEquals(List.of("joinWith 2"), LOG);
    }

    @Test
    void aLambdaThatDoesMoreThanForwardDoesNotMakeWhatItCallsSuspendable() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> drive(() -> {
            Join2 f = (a, b) -> helper(a) + helper(b);
            f.apply("a", "b");
        }));
        assertTrue(e.getMessage().startsWith("Cannot suspend: the frame at fault is io.bobbin.fuzz.VarargsMethodReferenceRegressionTest.helper"), e.getMessage());
        assertTrue(e.getMessage().contains("VarargsMethodReferenceRegressionTest.helper"), e.getMessage());
    }
}
