package io.bobbin.bench;

/** {@link Chain} without {@code @Suspendable}: the agent leaves it alone. */
public final class PlainChain {
    private PlainChain() {}

    public static int c1(int x) {
        int y = x * 31 + 7;
        return c2(y) + 1;
    }

    public static int c2(int x) {
        int y = (x ^ 0x5bd1e995) + 3;
        return c3(y) + 2;
    }

    public static int c3(int x) {
        int y = x * 17 - 11;
        return c4(y) + 3;
    }

    public static int c4(int x) {
        int y = (x << 3) ^ (x >>> 5);
        return c5(y) + 4;
    }

    public static int c5(int x) {
        int y = x + 0x9e3779b9;
        return c6(y) + 5;
    }

    public static int c6(int x) {
        int y = x * 13 ^ 29;
        return c7(y) + 6;
    }

    public static int c7(int x) {
        int y = (x >>> 7) + x * 5;
        return c8(y) + 7;
    }

    public static int c8(int x) {
        int y = x ^ (x << 9) ^ 101;
        return c9(y) + 8;
    }

    public static int c9(int x) {
        int y = x * 7 + 1;
        return c10(y) + 9;
    }

    /** The leaf. */
    public static int c10(int x) {
        return x * 19 + (x >>> 3);
    }
}
