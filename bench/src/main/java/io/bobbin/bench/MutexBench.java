package io.bobbin.bench;

import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.sync.Mutex;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Benchmark 10, an uncontended lock: {@value #N} times lock + a counter's increment + unlock.
 * <ul>
 *   <li>{@code bobbinTask}: {@link Mutex#lock()}/{@code unlock()} in a task of a loop.</li>
 *   <li>{@code reentrantLockPlatform}: the peer, {@link ReentrantLock} on a platform thread (the
 *       benchmark's own).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MutexBench {
    static final int N = 1_000_000;

    private EventLoop loop;
    private final Mutex mutex = new Mutex();
    private final ReentrantLock lock = new ReentrantLock();
    private long counter;

    @Setup(Level.Trial)
    public void start() {
        loop = EventLoop.builder().name("bench-mutex").daemon(true).start();
    }

    @TearDown(Level.Trial)
    public void stop() {
        loop.close();
    }

    @Suspendable
    long lockUnlock() {
        for (int i = 0; i < N; i++) {
            mutex.lock();
            counter++;
            mutex.unlock();
        }
        return counter;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public Object bobbinTask() throws Exception {
        return loop.spawn(this::lockUnlock).join();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long reentrantLockPlatform() {
        for (int i = 0; i < N; i++) {
            lock.lock();
            counter++;
            lock.unlock();
        }
        return counter;
    }
}
