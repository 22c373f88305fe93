package io.bobbin.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One piece of {@code Async.blocking} work, recorded on the pool thread that ran it: the event's
 * duration is the time it ran, {@link #queueTime} the time it waited for a thread. Disabled by
 * default (one event per call); enable {@code io.bobbin.BlockingWork}.
 */
@Name("io.bobbin.BlockingWork")
@Label("Blocking Work")
@Category("Bobbin")
@Description("Work a task handed to its loop's blocking pool (Async.blocking): the duration is its run time on the pool thread")
@Enabled(false)
@StackTrace(false)
final class BlockingWorkEvent extends jdk.jfr.Event {
    @Label("Loop")
    String loop;

    @Label("Task")
    String task;

    @Label("Queue Time")
    @Description("How long the work waited for a pool thread")
    @Timespan(Timespan.NANOSECONDS)
    long queueTime;
}
