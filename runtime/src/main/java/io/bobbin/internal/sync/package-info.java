/**
 * The waiting half of the coordination primitives ({@code io.bobbin.sync}) and of the waits of
 * {@code Async.joinAll}/{@code firstDone}: {@link io.bobbin.internal.sync.Waiter}, one party waiting
 * for a grant (a lock hand-off, a permit, a value, an event, the end of tasks) with a single atomic
 * state, so that a grant, a close and a cancellation race with exactly one winner. A task waits by
 * parking through {@code LoopTask.park} and is woken through its loop; a plain thread parks with
 * {@link java.util.concurrent.locks.LockSupport}. <b>Internal</b>.
 *
 * <p>Threads: a waiter is granted, closed or woken from any thread; it waits, and withdraws after a
 * cancellation it has won, on its own thread (the task's loop thread, or the plain thread). The
 * queues the waiters sit in belong to their primitive and are guarded by its lock.
 */
package io.bobbin.internal.sync;
