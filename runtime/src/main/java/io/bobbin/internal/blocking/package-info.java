/**
 * The bridge to blocking work: the elastic {@link io.bobbin.internal.blocking.BlockingPool} behind
 * {@code Async.blocking}. <b>Internal</b>.
 *
 * <p>Threads: work is submitted from a loop's thread and runs on the pool's own threads, which
 * run no event loop; its completion goes back to the loop through the task's wake path.
 */
package io.bobbin.internal.blocking;
