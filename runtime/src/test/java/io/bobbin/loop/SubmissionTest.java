package io.bobbin.loop;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubmissionTest {

    @Test
    void spawnAndExecuteFromManyThreads() throws Exception {
        int threads = 8;
        int perThread = 2_000;
        try (EventLoop loop = EventLoop.builder().name("submit").daemon(true).start()) {
            int[] counter = {0}; // touched only on the loop's thread: no lock needed
            List<Thread> ts = new ArrayList<>();
            List<Task<Integer>> tasks = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch executed = new CountDownLatch(threads * perThread);
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> {
                    for (int j = 0; j < perThread; j++) {
                        tasks.add(loop.spawn(() -> {
                            assertTrue(loop.inLoopThread());
                            Async.yieldNow();
                            return ++counter[0];
                        }));
                        loop.execute(() -> {
                            counter[0]++;
                            executed.countDown();
                        });
                    }
                });
                ts.add(t);
                t.start();
            }
            for (Thread t : ts) {
                t.join();
            }
            for (Task<Integer> t : tasks) {
                assertTrue(t.join() > 0);
            }
            assertTrue(executed.await(20, TimeUnit.SECONDS));
            CompletableFuture<Integer> total = new CompletableFuture<>();
            loop.execute(() -> total.complete(counter[0]));
            assertEquals(2 * threads * perThread, total.get());
        }
    }

    @Test
    void aTaskOfOneLoopJoinsATaskOfAnother() throws Exception {
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            Task<String> inA = a.spawn(() -> {
                Async.sleep(Duration.ofMillis(30));
                return "from a";
            });
            Task<String> inB = b.spawn(() -> inA.join() + " via b");
            assertEquals("from a via b", inB.toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void futuresCompletedByOtherThreadsWakeManyTasks() throws Exception {
        int n = 500;
        String r = EventLoop.run(() -> {
            List<CompletableFuture<Integer>> fs = new ArrayList<>();
            List<Task<Integer>> ts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                CompletableFuture<Integer> f = new CompletableFuture<>();
                fs.add(f);
                ts.add(Async.spawn(() -> Async.await(f)));
            }
            Async.yieldNow();
            Thread completer = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    fs.get(i).complete(i);
                }
            });
            completer.start();
            int sum = 0;
            for (Task<Integer> t : ts) {
                sum += t.join();
            }
            EventLoop loop = EventLoop.current();
            return sum + " " + (loop.stats().wakeups() + loop.stats().coalescedWakeups() >= 1);
        });
        assertEquals((n * (n - 1) / 2) + " true", r);
    }

    @Test
    void joinsRacingWithTheEndOfTasksOnAnotherLoopAreNeverLost() throws Exception {
        int n = 2_000;
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            List<Task<Integer>> targets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                targets.add(a.spawn(() -> {
                    for (int k = 0; k < id % 3; k++) {
                        Async.yieldNow();
                    }
                    return id;
                }));
            }
            List<Task<Integer>> joiners = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Task<Integer> t = targets.get(i);
                joiners.add(b.spawn(() -> t.join())); // a lambda: t::join fits both spawn overloads (join is overloaded)
            }
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += targets.get(i).join(); // plain code, racing with the end too
                sum += joiners.get(i).join();
            }
            assertEquals((long) n * (n - 1), sum);
        }
    }
}
