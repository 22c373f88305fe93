package io.bobbin.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.EventLoopGroup;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Where a group's tasks run: a thread per loop, placement by load, children at home, take-over of unstarted tasks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupPlacementTest {

    /** The loop threads of a group, one per loop, found from a task on each. */
    static List<Thread> loopThreads(EventLoopGroup group) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (EventLoop loop : group.loops()) {
            threads.add(loop.spawn(Thread::currentThread).toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
        return threads;
    }

    @Test
    void startMakesTheAskedLoopsEachOnAThreadOfItsOwn() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(3)) {
            assertEquals(3, group.loops().size());
            List<Thread> threads = loopThreads(group);
            assertEquals(3, new HashSet<>(threads).size(), "three distinct threads: " + threads);
            for (int i = 0; i < 3; i++) {
                EventLoop loop = group.loops().get(i);
                assertEquals(threads.get(i).getName(), loop.name());
                assertTrue(loop.name().matches("bobbin-group-\\d+-loop-" + (i + 1)), loop.name());
                assertNotEquals(Thread.currentThread(), threads.get(i));
            }
            assertThrows(UnsupportedOperationException.class, () -> group.loops().clear());
        }
    }

    @Test
    void theDefaultGroupHasOneLoopPerAvailableProcessor() {
        try (EventLoopGroup group = EventLoopGroup.start()) {
            assertEquals(Runtime.getRuntime().availableProcessors(), group.loops().size());
        }
    }

    @Test
    void aGroupNeedsAtLeastOneLoop() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventLoopGroup.start(0));
        assertEquals("a group needs at least 1 loop, not 0", e.getMessage());
        try (EventLoopGroup group = EventLoopGroup.start(1)) {
            assertThrows(NullPointerException.class, () -> group.spawn(null));
        }
    }

    @Test
    void groupTasksRunOnTheGroupsLoopsAndSeeTheirLoop() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(2)) {
            List<Thread> threads = loopThreads(group);
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                tasks.add(group.spawn(() -> {
                    EventLoop here = EventLoop.current();
                    int index = group.loops().indexOf(here);
                    assertTrue(index >= 0, "a loop of the group: " + here);
                    assertSame(threads.get(index), Thread.currentThread());
                    assertTrue(here.inLoopThread());
                    return here.name();
                }));
            }
            for (Task<String> t : tasks) {
                assertTrue(t.join().startsWith("bobbin-group-"));
            }
        }
    }

    @Test
    void tasksOfDifferentLoopsRunInParallel() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(2)) {
            CyclicBarrier both = new CyclicBarrier(2);
            // Each task holds its loop's thread until the other has arrived: only possible in parallel.
            Task<Thread> a = group.loops().get(0).spawn(() -> {
                both.await(20, TimeUnit.SECONDS);
                return Thread.currentThread();
            });
            Task<Thread> b = group.loops().get(1).spawn(() -> {
                both.await(20, TimeUnit.SECONDS);
                return Thread.currentThread();
            });
            assertNotEquals(a.join(), b.join());
        }
    }

    @Test
    void childrenStayOnTheirParentsLoop() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(3)) {
            List<Task<Integer>> parents = new ArrayList<>();
            for (int p = 0; p < 30; p++) {
                parents.add(group.spawn(() -> {
                    EventLoop home = EventLoop.current();
                    List<Task<EventLoop>> children = new ArrayList<>();
                    for (int c = 0; c < 10; c++) {
                        children.add(Async.spawn(() -> {
                            Async.sleep(Duration.ofMillis(1));
                            return Async.spawn(EventLoop::current).join(); // a grandchild, too
                        }));
                    }
                    int home2 = 0;
                    for (Task<EventLoop> c : children) {
                        assertSame(home, c.join());
                        home2++;
                    }
                    return home2;
                }));
            }
            for (Task<Integer> p : parents) {
                assertEquals(10, p.join());
            }
        }
    }

    @Test
    void aStartedTaskNeverChangesThread() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(3)) {
            int n = 300;
            Map<Task<?>, Set<Thread>> seen = new ConcurrentHashMap<>();
            List<Task<Set<Thread>>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                tasks.add(group.spawn(() -> {
                    Set<Thread> threads = new HashSet<>();
                    for (int step = 0; step < 20; step++) {
                        threads.add(Thread.currentThread());
                        switch ((k + step) % 4) {
                            case 0: Async.yieldNow(); break;
                            case 1: Async.sleep(Duration.ofMillis(1)); break;
                            case 2: Async.blocking(() -> null); break;
                            default: Async.spawn(() -> 1).join(); break;
                        }
                    }
                    threads.add(Thread.currentThread());
                    return threads;
                }));
                if (i % 50 == 0) {
                    Thread.sleep(2); // in waves, so that queues form and loops take over from each other
                }
            }
            for (Task<Set<Thread>> t : tasks) {
                Set<Thread> threads = t.join();
                seen.put(t, threads);
                assertEquals(1, threads.size(), "one thread for the whole life of " + t + ": " + threads);
            }
            assertEquals(n, seen.size());
        }
    }

    @Test
    void spawnPlacesTasksByLoadNotRoundRobin() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(2)) {
            EventLoop busy = group.loops().get(0);
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch spinning = new CountDownLatch(100);
            List<Task<Void>> spinners = new ArrayList<>();
            for (int i = 0; i < 100; i++) { // 100 live tasks that are always ready: the busy loop is never idle
                spinners.add(busy.spawn(() -> {
                    spinning.countDown();
                    while (!stop.get()) {
                        Async.yieldNow();
                    }
                    return null;
                }));
            }
            assertTrue(spinning.await(20, TimeUnit.SECONDS));
            CompletableFuture<Void> release = new CompletableFuture<>();
            List<Task<EventLoop>> tasks = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                tasks.add(group.spawn(() -> {
                    EventLoop here = EventLoop.current();
                    Async.await(release);
                    return here;
                }));
            }
            release.complete(null);
            int onBusy = 0;
            for (Task<EventLoop> t : tasks) {
                if (t.join() == busy) {
                    onBusy++;
                }
            }
            stop.set(true);
            for (Task<Void> s : spinners) {
                s.join();
            }
            // Round-robin would put 30 on the busy loop; by load (100 live there, at most 60 on the
            // other) none goes there, and a loop with ready tasks is never idle, so it takes over none.
            assertEquals(0, onBusy, "tasks placed on the loaded loop");
        }
    }

    @Test
    void unstartedGroupTasksAreTakenOverByAnIdleLoop() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(2)) {
            List<Thread> threads = loopThreads(group);
            CountDownLatch blocked = new CountDownLatch(1);
            CountDownLatch unblock = new CountDownLatch(1);
            // The first loop's thread is held (a task blocking its thread, as a long computation would).
            Task<Void> hog = group.loops().get(0).spawn(() -> {
                blocked.countDown();
                unblock.await(30, TimeUnit.SECONDS);
                return null;
            });
            assertTrue(blocked.await(10, TimeUnit.SECONDS));
            int n = 40;
            CountDownLatch started = new CountDownLatch(n);
            CompletableFuture<Void> release = new CompletableFuture<>();
            List<Task<Thread>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) { // they stay live, so placement by load puts about half on the held loop
                tasks.add(group.spawn(() -> {
                    started.countDown();
                    Async.await(release);
                    return Thread.currentThread();
                }));
            }
            // Every one starts while the first loop is still held: the idle loop took over those queued for it.
            assertTrue(started.await(20, TimeUnit.SECONDS), started.getCount() + " tasks never started");
            long takenOver = group.tasksTakenOver();
            assertTrue(takenOver > 0, "some were queued for the held loop and taken over");
            unblock.countDown();
            release.complete(null);
            for (Task<Thread> t : tasks) {
                assertSame(threads.get(1), t.join());
            }
            hog.join();
            assertEquals(takenOver, group.tasksTakenOver(), "no take-over after the fact");
        }
    }

    @Test
    void aGroupOfOneLoopRunsEverythingOnOneThread() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(1)) {
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlap = new AtomicInteger();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                tasks.add(group.spawn(() -> {
                    threads.add(Thread.currentThread());
                    if (inside.incrementAndGet() != 1) {
                        overlap.incrementAndGet();
                    }
                    inside.decrementAndGet();
                    Async.yieldNow();
                    return null;
                }));
            }
            for (Task<Void> t : tasks) {
                t.join();
            }
            assertEquals(1, threads.size());
            assertEquals(0, overlap.get());
            assertEquals(0, group.tasksTakenOver());
            assertNotNull(group.toString());
        }
    }
}
