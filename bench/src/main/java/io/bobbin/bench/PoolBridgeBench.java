package io.bobbin.bench;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Benchmark 6, pool bridge: the round trip of handing a piece of blocking work ({@code () -> value})
 * to a thread pool and getting its value back, {@value #CALLS} times per invocation.
 * <ul>
 *   <li>{@code bobbin}: {@code Async.blocking(() -> value)} in a task: the loop's pool runs it, its
 *       completion wakes the loop's selector, the task resumes.</li>
 *   <li>{@code completableFuture}: {@code CompletableFuture.supplyAsync(() -> value).join()} from a
 *       platform thread (the common pool).</li>
 *   <li>{@code virtualDirect}: a virtual thread making the call directly (no bridge needed).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PoolBridgeBench {
    static final int CALLS = 2_000;

    public int value = 42;

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long bobbin() throws Exception {
        final int v = value;
        final Callable<Integer> work = () -> v;
        return EventLoop.run(() -> {
            long sum = 0;
            for (int i = 0; i < CALLS; i++) {
                sum += Async.blocking(work);
            }
            return sum;
        });
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long completableFuture() {
        final int v = value;
        final Supplier<Integer> work = () -> v;
        long sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += CompletableFuture.supplyAsync(work).join();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long virtualDirect() throws Exception {
        final int v = value;
        final Callable<Integer> work = () -> v;
        final long[] sum = new long[1];
        Thread t = Threads.virtualFactory().newThread(() -> {
            try {
                for (int i = 0; i < CALLS; i++) {
                    sum[0] += work.call();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        t.join();
        return sum[0];
    }
}
