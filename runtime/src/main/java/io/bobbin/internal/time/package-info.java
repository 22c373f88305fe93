/**
 * Time for a loop: the {@link io.bobbin.internal.time.Clock} seam (the system's monotonic clock, or
 * the {@link io.bobbin.internal.time.VirtualClock} of a deterministic loop, which only its loop moves)
 * and the {@link io.bobbin.internal.time.TimerQueue} of deadlines (a hierarchical timing wheel with
 * O(1) add and cancel, and an exact heap for what is due within the current tick). <b>Internal</b>.
 *
 * <p>Threads: a loop's timers belong to its thread alone, and so does moving a virtual clock; a
 * clock may be read from any thread.
 */
package io.bobbin.internal.time;
