package io.bobbin;

/**
 * A callback scheduled with {@link EventLoop#callSoon} or {@link EventLoop#callLater}, which may be
 * cancelled until it has run. Thread-safe.
 */
public interface CallbackHandle {
    /**
     * Makes sure the callback never runs, and (for {@code callLater}) removes its timer.
     *
     * @return {@code true} when this call prevented the callback from running; {@code false} if it
     *     has run or started already, or was cancelled before
     */
    boolean cancel();

    /** Whether {@link #cancel()} prevented the callback from running. */
    boolean isCancelled();
}
