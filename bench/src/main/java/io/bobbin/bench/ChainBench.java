package io.bobbin.bench;

import io.bobbin.Continuation;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Benchmark 5, overhead when not suspending: one call of a 10-deep chain ({@link Chain#c1} or
 * {@link PlainChain#c1}) doing a little arithmetic, per operation. Each invocation runs the chain
 * {@value #CALLS} times, each call fed with the result of the one before (so that the JIT cannot
 * overlap or vectorize the calls). Inside a continuation, the body runs the {@value #CALLS} calls and
 * then suspends, so one resume/suspend (about 1/{@value #CALLS} of an operation) is included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChainBench {
    static final int CALLS = 1000;

    /** A seed that the JIT cannot see as a constant. */
    public int seed = 42;
    int result;

    private Continuation instrumentedInside;
    private Continuation plainInside;

    @Setup(Level.Trial)
    public void setUp() {
        instrumentedInside = new Continuation(() -> {
            int x = seed;
            while (true) {
                for (int i = 0; i < CALLS; i++) {
                    x = Chain.c1(x);
                }
                result = x;
                Continuation.suspend();
            }
        });
        plainInside = new Continuation(() -> {
            int x = seed;
            while (true) {
                for (int i = 0; i < CALLS; i++) {
                    x = PlainChain.c1(x);
                }
                result = x;
                Continuation.suspend();
            }
        });
    }

    /** The chain without instrumentation, on a plain thread: the baseline. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int plain() {
        int x = seed;
        for (int i = 0; i < CALLS; i++) {
            x = PlainChain.c1(x);
        }
        return x;
    }

    /** The instrumented chain called outside any continuation. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int instrumentedOutside() {
        int x = seed;
        for (int i = 0; i < CALLS; i++) {
            x = Chain.c1(x);
        }
        return x;
    }

    /** The instrumented chain inside a continuation (every frame armed, nothing suspends). */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int instrumentedInside() {
        instrumentedInside.resume();
        return result;
    }

    /** The uninstrumented chain inside a continuation: what the continuation's own loop and switch cost. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int plainInside() {
        plainInside.resume();
        return result;
    }
}
