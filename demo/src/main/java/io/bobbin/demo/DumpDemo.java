package io.bobbin.demo;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Step 9: seeing inside a busy loop. A suspended task is not a thread: {@code jstack} does not show
 * it. {@link EventLoop#dump()} does, like a thread dump: each task, its state, what it waits for, and
 * its frames as the user wrote them, read from what its continuation saved (nothing is recorded on the
 * way in or out of a wait). {@link Task#stackTrace()} gives one task's frames, from any thread. With
 * {@code --slow}, a task that blocks the loop's thread is caught by the slow-step watchdog.
 */
final class DumpDemo implements Demo {
    @Override
    public String name() {
        return "dump";
    }

    @Override
    public String summary() {
        return "a busy loop's tasks like a thread dump: state, what each waits for, its frames (EventLoop.dump)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--crunchers", "N", "tasks computing in slices, yielding between them (default 2)"),
                Option.flag("--slow", "also run a task that blocks the loop's thread, caught by the slow-step watchdog"));
    }

    @Override
    public int run(Args args) throws Exception {
        int crunchers = args.getInt("--crunchers", 2, 0, 100);
        BusyLoop busy = new BusyLoop(crunchers);
        try {
            EventLoop.builder().name("dump-demo").run(busy::main);
        } finally {
            busy.pipe.sink().close();
            busy.pipe.source().close();
        }
        if (args.flag("--slow")) {
            System.out.println();
            System.out.println(busy.clock.stamp() + "  another loop, with slowStepThreshold(100 ms): a task calls"
                    + " Thread.sleep(300) on the loop's thread; the watchdog reports it (System.Logger, on standard error)");
            System.out.flush();
            EventLoop.builder().name("slow-demo").slowStepThreshold(Duration.ofMillis(100)).run(() -> {
                Async.spawn(BusyLoop::blockTheLoop).join();
                return null;
            });
            System.out.println(busy.clock.stamp() + "  the slow step has ended; the loop went on");
        }
        return 0;
    }

    /** The loop's tasks; each is a method of this class, spawned by a method reference from here. */
    static final class BusyLoop {
        final int crunchers;
        final Stopwatch clock = new Stopwatch();
        final Pipe pipe;
        final CompletableFuture<String> price = new CompletableFuture<>();
        Task<Void> sleeper;

        BusyLoop(int crunchers) throws IOException {
            this.crunchers = crunchers;
            this.pipe = Pipe.open();
            pipe.source().configureBlocking(false);
        }

        @Suspendable
        Void main() throws Exception {
            System.out.println("a busy loop: a sleeper, a pipe reader, a pool call, a future, a join, " + crunchers
                    + " crunchers; then its dump");
            sleeper = Async.spawn(this::sleeper);
            Task<String> reader = Async.spawn(this::reader);
            Async.spawn(this::lookup);
            Async.spawn(this::quote);
            Async.spawn(this::watchSleeper);
            for (int i = 0; i < crunchers; i++) {
                Async.spawn(this::cruncher);
            }
            Async.sleep(Duration.ofMillis(150)); // everyone settles into its wait
            Async.spawn(this::latecomer); // spawned, not started when the dump is taken

            System.out.println(clock.stamp() + "  EventLoop.dump(), asked by the main task:");
            System.out.println();
            System.out.print(EventLoop.current().dump());
            System.out.println();

            // Task.stackTrace() works from any thread: here from a pool thread, while this task waits for it.
            StackTraceElement[] frames = Async.blocking(reader::stackTrace);
            System.out.println(clock.stamp() + "  the reader's frames, read from another thread with Task.stackTrace():");
            for (StackTraceElement e : frames) {
                System.out.println("\tat " + e);
            }

            System.out.println(clock.stamp() + "  done: the main task returns, and the loop cancels the others");
            return null;
        }

        @Suspendable
        Void sleeper() {
            while (true) {
                nap();
            }
        }

        @Suspendable
        void nap() {
            Async.sleep(Duration.ofSeconds(10));
        }

        @Suspendable
        String reader() throws IOException {
            return readLine();
        }

        @Suspendable
        String readLine() throws IOException {
            ByteBuffer b = ByteBuffer.allocate(256);
            while (pipe.source().read(b) == 0) {
                Async.readable(pipe.source()); // nobody writes: it waits there
            }
            return new String(b.array(), 0, b.position());
        }

        @Suspendable
        String lookup() throws Exception {
            return Async.blocking(() -> {
                Thread.sleep(60_000); // a slow call on a pool thread; the loop's thread stays free
                return "found";
            });
        }

        @Suspendable
        String quote() throws Exception {
            return Async.await(price); // never completed here
        }

        @Suspendable
        Void watchSleeper() throws Exception {
            return sleeper.join();
        }

        @Suspendable
        Long cruncher() {
            long sum = 0;
            for (long slice = 0; ; slice++) {
                sum += crunch(slice);
                Async.yieldNow(); // a slice at a time, so that the others run
            }
        }

        static long crunch(long slice) {
            long x = slice;
            for (int i = 0; i < 200_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            return x;
        }

        @Suspendable
        Void latecomer() {
            return null;
        }

        @Suspendable
        static Void blockTheLoop() throws InterruptedException {
            Thread.sleep(300); // wrong on purpose: Async.sleep would free the loop's thread
            return null;
        }
    }
}
