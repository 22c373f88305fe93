package io.bobbin.bench;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import io.bobbin.sync.Channel;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Benchmark 9, channel ping-pong: two parties hand a value back and forth over two rendezvous
 * channels ({@code ping}, {@code pong}), {@value #ROUNDS} round trips per invocation; the score is
 * the time of one hand-over (one way), so a round trip is two operations.
 * <ul>
 *   <li>{@code bobbinOneLoop}: two tasks of one {@link EventLoop}.</li>
 *   <li>{@code bobbinTwoLoops}: a task on each of two loops with threads of their own.</li>
 *   <li>{@code bobbinTaskAndThread}: a task of a loop and a plain thread (which blocks).</li>
 *   <li>{@code virtualSynchronousQueue}: the peer, two virtual threads over two
 *       {@link SynchronousQueue}s; {@code platformSynchronousQueue}: two platform threads.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChannelBench {
    static final int ROUNDS = 20_000;

    private EventLoop a;
    private EventLoop b;

    @Setup(Level.Trial)
    public void start() {
        a = EventLoop.builder().name("bench-a").daemon(true).start();
        b = EventLoop.builder().name("bench-b").daemon(true).start();
    }

    @TearDown(Level.Trial)
    public void stop() {
        a.close();
        b.close();
    }

    @Suspendable
    static Integer pinger(Channel<Integer> ping, Channel<Integer> pong) {
        int sum = 0;
        for (int i = 0; i < ROUNDS; i++) {
            ping.send(i);
            sum += pong.receive();
        }
        return sum;
    }

    @Suspendable
    static Integer ponger(Channel<Integer> ping, Channel<Integer> pong) {
        for (int i = 0; i < ROUNDS; i++) {
            pong.send(ping.receive());
        }
        return 0;
    }

    @Benchmark
    @OperationsPerInvocation(2 * ROUNDS)
    public Object bobbinOneLoop() throws Exception {
        Channel<Integer> ping = Channel.rendezvous();
        Channel<Integer> pong = Channel.rendezvous();
        Task<Integer> p = a.spawn(() -> ponger(ping, pong));
        Task<Integer> q = a.spawn(() -> pinger(ping, pong));
        p.join();
        return q.join();
    }

    @Benchmark
    @OperationsPerInvocation(2 * ROUNDS)
    public Object bobbinTwoLoops() throws Exception {
        Channel<Integer> ping = Channel.rendezvous();
        Channel<Integer> pong = Channel.rendezvous();
        Task<Integer> p = b.spawn(() -> ponger(ping, pong));
        Task<Integer> q = a.spawn(() -> pinger(ping, pong));
        p.join();
        return q.join();
    }

    @Benchmark
    @OperationsPerInvocation(2 * ROUNDS)
    public Object bobbinTaskAndThread() throws Exception {
        Channel<Integer> ping = Channel.rendezvous();
        Channel<Integer> pong = Channel.rendezvous();
        Task<Integer> q = a.spawn(() -> pinger(ping, pong));
        ponger(ping, pong); // this plain thread blocks in each wait
        return q.join();
    }

    @Benchmark
    @OperationsPerInvocation(2 * ROUNDS)
    public Object virtualSynchronousQueue() throws Exception {
        return queues(Threads.virtualFactory());
    }

    @Benchmark
    @OperationsPerInvocation(2 * ROUNDS)
    public Object platformSynchronousQueue() throws Exception {
        return queues(Thread::new);
    }

    private static Object queues(ThreadFactory f) throws InterruptedException {
        SynchronousQueue<Integer> ping = new SynchronousQueue<>();
        SynchronousQueue<Integer> pong = new SynchronousQueue<>();
        int[] sum = new int[1];
        Thread p = f.newThread(() -> {
            try {
                for (int i = 0; i < ROUNDS; i++) {
                    pong.put(ping.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread q = f.newThread(() -> {
            try {
                for (int i = 0; i < ROUNDS; i++) {
                    ping.put(i);
                    sum[0] += pong.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        p.start();
        q.start();
        p.join();
        q.join();
        return sum[0];
    }
}
