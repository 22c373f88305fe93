package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import io.bobbin.internal.cont.SavedFrames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The frames a suspended continuation saved, read back with the agent's metadata: each frame's
 * method, source file and line of the call it stopped at, and its saved values, root first.
 */
class SavedFramesTest {
    static final List<Integer> LINES = new ArrayList<>();

    /** The line of the caller: call it on the same line as the suspendable call it marks. */
    static int here() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst().orElseThrow()).getLineNumber();
    }

    interface Shape {
        @Suspendable
        long area(int scale);
    }

    static final class Square implements Shape {
        final int side;

        Square(int side) {
            this.side = side;
        }

        @Override
        @Suspendable
        public long area(int scale) {
            long a = (long) side * side;
            LINES.add(here()); Continuation.suspend();
            return a * scale;
        }
    }

    @Suspendable
    static long middle(Shape s, double weight) {
        int k = 7;
        LINES.add(here()); long r = s.area(k);
        return (long) (r * weight);
    }

    @Suspendable
    static void root(List<Long> out) {
        String tag = "root";
        LINES.add(here()); out.add(middle(new Square(3), 2.5) + tag.length());
    }

    @Test
    void aSuspendedContinuationShowsItsFramesRootFirstWithLinesAndValues() {
        LINES.clear();
        List<Long> out = new ArrayList<>();
        Continuation c = new Continuation(() -> root(out));
        assertTrue(SavedFrames.of(c).isEmpty(), "a new continuation has saved nothing");
        c.resume();
        List<SavedFrames.Frame> frames = SavedFrames.of(c);
        List<String> methods = new ArrayList<>();
        for (SavedFrames.Frame f : frames) {
            methods.add(f.method.getDeclaringClass().getSimpleName() + "." + f.method.getName());
        }
        int n = frames.size();
        assertEquals(List.of("root", "middle", "area"), methods.subList(n - 3, n).stream()
                .map(m -> m.substring(m.indexOf('.') + 1)).collect(java.util.stream.Collectors.toList()), methods.toString());
        assertEquals("Square.area", methods.get(n - 1));
        SavedFrames.Frame rootF = frames.get(n - 3);
        SavedFrames.Frame middleF = frames.get(n - 2);
        SavedFrames.Frame areaF = frames.get(n - 1);
        // LINES was filled in call order: root's line, middle's, area's.
        assertEquals(LINES.get(0), rootF.line);
        assertEquals(LINES.get(1), middleF.line);
        assertEquals(LINES.get(2), areaF.line);
        assertEquals("SavedFramesTest.java", areaF.source);
        StackTraceElement e = areaF.toStackTraceElement();
        assertEquals(Square.class.getName(), e.getClassName());
        assertEquals("area", e.getMethodName());
        assertEquals("middle", middleF.toStackTraceElement().getMethodName());
        assertEquals("area", middleF.callName, "the call middle stopped at");
        assertEquals("(I)J", middleF.callDesc);
        assertTrue(contains(middleF.ints, 7), "middle saved its int local");
        assertTrue(contains(rootF.refs, "root"), "root saved its String local");
        assertTrue(contains(areaF.longs, 9L), "area saved its long local");
        assertTrue(containsInstance(middleF.refs, Square.class), "middle saved the receiver of its interface call");
        c.resume();
        assertTrue(c.isDone());
        assertEquals(List.of((long) (9 * 7 * 2.5) + 4), out); // area 9, scale 7, weight 2.5, plus "root".length()
        assertTrue(SavedFrames.of(c).isEmpty(), "a done continuation has saved nothing");
    }

    @Test
    void differentMethodsHaveDifferentFingerprintsAndTheSameMethodKeepsItsOwn() {
        Continuation a = new Continuation(() -> root(new ArrayList<>()));
        Continuation b = new Continuation(() -> root(new ArrayList<>()));
        a.resume();
        b.resume();
        List<SavedFrames.Frame> fa = SavedFrames.of(a);
        List<SavedFrames.Frame> fb = SavedFrames.of(b);
        assertEquals(fa.size(), fb.size());
        // Frame 0 is each body's own lambda; root, middle and area are the same methods in both.
        long[] pa = fa.stream().skip(1).mapToLong(f -> f.fingerprint).toArray();
        long[] pb = fb.stream().skip(1).mapToLong(f -> f.fingerprint).toArray();
        assertArrayEquals(pa, pb);
        assertNotEquals(fa.get(0).fingerprint, fb.get(0).fingerprint, "two lambdas, two methods");
        int n = pa.length;
        assertNotEquals(pa[n - 1], pa[n - 2]);
        assertNotEquals(pa[n - 2], pa[n - 3]);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(long[] a, long v) {
        for (long x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(Object[] a, Object v) {
        for (Object x : a) {
            if (v.equals(x)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsInstance(Object[] a, Class<?> k) {
        for (Object x : a) {
            if (k.isInstance(x)) {
                return true;
            }
        }
        return false;
    }
}
