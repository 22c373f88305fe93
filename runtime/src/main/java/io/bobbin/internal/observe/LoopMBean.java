package io.bobbin.internal.observe;

import io.bobbin.EventLoop;
import io.bobbin.LoopStats;
import java.util.concurrent.TimeUnit;

/** One loop's {@link EventLoopMXBean}: reads its face's thread-safe accessors. Threads: any. */
final class LoopMBean implements EventLoopMXBean {
    private final EventLoop loop;
    private final LoopObserver observer;

    LoopMBean(EventLoop loop, LoopObserver observer) {
        this.loop = loop;
        this.observer = observer;
    }

    @Override
    public String getName() {
        return loop.name();
    }

    @Override
    public String getThreadName() {
        Thread t = observer.thread();
        return t == null ? null : t.getName();
    }

    private LoopStats stats() {
        return loop.stats();
    }

    @Override
    public int getLiveTasks() {
        return stats().liveTasks();
    }

    @Override
    public int getReadyNow() {
        return stats().readyNow();
    }

    @Override
    public int getTimers() {
        return stats().timers();
    }

    @Override
    public int getRegisteredChannels() {
        return stats().registeredChannels();
    }

    @Override
    public int getBlockingThreads() {
        return stats().blockingThreads();
    }

    @Override
    public long getStepsRun() {
        return stats().stepsRun();
    }

    @Override
    public long getTurns() {
        return stats().turns();
    }

    @Override
    public long getWakeups() {
        return stats().wakeups();
    }

    @Override
    public long getCoalescedWakeups() {
        return stats().coalescedWakeups();
    }

    @Override
    public long getSlowStepThresholdMillis() {
        return TimeUnit.NANOSECONDS.toMillis(observer.slowStepThresholdNanos());
    }

    @Override
    public long getSlowSteps() {
        return observer.slowSteps();
    }

    @Override
    public String dump() {
        return loop.dump();
    }
}
