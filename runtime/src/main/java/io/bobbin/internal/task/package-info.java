/**
 * Tasks: {@link io.bobbin.internal.task.LoopTask}, the one owner of a task's state machine (park,
 * wake, cancellation delivery, outcome); the {@link io.bobbin.internal.task.TaskHost} seam through
 * which a task reaches the loop that runs it; the waits a task parks on; and
 * {@link io.bobbin.internal.task.CancelScope}, cancellation as a scope. <b>Internal</b>.
 *
 * <p>Threads: a task's state belongs to its loop's thread; its outcome, callbacks and cancellation
 * request are published for every thread (see {@code LoopTask}).
 */
package io.bobbin.internal.task;
