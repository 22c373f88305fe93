package io.bobbin.bench;

import io.bobbin.EventLoop;
import io.bobbin.TaskGroup;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Benchmark 11, fan-out: {@value #CHILDREN} children, each storing a small result, from the first
 * spawn until all have been joined; the score is the time of the whole fan-out.
 * <ul>
 *   <li>{@code bobbinTaskGroup}: children of one {@link TaskGroup} in a task of a loop (started once);
 *       {@code open} returns when all have ended.</li>
 *   <li>{@code virtualThreadPerTask}: the peer without {@code StructuredTaskScope}: a
 *       virtual-thread-per-task executor, each child submitted, then the executor shut down and
 *       awaited.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FanOutBench {
    static final int CHILDREN = 100_000;

    private EventLoop loop;
    private final long[] results = new long[CHILDREN];

    @Setup(Level.Trial)
    public void start() {
        loop = EventLoop.builder().name("bench-fanout").daemon(true).start();
    }

    @TearDown(Level.Trial)
    public void stop() {
        loop.close();
    }

    @Benchmark
    public Object bobbinTaskGroup() throws Exception {
        return loop.spawn(() -> TaskGroup.open(g -> {
            for (int i = 0; i < CHILDREN; i++) {
                int n = i;
                g.spawn(() -> {
                    results[n] = n * 2L;
                });
            }
            return results;
        })).join();
    }

    @Benchmark
    public Object virtualThreadPerTask() throws Throwable {
        ExecutorService ex = (ExecutorService) MethodHandles.publicLookup()
                .findStatic(java.util.concurrent.Executors.class, "newVirtualThreadPerTaskExecutor",
                        MethodType.methodType(ExecutorService.class))
                .invoke();
        for (int i = 0; i < CHILDREN; i++) {
            int n = i;
            ex.execute(() -> results[n] = n * 2L);
        }
        ex.shutdown();
        if (!ex.awaitTermination(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the virtual threads did not end within a minute");
        }
        return results;
    }
}
