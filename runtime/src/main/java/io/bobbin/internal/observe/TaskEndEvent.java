package io.bobbin.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A task ended, on its loop's thread. {@link #runTime} and {@link #steps} count the steps the loop
 * timed while this event was enabled (a loop times its steps only then, or when it has a slow-step
 * threshold): for a task that began before the recording, only the part since. Disabled by default
 * (one event per task); enable {@code io.bobbin.TaskEnd}.
 */
@Name("io.bobbin.TaskEnd")
@Label("Task End")
@Category("Bobbin")
@Description("A task of an event loop ended: how, and how long it held the loop's thread in all")
@Enabled(false)
@StackTrace(false)
final class TaskEndEvent extends jdk.jfr.Event {
    @Label("Loop")
    String loop;

    @Label("Task")
    String task;

    @Label("Outcome")
    @Description("returned, failed or cancelled")
    String outcome;

    @Label("Failure")
    @Description("The class of the exception a failed task ended with")
    String failure;

    @Label("Run Time")
    @Description("The time its steps held the loop's thread, measured while this event was enabled")
    @Timespan(Timespan.NANOSECONDS)
    long runTime;

    @Label("Steps")
    @Description("How many times the loop ran it (resumed its continuation), counted while this event was enabled")
    long steps;
}
