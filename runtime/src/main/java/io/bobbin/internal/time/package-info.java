/**
 * Time for a loop: the {@link io.bobbin.internal.time.Clock} seam and the
 * {@link io.bobbin.internal.time.TimerQueue} of deadlines. <b>Internal</b>.
 *
 * <p>Threads: a loop's timers belong to its thread alone; a clock may be read from any thread.
 */
package io.bobbin.internal.time;
