package io.bobbin.bench;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Benchmark 2, task switch: two tasks ping-ponging, per round trip (A runs, switches to B, B runs,
 * switches back to A). Each invocation starts the two, lets them make {@value #ROUNDS} round trips
 * and joins them, so the start-up (a new loop, two threads) is amortized over {@value #ROUNDS}.
 * <ul>
 *   <li>{@code bobbin}: two tasks on one {@link EventLoop}, each calling {@link Async#yieldNow()}.</li>
 *   <li>{@code virtualYield}: two virtual threads calling {@code Thread.yield()} on a scheduler with
 *       one carrier (so that a yield hands over to the other one): the same as Bobbin's one thread.</li>
 *   <li>{@code virtualHandoff}, {@code platformHandoff}: two threads handing a turn to each other
 *       with {@code LockSupport.park/unpark}, on the default scheduler / as platform threads.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TaskSwitchBench {
    static final int ROUNDS = 100_000;

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public Object bobbin() throws Exception {
        return EventLoop.run(() -> {
            Task<Object> a = Async.spawn(TaskSwitchBench::yielder);
            Task<Object> b = Async.spawn(TaskSwitchBench::yielder);
            a.join();
            b.join();
            return a;
        });
    }

    @io.bobbin.Suspendable
    static Object yielder() {
        for (int i = 0; i < ROUNDS; i++) {
            Async.yieldNow();
        }
        return null;
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    @Fork(jvmArgsAppend = {"-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1"})
    public void virtualYield() throws InterruptedException {
        ThreadFactory f = Threads.virtualFactory();
        Runnable r = () -> {
            for (int i = 0; i < ROUNDS; i++) {
                Thread.yield();
            }
        };
        Thread a = f.newThread(r);
        Thread b = f.newThread(r);
        a.start();
        b.start();
        a.join();
        b.join();
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public void virtualHandoff() throws InterruptedException {
        handoff(Threads.virtualFactory());
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public void platformHandoff() throws InterruptedException {
        handoff(Thread::new);
    }

    private volatile int turn;

    private void handoff(ThreadFactory f) throws InterruptedException {
        turn = 0;
        Thread[] ts = new Thread[2];
        for (int k = 0; k < 2; k++) {
            final int me = k;
            ts[k] = f.newThread(() -> {
                Thread other = ts[1 - me];
                for (int i = 0; i < ROUNDS; i++) {
                    while (turn != me) {
                        LockSupport.park(this);
                    }
                    turn = 1 - me;
                    LockSupport.unpark(other);
                }
            });
        }
        ts[0].start();
        ts[1].start();
        ts[0].join();
        ts[1].join();
    }
}
