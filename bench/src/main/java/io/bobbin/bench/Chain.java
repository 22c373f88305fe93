package io.bobbin.bench;

import io.bobbin.Suspendable;

/**
 * Benchmark 5: a call chain 10 deep doing a little arithmetic, {@code @Suspendable} (so c1..c9 are
 * instrumented: each calls a suspendable method). {@link PlainChain} is the same code without it.
 */
public final class Chain {
    private Chain() {}

    @Suspendable
    public static int c1(int x) {
        int y = x * 31 + 7;
        return c2(y) + 1;
    }

    @Suspendable
    public static int c2(int x) {
        int y = (x ^ 0x5bd1e995) + 3;
        return c3(y) + 2;
    }

    @Suspendable
    public static int c3(int x) {
        int y = x * 17 - 11;
        return c4(y) + 3;
    }

    @Suspendable
    public static int c4(int x) {
        int y = (x << 3) ^ (x >>> 5);
        return c5(y) + 4;
    }

    @Suspendable
    public static int c5(int x) {
        int y = x + 0x9e3779b9;
        return c6(y) + 5;
    }

    @Suspendable
    public static int c6(int x) {
        int y = x * 13 ^ 29;
        return c7(y) + 6;
    }

    @Suspendable
    public static int c7(int x) {
        int y = (x >>> 7) + x * 5;
        return c8(y) + 7;
    }

    @Suspendable
    public static int c8(int x) {
        int y = x ^ (x << 9) ^ 101;
        return c9(y) + 8;
    }

    @Suspendable
    public static int c9(int x) {
        int y = x * 7 + 1;
        return c10(y) + 9;
    }

    /** The leaf: it calls nothing suspendable, so the agent leaves it as it is. */
    @Suspendable
    public static int c10(int x) {
        return x * 19 + (x >>> 3);
    }
}
