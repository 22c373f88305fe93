package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.bobbin.Suspendable;
import org.junit.jupiter.api.Test;

/** Every kind of local and operand-stack value comes back exactly. */
class ValuesTest {
    @Suspendable
    static String allPrimitives(boolean z, byte b, char c, short s, int i, long j, float f, double d) {
        boolean z2 = !z;
        byte b2 = (byte) (b - 1);
        char c2 = (char) (c + 1);
        short s2 = (short) (s * 2);
        int i2 = i ^ 0x5555;
        long j2 = j * 3;
        float f2 = f / 3;
        double d2 = d * d;
        Drive.pause();
        return z + " " + b + " " + c + " " + s + " " + i + " " + j + " " + f + " " + d + " | "
                + z2 + " " + b2 + " " + c2 + " " + s2 + " " + i2 + " " + j2 + " " + f2 + " " + d2;
    }

    @Test
    void everyPrimitiveTypeSurvives() {
        String plain = allPrimitives(true, Byte.MIN_VALUE, '\uffff', Short.MAX_VALUE, Integer.MIN_VALUE,
                Long.MAX_VALUE, Float.NaN, -0.0);
        Drive.Outcome<String> o = Drive.run(() -> allPrimitives(true, Byte.MIN_VALUE, '\uffff', Short.MAX_VALUE,
                Integer.MIN_VALUE, Long.MAX_VALUE, Float.NaN, -0.0));
        assertEquals(1, o.suspensions);
        assertEquals(plain, o.value);
        assertEquals("true -128 \uffff 32767 -2147483648 9223372036854775807 NaN -0.0 | false 127 \u0000 -2 -2147461803"
                + " 9223372036854775805 NaN 0.0", o.value);
    }

    @Suspendable
    static long longsAndDoubles(long a, double b) {
        long x = a;
        double y = b;
        long sum = 0;
        double prod = 1;
        for (int k = 0; k < 4; k++) {
            sum += x + Drive.pauseThen(k);
            prod *= y + Drive.pauseThen(k);
        }
        return sum ^ Double.doubleToLongBits(prod);
    }

    @Test
    void longAndDoubleKeepAllTheirBits() {
        long expected = longsAndDoubles(0x7fff_0000_ffff_1234L, Math.PI);
        Drive.Outcome<Long> o = Drive.run(() -> longsAndDoubles(0x7fff_0000_ffff_1234L, Math.PI));
        assertEquals(8, o.suspensions);
        assertEquals(expected, (long) o.value);
    }

    /** Values left on the operand stack below a suspending call: every kind, in one expression. */
    @Suspendable
    static String operandStack(int i, long j, double d, float f, String s) {
        return s + (i + Drive.pauseThen(1)) + "/" + (j * Drive.pauseThen(2)) + "/" + (d - Drive.pauseThen(3)) + "/"
                + (f + Drive.pauseThen(4)) + "/" + mix(i, j, Drive.pauseThen(5), d, f, s, Drive.pauseThen(6));
    }

    @Suspendable
    static String mix(int i, long j, int k, double d, float f, String s, int m) {
        return "" + i + j + k + d + f + s + m;
    }

    @Test
    void operandStackValuesOfEveryKind() {
        String expected = operandStack(40, 1L << 40, 2.5, 0.25f, "s:");
        Drive.Outcome<String> o = Drive.run(() -> operandStack(40, 1L << 40, 2.5, 0.25f, "s:"));
        assertEquals(6, o.suspensions);
        assertEquals(expected, o.value);
    }

    static final class Holder {
        int n;

        @Suspendable
        int addTwice(int k) {
            n += k;
            Drive.pause();
            n += k;
            return n;
        }

        @Suspendable
        Holder self() {
            Drive.pause();
            return this;
        }
    }

    @Test
    void thisAndArgumentsSurvive() {
        Holder h = new Holder();
        Drive.Outcome<Integer> o = Drive.run(() -> h.addTwice(5) + h.addTwice(1));
        assertEquals(2, o.suspensions);
        assertEquals(10 + 12, (int) o.value);
        assertSame(h, Drive.run(h::self).value);
    }

    @Suspendable
    static int[][] arrays(int n) {
        int[][] grid = new int[n][n];
        Object[] objects = {"a", 1, null};
        String[] strings = new String[] {"x", null};
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                grid[r][c] = r * n + c + Drive.pauseThen(objects.length + strings.length);
            }
        }
        return grid;
    }

    @Test
    void arraysSurvive() {
        Drive.Outcome<int[][]> o = Drive.run(() -> arrays(3));
        assertEquals(9, o.suspensions);
        assertArrayEquals(arrays(3), o.value);
        assertEquals(8 + 5, o.value[2][2]);
    }

    @Suspendable
    static String nullsAndTypes(String maybe) {
        String s = null;
        Object o = maybe;
        CharSequence cs = maybe == null ? "none" : maybe;
        Drive.pause();
        s = s == null ? cs.toString() : s;
        return s + o + cs.length();
    }

    @Test
    void nullLocalsKeepTheirType() {
        assertEquals("nonenull4", Drive.run(() -> nullsAndTypes(null)).value);
        assertEquals("abab2", Drive.run(() -> nullsAndTypes("ab")).value);
    }
}
