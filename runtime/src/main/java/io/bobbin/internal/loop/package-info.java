/**
 * The loop itself: {@link io.bobbin.internal.loop.LoopCore}, the engine behind the public
 * {@code EventLoop} and the host of its tasks; its ready queue, its inbox for other threads and the
 * callbacks users schedule. <b>Internal</b>.
 *
 * <p>Threads: a loop's state belongs to its thread; other threads reach it only through its
 * {@link io.bobbin.internal.loop.Inbox}, which wakes its poller.
 */
package io.bobbin.internal.loop;
