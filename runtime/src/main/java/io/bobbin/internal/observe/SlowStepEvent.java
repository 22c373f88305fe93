package io.bobbin.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A task step or callback held its loop's thread longer than the loop's slow-step threshold:
 * recorded by the watchdog at the moment it reports the step (once per occurrence, as the log
 * record), so only loops with a threshold have them. Enabled by default: it is as rare as the
 * warnings. The event's thread is the watchdog's; the loop thread's stack is a field.
 */
@Name("io.bobbin.SlowStep")
@Label("Slow Step")
@Category("Bobbin")
@Description("A task step or callback held its event loop's thread longer than the loop's slow-step threshold")
@StackTrace(false)
final class SlowStepEvent extends jdk.jfr.Event {
    @Label("Loop")
    String loop;

    @Label("Running")
    @Description("What held the loop's thread: a task, or a callback")
    String running;

    @Label("Method")
    @Description("The outermost method of the step: the task's body or the callback")
    String method;

    @Label("Held For")
    @Description("How long the step had held the loop's thread when it was reported")
    @Timespan(Timespan.NANOSECONDS)
    long heldFor;

    @Label("Threshold")
    @Timespan(Timespan.NANOSECONDS)
    long threshold;

    @Label("Loop Thread Stack")
    @Description("Where the loop's thread was, innermost frame first")
    String stack;
}
