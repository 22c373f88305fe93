/**
 * Coordination for tasks and threads: {@link io.bobbin.sync.Mutex}, {@link io.bobbin.sync.Semaphore},
 * {@link io.bobbin.sync.Event} and {@link io.bobbin.sync.Channel} (rendezvous, bounded, unbounded;
 * close and drain), in the spirit of asyncio's and kotlinx.coroutines' primitives.
 *
 * <p>Every object here is thread-safe and may be shared by tasks of one loop, of different loops,
 * and plain threads. A task that waits suspends (its loop runs its other tasks meanwhile); a plain
 * thread blocks, and an interrupt ends its wait with {@link java.util.concurrent.CancellationException}
 * (its interrupt status kept). On a loop's thread outside a task (a callback), or inside a generator
 * or bare continuation nested in a task, a call that would wait throws
 * {@link java.lang.IllegalStateException}; one that need not wait (locking a free mutex, receiving a
 * buffered value) works everywhere.
 *
 * <p>Waiters are served first come, first served. Every wait is a cancellation point, and nothing is
 * lost on cancellation: a cancelled {@code lock}/{@code acquire} never holds the lock or permit, a
 * cancelled {@code receive} never takes a value, and a {@code send} either delivered its value and
 * returns, or throws and did not deliver it. When a hand-over and a cancellation cross, the hand-over
 * wins and the cancellation is delivered at the task's next suspension point.
 *
 * <p>Threads: any, as each class says; the locks inside are never held across a suspension.
 */
package io.bobbin.sync;
