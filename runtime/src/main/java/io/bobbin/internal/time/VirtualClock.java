package io.bobbin.internal.time;

/**
 * The clock of a loop built with {@code EventLoop.Builder.virtualTime()}: it starts at 0 and moves
 * only when its loop {@linkplain #advanceTo(long) advances} it, which the loop does when nothing can
 * progress: then it jumps at once to the earliest timer's deadline. Real time never moves it.
 *
 * <p>Threads: {@link #advanceTo} on the loop's thread only; {@link #nanoTime()} from any thread (a
 * volatile read: another thread sees the loop's latest jump).
 */
public final class VirtualClock implements Clock {
    private volatile long now;

    /** The virtual time now: 0 until the first jump. */
    @Override
    public long nanoTime() {
        return now;
    }

    /**
     * Moves the clock forward to {@code time}; a time at or before the current one leaves it as it
     * is (the clock never goes back). Loop thread.
     */
    public void advanceTo(long time) {
        if (time > now) {
            now = time;
        }
    }

    @Override
    public String toString() {
        return "VirtualClock[" + now + " ns]";
    }
}
