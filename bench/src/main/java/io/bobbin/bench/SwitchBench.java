package io.bobbin.bench;

import io.bobbin.Continuation;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Benchmark 1, switch: one suspend + resume round trip at call depth 1, 10 and 50. Each operation
 * is one {@code resume()}: the continuation restores its {@code depth} frames, returns out of
 * {@code suspend()}, unwinds to its loop, calls down {@code depth} frames again and suspends, saving
 * them. Bobbin's {@link Continuation} against the JDK's internal one running the same code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SwitchBench {
    @Param({"1", "10", "50"})
    public int depth;

    private Continuation bobbin;
    private Object jdk;

    @Setup(Level.Trial)
    public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) {
        final int d = depth;
        if (params.getBenchmark().endsWith("bobbin")) {
            bobbin = new Continuation(() -> {
                while (true) {
                    Frames.down(d, 0);
                }
            });
            bobbin.resume(); // now suspended at depth d
        } else {
            jdk = JdkContinuations.create(() -> {
                while (true) {
                    PlainFrames.downYieldJdk(d, 0);
                }
            });
            JdkContinuations.run(jdk);
        }
    }

    @Benchmark
    public void bobbin() {
        bobbin.resume();
    }

    @Benchmark
    public void jdk() {
        JdkContinuations.run(jdk);
    }
}
