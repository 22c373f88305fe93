/**
 * I/O readiness for a loop: the {@link io.bobbin.internal.io.Poller} seam, its NIO implementation
 * ({@link io.bobbin.internal.io.NioPoller}: one {@code Selector}, one registration per channel) and
 * the self-pipe ({@link io.bobbin.internal.io.WakeupChannel}) through which other threads wake it.
 * <b>Internal</b>.
 *
 * <p>Threads: a poller and its registrations belong to its loop's thread; only
 * {@code wakeup()} and the counters are for other threads.
 */
package io.bobbin.internal.io;
