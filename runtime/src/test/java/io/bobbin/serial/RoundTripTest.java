package io.bobbin.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import io.bobbin.SuspendableRunnable;
import io.bobbin.serial.Bytes.Job;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * New, suspended and done continuations written with {@code ObjectOutputStream} and read back: the copy
 * is in the same state, and a suspended one goes on from where it was with every local and
 * operand-stack value as it was saved, bit for bit, on every shape of frame.
 */
class RoundTripTest {
    /** What the bodies report. Static, so that copies of a body report to the same place. */
    static final List<Object> OUT = new ArrayList<>();

    @BeforeEach
    void clear() {
        OUT.clear();
    }

    // ---- states ----------------------------------------------------------------------------

    @Suspendable
    static void count(String name, int n) {
        for (int i = 1; i <= n; i++) {
            OUT.add(name + i);
            Continuation.suspend();
        }
        OUT.add(name + " done");
    }

    @Test
    void aNewContinuationReadBackIsNewAndRunsItsBodyFromTheStart() {
        Continuation c = new Continuation((Job) () -> count("n", 2));
        Continuation copy = Bytes.copy(c);
        assertNotSame(c, copy);
        assertFalse(copy.isDone());
        assertEquals("Continuation[new]", copy.toString());
        assertEquals(List.of(), OUT, "reading ran nothing");
        assertEquals(2, Bytes.runThroughBytes(copy));
        assertEquals(List.of("n1", "n2", "n done"), OUT);
        assertEquals("Continuation[new]", c.toString(), "the original is untouched");
    }

    @Test
    void aDoneContinuationReadBackIsDone() {
        Continuation c = new Continuation((Job) () -> count("d", 0));
        c.resume();
        assertTrue(c.isDone());
        Continuation copy = Bytes.copy(c);
        assertTrue(copy.isDone());
        assertNull(copy.lastValue());
        IllegalStateException e = assertThrows(IllegalStateException.class, copy::resume);
        assertEquals("The continuation is done", e.getMessage());
        assertEquals(List.of("d done"), OUT, "the body ran once, before it was written");
    }

    @Test
    void aSuspendedContinuationReadBackGoesOnFromWhereItWas() {
        Continuation c = new Continuation((Job) () -> count("s", 3));
        c.resume();
        c.resume();
        Continuation copy = Bytes.copy(c);
        assertEquals("Continuation[suspended]", copy.toString());
        copy.resume();
        assertEquals(List.of("s1", "s2", "s3"), OUT);
        copy.resume();
        assertTrue(copy.isDone());
        assertEquals(List.of("s1", "s2", "s3", "s done"), OUT);
        // The original is a separate continuation, still suspended where the copy was made.
        c.resume();
        assertEquals(List.of("s1", "s2", "s3", "s done", "s3"), OUT);
    }

    @Test
    void aCopyCanItselfBeWrittenAgainAtEverySuspension() {
        Continuation c = new Continuation((Job) () -> count("r", 50));
        assertEquals(50, Bytes.runThroughBytes(c));
        assertEquals(51, OUT.size());
        assertEquals("r50", OUT.get(49));
    }

    // ---- values ----------------------------------------------------------------------------

    @Suspendable
    static void primitives(boolean z, byte b, char c, short s, int i, long j, float f, double d) {
        boolean z2 = !z;
        byte b2 = (byte) (b - 1);
        char c2 = (char) (c + 1);
        short s2 = (short) (s + 1);
        int i2 = i - 1;
        long j2 = j + 1;
        float f2 = -f;
        double d2 = -d;
        Continuation.suspend();
        OUT.add(List.of(z, b, c, s, i, j, f, d));
        OUT.add(List.of(z2, b2, c2, s2, i2, j2, f2, d2));
    }

    @Test
    void everyPrimitiveTypeComesBackExactly() {
        Continuation c = new Continuation((Job) () -> primitives(true, Byte.MIN_VALUE, '\uffff', Short.MAX_VALUE,
                Integer.MIN_VALUE, Long.MAX_VALUE, Float.MIN_VALUE, Double.MAX_VALUE));
        assertEquals(1, Bytes.runThroughBytes(c));
        assertEquals(List.of(true, Byte.MIN_VALUE, '\uffff', Short.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
                Float.MIN_VALUE, Double.MAX_VALUE), OUT.get(0));
        assertEquals(List.of(false, Byte.MAX_VALUE, '\u0000', Short.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE,
                -Float.MIN_VALUE, -Double.MAX_VALUE), OUT.get(1));
    }

    static final int FLOAT_NAN = 0x7fc1_2345;
    static final long DOUBLE_NAN = 0x7ff8_0000_dead_beefL;

    @Suspendable
    static float pausedFloat(float f) {
        Continuation.suspend();
        return f;
    }

    @Suspendable
    static double pausedDouble(double d) {
        Continuation.suspend();
        return d;
    }

    /** NaNs with payloads and negative zeros, in locals and on the operand stack below suspending calls. */
    @Suspendable
    static void oddFloats() {
        float nanF = Float.intBitsToFloat(FLOAT_NAN);
        double nanD = Double.longBitsToDouble(DOUBLE_NAN);
        float negF = -0.0f;
        double negD = -0.0;
        Continuation.suspend();
        OUT.add(Float.floatToRawIntBits(nanF));
        OUT.add(Double.doubleToRawLongBits(nanD));
        OUT.add(Float.floatToRawIntBits(negF));
        OUT.add(Double.doubleToRawLongBits(negD));
        // On the operand stack: the first argument waits below the suspending second.
        floats(nanF, pausedFloat(negF));
        doubles(nanD, pausedDouble(negD));
    }

    static void floats(float a, float b) {
        OUT.add(Float.floatToRawIntBits(a));
        OUT.add(Float.floatToRawIntBits(b));
    }

    static void doubles(double a, double b) {
        OUT.add(Double.doubleToRawLongBits(a));
        OUT.add(Double.doubleToRawLongBits(b));
    }

    @Test
    void nanPayloadsAndNegativeZerosComeBackBitForBit() {
        assertEquals(3, Bytes.runThroughBytes(new Continuation((Job) RoundTripTest::oddFloats)));
        assertEquals(List.of(FLOAT_NAN, DOUBLE_NAN, 0x8000_0000, 0x8000_0000_0000_0000L,
                FLOAT_NAN, 0x8000_0000, DOUBLE_NAN, 0x8000_0000_0000_0000L), OUT);
    }

    @Suspendable
    static void arrays() {
        int[] ints = {1, 2, 3};
        double[] doubles = {0.5, -0.0};
        String[][] grid = {{"a", "b"}, {"c"}};
        int[] same = ints; // one array, two locals
        Object[] mixed = {ints, "x", 7L};
        Continuation.suspend();
        same[0] = 100;
        OUT.add(Arrays.toString(ints));
        OUT.add(Arrays.toString(doubles));
        OUT.add(Arrays.deepToString(grid));
        OUT.add(same == ints && mixed[0] == ints);
        OUT.add(Arrays.deepToString(mixed));
    }

    @Test
    void arraysComeBackWithTheirContentsAndSharedArraysStayShared() {
        assertEquals(1, Bytes.runThroughBytes(new Continuation((Job) RoundTripTest::arrays)));
        assertEquals(List.of("[100, 2, 3]", "[0.5, -0.0]", "[[a, b], [c]]", true, "[[100, 2, 3], x, 7]"), OUT);
    }

    /** An object whose instance method suspends: {@code this} is saved with its frame. */
    static final class Counter implements Serializable {
        private static final long serialVersionUID = 1L;
        int count;
        final String name;

        Counter(String name) {
            this.name = name;
        }

        @Suspendable
        void tick(int times) {
            for (int i = 0; i < times; i++) {
                count++;
                Continuation.suspend();
            }
            OUT.add(name + "=" + count);
            OUT.add(this);
        }

        @Suspendable
        void tickOnce() {
            tick(1);
        }

        @Suspendable
        static void pauseOnce(String what) {
            Continuation.suspend();
            OUT.add(what);
        }
    }

    @Test
    void thisComesBackWithItsFieldsAsACopyOfTheObject() {
        Counter counter = new Counter("ticks");
        Continuation c = new Continuation((Job) () -> counter.tick(4));
        assertEquals(4, Bytes.runThroughBytes(c));
        assertEquals("ticks=4", OUT.get(0));
        Counter restored = (Counter) OUT.get(1);
        assertNotSame(counter, restored, "the frame ran on in a copy");
        assertEquals(4, restored.count);
        assertEquals(1, counter.count, "the original saw the first run only");
    }

    @Suspendable
    static long outer(long seed) {
        String tag = "outer";
        long a = middle((int) seed, 2.5) * 3;
        return a + tag.length();
    }

    @Suspendable
    static long middle(int k, double w) {
        char c = 'm';
        long r = inner(k + 1);
        return (long) (r * w) + c;
    }

    @Suspendable
    static long inner(int v) {
        long acc = 0;
        for (int i = 0; i < v; i++) {
            acc += i * 10L;
            Continuation.suspend();
        }
        return acc;
    }

    @Test
    void nestedCallsAndLoopsRestoreEveryFrameAtTheRightIteration() {
        Continuation c = new Continuation((Job) () -> {
            long r = outer(4); // not OUT.add(outer(4)): OUT would wait on the operand stack, and be written as a copy
            OUT.add(r);
        });
        assertEquals(5, Bytes.runThroughBytes(c));
        // inner(5) sums 0..40 by tens, middle weighs it and adds 'm', outer triples it and adds "outer".length()
        assertEquals(List.of(((long) (100 * 2.5) + 'm') * 3 + 5), OUT);
    }

    @Suspendable
    static void tryFinally() {
        int tries = 0;
        try {
            tries++;
            Continuation.suspend();
            try {
                Continuation.suspend();
                throw new IllegalArgumentException("inner " + tries);
            } catch (IllegalArgumentException e) {
                OUT.add("caught " + e.getMessage());
                Continuation.suspend();
                OUT.add("after catch");
            } finally {
                OUT.add("inner finally");
                Continuation.suspend();
            }
        } finally {
            OUT.add("outer finally " + tries);
        }
    }

    @Test
    void tryCatchFinallyRunEachBlockOnceAcrossRestores() {
        assertEquals(4, Bytes.runThroughBytes(new Continuation((Job) RoundTripTest::tryFinally)));
        assertEquals(List.of("caught inner 1", "after catch", "inner finally", "outer finally 1"), OUT);
    }

    // ---- bodies ----------------------------------------------------------------------------

    @Test
    void aLambdaBodyKeepsWhatItCaptured() {
        int n = 2;
        String prefix = "cap";
        long big = 1L << 40;
        Continuation c = new Continuation((Job) () -> {
            count(prefix, n);
            OUT.add(big + n);
        });
        assertEquals(2, Bytes.runThroughBytes(c));
        assertEquals(List.of("cap1", "cap2", "cap done", (1L << 40) + 2), OUT);
    }

    @Test
    void anIntersectionCastLambdaIsABodyToo() {
        Continuation c = new Continuation((SuspendableRunnable & Serializable) () -> count("i", 1));
        assertEquals(1, Bytes.runThroughBytes(c));
        assertEquals(List.of("i1", "i done"), OUT);
    }

    @Test
    void staticAndBoundMethodReferencesAreBodies() {
        assertEquals(1, Bytes.runThroughBytes(new Continuation((Job) RoundTripTest::primitivesOfOne)));
        Counter counter = new Counter("bound");
        assertEquals(1, Bytes.runThroughBytes(new Continuation((Job) counter::tickOnce)));
        assertEquals(List.of("one", "bound=1"), OUT.subList(0, 2));
    }

    @Test
    void aMethodReferenceToAnotherClassIsABodyToo() {
        // The body's class is a lambda of this class; its frame's method is declared in Counter.
        Continuation c = new Continuation((Job) RoundTripTest::viaCounter);
        assertEquals(1, Bytes.runThroughBytes(c));
        assertEquals(List.of("static ref"), OUT);
        Continuation direct = new Continuation((Job) () -> Counter.pauseOnce("lambda"));
        assertEquals(1, Bytes.runThroughBytes(direct));
        assertEquals(List.of("static ref", "lambda"), OUT);
    }

    @Suspendable
    static void viaCounter() throws Exception {
        Step2 s = Counter::pauseOnce; // a method reference to Counter, made here, called through its interface
        s.accept("static ref");
    }

    interface Step2 extends Serializable {
        @Suspendable
        void accept(String what) throws Exception;
    }

    @Suspendable
    static void primitivesOfOne() {
        String s = "one";
        Continuation.suspend();
        OUT.add(s);
    }

    /** A functional interface of a serializable type of the user's own, as a body. */
    interface Step extends Serializable {
        @Suspendable
        int apply(int x) throws Exception;
    }

    @Suspendable
    static void throughOwnLambdas() throws Exception {
        Step twice = x -> {
            Continuation.suspend();
            return 2 * x;
        };
        Step plusOne = RoundTripTest::plusOne;
        int v = twice.apply(plusOne.apply(20));
        OUT.add(v);
    }

    @Suspendable
    static int plusOne(int x) {
        Continuation.suspend();
        return x + 1;
    }

    @Test
    void framesOfLambdasAndMethodReferencesInsideTheBodyComeBack() {
        assertEquals(2, Bytes.runThroughBytes(new Continuation((Job) RoundTripTest::throughOwnLambdas)));
        assertEquals(List.of(42), OUT);
    }

    // ---- continuations in frames -------------------------------------------------------------

    @Test
    void aContinuationHeldInAFrameIsWrittenAndReadWithIt() {
        Continuation outer = new Continuation((Job) () -> {
            Continuation inner = new Continuation((Job) () -> count("in", 3));
            while (!inner.isDone()) {
                inner.resume();
                Continuation.suspend();
            }
            OUT.add("outer done");
        });
        assertEquals(4, Bytes.runThroughBytes(outer));
        assertEquals(List.of("in1", "in2", "in3", "in done", "outer done"), OUT);
    }

    @Test
    void aFrameHoldingItsOwnContinuationHoldsTheCopyAfterReading() {
        Continuation c = new Continuation((Job) () -> {
            Continuation me = Continuation.current();
            Continuation.suspend();
            OUT.add(me == Continuation.current());
            OUT.add(me);
        });
        c.resume();
        Continuation copy = Bytes.copy(c);
        copy.resume();
        assertEquals(true, OUT.get(0));
        assertSame(copy, OUT.get(1));
    }
}
