package io.bobbin.internal.time;

import java.time.Duration;

/**
 * The time source of a loop: monotonic nanoseconds, only differences matter. The system's clock
 * ({@link #SYSTEM}) by default; a virtual clock for deterministic loops is another implementation.
 *
 * <p>Threads: {@link #nanoTime()} may be called from any thread.
 */
public interface Clock {
    /** The system's monotonic clock, {@link System#nanoTime()}. */
    Clock SYSTEM = System::nanoTime;

    /** The time now, in nanoseconds. */
    long nanoTime();

    /** {@code d} in nanoseconds, saturated at {@link Long#MIN_VALUE}/{@link Long#MAX_VALUE} instead of overflowing. */
    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** The deadline {@code nanos} after {@code now}, saturated at {@link Long#MAX_VALUE}; never before {@code now}. */
    static long deadline(long now, long nanos) {
        if (nanos <= 0) {
            return now;
        }
        long d = now + nanos;
        return d < now ? Long.MAX_VALUE : d;
    }
}
