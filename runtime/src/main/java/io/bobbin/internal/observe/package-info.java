/**
 * Observability of event loops: what a suspended task's frames are ({@link
 * io.bobbin.internal.observe.TaskFrames}), the text of a loop's dump ({@link
 * io.bobbin.internal.observe.LoopDump}), the slow-step watchdog ({@link
 * io.bobbin.internal.observe.SlowStepWatchdog}, one daemon thread for every loop that has a threshold,
 * and {@link io.bobbin.internal.observe.StepWatch}, what one loop tells it), each loop's platform
 * MBean ({@link io.bobbin.internal.observe.EventLoopMXBean}), the Flight Recorder events of the
 * "Bobbin" category ({@link io.bobbin.internal.observe.Events}), and {@link
 * io.bobbin.internal.observe.LoopObserver}, the one object through which a loop reaches all of this.
 * <b>Internal</b>.
 *
 * <p>Nothing here runs on the suspend/resume path: frames are read only when asked, and a loop times
 * its steps only while it has a slow-step threshold or a recording wants task run times.
 *
 * <p>Threads: a loop's observer belongs to the loop's thread, but for what it publishes to the
 * watchdog ({@link io.bobbin.internal.observe.StepWatch}, written by the loop's thread, read by the
 * watchdog's) and the MBean (read from JMX threads through the loop's thread-safe accessors). A
 * suspended task's frames are read on its loop's thread; other threads hand the read over to it
 * ({@link io.bobbin.internal.observe.OnLoop}) and wait a bounded time for the answer.
 */
package io.bobbin.internal.observe;
