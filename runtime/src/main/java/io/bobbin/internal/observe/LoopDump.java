package io.bobbin.internal.observe;

import io.bobbin.LoopStats;
import io.bobbin.internal.task.LoopTask;
import io.bobbin.internal.task.Wait;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The text of a loop's dump, read like a thread dump: a header with the loop's counters, then one
 * block per live task, in the order they were spawned:
 *
 * <pre>
 * "name/task-2" waiting: join of name/task-3
 * 	at io.bobbin.Task.join(Task.java)
 * 	at com.example.Main.lambda$main$0(Main.java:12)
 * </pre>
 *
 * The first line names the task, its state ({@code new}: spawned, not started yet; {@code ready}:
 * queued to run; {@code running}; {@code waiting}) and, for a waiting task, what it waits for (the
 * wait's own words: sleep until a time of the loop's clock, a readable or writable channel, the join
 * of a task, blocking work on the pool, a stage, a lock or a channel). The frames follow, innermost
 * first, as {@link TaskFrames} gives them; a running task (the one that asked for the dump) shows
 * its live frames.
 *
 * <p>Threads: {@link #take} from any thread; {@link #describe} on the loop's thread.
 */
public final class LoopDump {
    private LoopDump() {}

    /**
     * The dump of a loop, from any thread: {@code onLoop} runs on the loop's thread (at once when
     * called there); another thread waits for it up to {@link OnLoop#ANSWER_WAIT_MILLIS}, and if the
     * loop's thread does not answer, gets a text that says so, with where that thread is.
     */
    public static String take(String loopName, Thread loopThread, LoopObserver observer,
                              Predicate<Runnable> onHostThread, Supplier<String> onLoop) {
        OnLoop<String> a = OnLoop.ask(onHostThread, onLoop);
        switch (a.outcome()) {
            case ANSWERED:
                return a.value();
            case LOOP_ENDED:
                return "Event loop " + loopName + " has ended: it has no tasks.\n";
            default:
                return noAnswer(loopName, loopThread, observer.running(), a.whyNoAnswer(loopName));
        }
    }

    private static String noAnswer(String loopName, Thread thread, String running, String why) {
        StringBuilder b = new StringBuilder();
        b.append("Event loop ").append(loopName).append(": no dump, ").append(why).append(".\n");
        if (running != null) {
            b.append("It is running ").append(running).append(".\n");
        }
        if (thread != null) {
            StackTraceElement[] sample = thread.getStackTrace();
            b.append("Its thread \"").append(thread.getName()).append("\" is ").append(thread.getState()).append(" at:\n");
            for (StackTraceElement e : TaskFrames.stepFrames(sample)) {
                TaskFrames.appendFrame(b, e);
            }
        }
        return b.toString();
    }

    /** Loop thread: the dump of the loop's live tasks. */
    public static String describe(String loopName, Thread thread, long loopTime, LoopStats stats,
                                  Collection<? extends LoopTask<?>> live) {
        List<LoopTask<?>> tasks = new ArrayList<>(live);
        tasks.sort(Comparator.comparingLong(LoopTask::id));
        int[] byState = new int[4];
        for (LoopTask<?> t : tasks) {
            String s = t.stateName();
            byState[s.equals("new") ? 0 : s.equals("ready") ? 1 : s.equals("running") ? 2 : 3]++;
        }
        StringBuilder b = new StringBuilder();
        b.append("Event loop ").append(loopName).append(" on thread \"").append(thread == null ? "?" : thread.getName())
                .append("\", loop time ").append(loopTime).append(" ns: ").append(plural(tasks.size(), "task"))
                .append(" (").append(byState[2]).append(" running, ").append(byState[1]).append(" ready, ")
                .append(byState[3]).append(" waiting, ").append(byState[0]).append(" new)\n");
        b.append(plural(stats.timers(), "timer")).append(", ").append(plural(stats.registeredChannels(), "channel"))
                .append(" registered, ").append(plural(stats.blockingThreads(), "blocking thread")).append(", ")
                .append(plural(stats.stepsRun(), "step")).append(" run in ").append(plural(stats.turns(), "turn")).append('\n');
        for (LoopTask<?> t : tasks) {
            b.append('\n');
            task(b, t);
        }
        return b.toString();
    }

    private static void task(StringBuilder b, LoopTask<?> t) {
        String state = t.stateName();
        b.append('"').append(t).append("\" ").append(state);
        Wait w = t.currentWait();
        if (w != null) {
            b.append(": ").append(w.describe());
        }
        b.append('\n');
        StackTraceElement[] frames = state.equals("running")
                ? TaskFrames.running(Thread.currentThread().getStackTrace())
                : t.suspendedFrames();
        for (StackTraceElement e : frames) {
            TaskFrames.appendFrame(b, e);
        }
    }

    private static String plural(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
