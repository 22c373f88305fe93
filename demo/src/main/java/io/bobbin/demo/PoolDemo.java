package io.bobbin.demo;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.time.Duration;
import java.util.List;

/**
 * Step 4: work that would block the loop goes to its thread pool. {@link Async#blocking} runs a
 * call on one of the loop's pool threads and suspends only the calling task; when the call returns,
 * the pool wakes the loop and the task goes on, on the loop's thread. Meanwhile a ticker task keeps
 * ticking on the loop's thread, on time.
 */
final class PoolDemo implements Demo {
    @Override
    public String name() {
        return "pool";
    }

    @Override
    public String summary() {
        return "CPU-heavy and blocking calls on the pool bridge while a ticker keeps ticking on the loop";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--primes", "N", "the CPU-heavy job counts the primes below N (default 2000000)"),
                Option.valued("--sleep", "MS", "the blocking job sleeps MS milliseconds (default 600)"),
                Option.valued("--tick", "MS", "the ticker's period (default 100)"));
    }

    /** Plain CPU work: counts primes below {@code n} the slow way. Not suspendable, and needs not be. */
    static int countPrimes(int n) {
        int count = 0;
        for (int i = 2; i < n; i++) {
            boolean prime = true;
            for (int d = 2; (long) d * d <= i; d++) {
                if (i % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }

    static String thread() {
        return Thread.currentThread().getName();
    }

    @Override
    public int run(Args args) throws Exception {
        int primesBelow = args.getInt("--primes", 2_000_000, 2, Integer.MAX_VALUE);
        int sleepMillis = args.getInt("--sleep", 600, 0, 60_000);
        int tickMillis = args.getInt("--tick", 100, 1, 10_000);
        long[] longestGap = {0}; // written by the ticker, read after the loop
        System.out.println("the loop runs on thread " + thread());
        EventLoop.run(() -> {
            Stopwatch clock = new Stopwatch();
            Task<Void> ticker = Async.spawn(() -> {
                long last = clock.millis();
                for (int i = 1; ; i++) {
                    Async.sleep(Duration.ofMillis(tickMillis));
                    long now = clock.millis();
                    longestGap[0] = Math.max(longestGap[0], now - last);
                    last = now;
                    System.out.println(clock.stamp() + "  tick " + i + " on " + thread());
                }
            });
            Task<Integer> cpu = Async.spawn(() -> {
                System.out.println(clock.stamp() + "  cpu job: counting the primes below " + primesBelow + " on the pool");
                int primes = Async.blocking(() -> {
                    System.out.println(clock.stamp() + "  cpu job: running on " + thread());
                    return countPrimes(primesBelow);
                });
                System.out.println(clock.stamp() + "  cpu job: done, " + primes + " primes, back on " + thread());
                return primes;
            });
            Task<Void> io = Async.spawn(() -> {
                System.out.println(clock.stamp() + "  blocking job: a call that blocks for " + sleepMillis + " ms, on the pool");
                Async.blocking(() -> {
                    System.out.println(clock.stamp() + "  blocking job: running on " + thread());
                    Thread.sleep(sleepMillis); // stands for a blocking read, a JDBC call, a legacy client...
                    return null;
                });
                System.out.println(clock.stamp() + "  blocking job: done, back on " + thread());
                return null;
            });
            cpu.join();
            io.join();
            ticker.cancel(); // its sleep throws CancellationException; the loop ends once it has
            System.out.println("both jobs done after " + clock.millis() + " ms; the ticker kept ticking meanwhile:"
                    + " longest gap between ticks " + longestGap[0] + " ms for a period of " + tickMillis + " ms");
            return null;
        });
        return 0;
    }
}
