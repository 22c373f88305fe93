package io.bobbin.internal.util;

import java.util.function.BooleanSupplier;

/**
 * A short, time-bounded spin before parking, for an event that is likely to come within
 * microseconds (a blocking job's completion, the pool's next job): parking and being woken cost a
 * futex wake-up each (~20 us on a VM), which a spin of a few microseconds often saves. No spin on a
 * single processor, where it would only delay the thread that makes the event happen.
 *
 * <p>Threads: any; it reads only what {@code ready} reads.
 */
public final class Spin {
    /** The longest spin: 20 us, or none on a single processor. */
    public static final long NANOS = Runtime.getRuntime().availableProcessors() > 1 ? 20_000 : 0;

    private Spin() {}

    /** Spins until {@code ready} says so or {@link #NANOS} have passed; returns whether it is ready. */
    public static boolean until(BooleanSupplier ready) {
        if (NANOS == 0) {
            return ready.getAsBoolean();
        }
        long end = System.nanoTime() + NANOS;
        for (int i = 1; !ready.getAsBoolean(); i++) {
            Thread.onSpinWait();
            if ((i & 63) == 0 && System.nanoTime() - end > 0) {
                return false; // the clock is read every 64 spins only
            }
        }
        return true;
    }
}
