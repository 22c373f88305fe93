/**
 * The loop itself: {@link io.bobbin.internal.loop.LoopCore}, the engine behind the public
 * {@code EventLoop} and the host of its tasks; its ready queue, its inbox for other threads and the
 * callbacks users schedule; for deterministic loops, the seeded order of each turn's ready steps
 * ({@link io.bobbin.internal.loop.SeededOrder}) and the count of blocking work in flight that holds a
 * virtual clock back ({@link io.bobbin.internal.loop.BlockingInFlight}). <b>Internal</b>.
 *
 * <p>Threads: a loop's state belongs to its thread; other threads reach it only through its
 * {@link io.bobbin.internal.loop.Inbox}, which wakes its poller.
 */
package io.bobbin.internal.loop;
