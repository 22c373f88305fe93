package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Suspension inside every shape of control flow. */
class ControlFlowTest {
    enum Color { RED, GREEN, BLUE }

    @Suspendable
    static String loops(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int j = 0;
            while (j < i) {
                b.append(Drive.pauseThen(j));
                j++;
            }
            do {
                b.append('.');
                Drive.pause();
            } while (--j > 0);
            if (i == 2) {
                continue;
            }
            if (i == 4) {
                break;
            }
            b.append('|');
        }
        for (String s : List.of("x", "y")) {
            b.append(s).append(Drive.pauseThen(s.length()));
        }
        return b.toString();
    }

    @Test
    void loopsBreakAndContinue() {
        String plain = loops(6);
        Drive.Outcome<String> o = Drive.run(() -> loops(6));
        assertEquals(plain, o.value);
        assertEquals(".|0.|01..012...|0123....x1y1", o.value);
        assertEquals(1 + 2 + 4 + 6 + 8 + 2, o.suspensions);
    }

    @Suspendable
    static String switches(int i, String s, Color c) {
        String out = "";
        switch (i) {
            case 1:
                out += "one" + Drive.pauseThen(1);
                break;
            case 100:
                out += "hundred" + Drive.pauseThen(100);
                // fall through
            case 101:
                out += "+" + Drive.pauseThen(101);
                break;
            default:
                out += "other" + Drive.pauseThen(-1);
        }
        switch (s) {
            case "alpha":
                out += ":a" + Drive.pauseThen(0);
                break;
            case "beta":
                Drive.pause();
                out += ":b";
                break;
            default:
                out += ":?";
        }
        switch (c) {
            case RED:
                Drive.pause();
                out += ":red";
                break;
            case BLUE:
                out += ":blue" + Drive.pauseThen(3);
                break;
            default:
                out += ":" + c.name().toLowerCase();
        }
        return out;
    }

    @Test
    void switchesOnIntsStringsAndEnums() {
        assertEquals("hundred100+101:b:red", Drive.run(() -> switches(100, "beta", Color.RED)).value);
        Drive.Outcome<String> o = Drive.run(() -> switches(1, "alpha", Color.BLUE));
        assertEquals("one1:a0:blue3", o.value);
        assertEquals(3, o.suspensions);
        Drive.Outcome<String> p = Drive.run(() -> switches(7, "gamma", Color.GREEN));
        assertEquals("other-1:?:green", p.value);
        assertEquals(1, p.suspensions);
    }

    static final List<String> trace = new ArrayList<>();

    @Suspendable
    static String tryCatchFinally(boolean fail) {
        StringBuilder b = new StringBuilder();
        try {
            b.append("try").append(Drive.pauseThen(1));
            if (fail) {
                throw new IllegalArgumentException("boom");
            }
            b.append("-ok");
        } catch (IllegalArgumentException e) {
            b.append("-catch:").append(e.getMessage()).append(Drive.pauseThen(2));
        } finally {
            b.append("-finally").append(Drive.pauseThen(3));
        }
        return b.toString();
    }

    @Test
    void suspensionInTryCatchAndFinally() {
        Drive.Outcome<String> ok = Drive.run(() -> tryCatchFinally(false));
        assertEquals("try1-ok-finally3", ok.value);
        assertEquals(2, ok.suspensions);
        Drive.Outcome<String> failed = Drive.run(() -> tryCatchFinally(true));
        assertEquals("try1-catch:boom2-finally3", failed.value);
        assertEquals(3, failed.suspensions);
    }

    @Suspendable
    static int throwsAfterResume(int k) {
        Drive.pause();
        if (k > 0) {
            throw new IllegalStateException("after resume " + k);
        }
        return k;
    }

    @Suspendable
    static String rightHandler() {
        String s = "";
        try {
            try {
                throwsAfterResume(1);
            } catch (IllegalArgumentException wrong) {
                s += "wrong";
            }
        } catch (IllegalStateException right) {
            s += "right:" + right.getMessage();
            Drive.pause();
            s += ":again";
        }
        return s;
    }

    @Test
    void exceptionAfterResumeReachesTheRightHandler() {
        Drive.Outcome<String> o = Drive.run(ControlFlowTest::rightHandler);
        assertEquals("right:after resume 1:again", o.value);
        assertEquals(2, o.suspensions);
    }

    static final class Resource implements AutoCloseable {
        final String name;

        Resource(String name) {
            this.name = name;
            trace.add("open " + name);
        }

        @Override
        public void close() {
            trace.add("close " + name);
        }
    }

    @Suspendable
    static int tryWithResources(boolean fail) throws Exception {
        try (Resource a = new Resource("a"); Resource b = new Resource("b" + Drive.pauseThen(1))) {
            trace.add("body " + a.name + b.name + Drive.pauseThen(2));
            if (fail) {
                throw new Exception("inside");
            }
            return 7;
        } finally {
            trace.add("finally" + Drive.pauseThen(3));
        }
    }

    @Test
    void tryWithResourcesClosesInOrder() {
        trace.clear();
        Drive.Outcome<Integer> o = Drive.run(() -> tryWithResources(false));
        assertEquals(7, (int) o.value);
        assertEquals(List.of("open a", "open b1", "body ab12", "close b1", "close a", "finally3"), trace);
        assertEquals(3, o.suspensions);
        trace.clear();
        Continuation c = new Continuation(() -> tryWithResources(true));
        c.resume();
        c.resume();
        c.resume();
        Exception e = assertThrows(io.bobbin.ContinuationException.class, c::resume);
        assertEquals("inside", e.getCause().getMessage());
        assertEquals(List.of("open a", "open b1", "body ab12", "close b1", "close a", "finally3"), trace);
    }

    @Suspendable
    static int recurse(int depth, long acc) {
        if (depth == 0) {
            Drive.pause();
            return (int) (acc % 1_000_003);
        }
        int r = recurse(depth - 1, acc * 31 + depth);
        return r + (depth % 7);
    }

    @Test
    void recursionAThousandFramesDeep() throws Exception {
        int plain = recurse(1000, 1);
        Drive.Outcome<Integer> o = Drive.run(() -> recurse(1000, 1));
        assertEquals(plain, (int) o.value);
        assertEquals(1, o.suspensions);
        assertEquals(plain, (int) Drive.runHopping(() -> recurse(1000, 1)).value);
    }

    @Suspendable
    static int deepSuspendEachLevel(int depth) {
        if (depth == 0) {
            return 0;
        }
        Drive.pause();
        return 1 + deepSuspendEachLevel(depth - 1);
    }

    @Test
    void suspensionAtEveryLevelOfADeepStack() {
        Drive.Outcome<Integer> o = Drive.run(() -> deepSuspendEachLevel(1000));
        assertEquals(1000, (int) o.value);
        assertEquals(1000, o.suspensions);
    }
}
