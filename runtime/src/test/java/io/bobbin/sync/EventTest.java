package io.bobbin.sync;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rules of {@link Event}, one test each. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventTest {

    @Test
    void awaitReturnsAtOnceWhileTheEventIsSet() throws Exception {
        List<String> log = new ArrayList<>();
        Event e = new Event();
        assertFalse(e.isSet());
        e.set();
        assertTrue(e.isSet());
        EventLoop.run(() -> {
            Async.spawn(() -> log.add("other task ran"));
            e.await();
            e.await();
            log.add("awaited");
            Async.yieldNow();
            return null;
        });
        assertEquals(List.of("awaited", "other task ran"), log);
        e.await(); // plain code, set: no wait
    }

    @Test
    void setWakesEveryWaiterInTheOrderTheyCame() throws Exception {
        List<String> log = new ArrayList<>();
        Event e = new Event();
        EventLoop.run(() -> {
            List<Task<Object>> waiters = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                waiters.add(Async.spawn(() -> {
                    e.await();
                    log.add(name);
                    return null;
                }));
            }
            Async.yieldNow();
            assertEquals(3, e.waiting());
            log.add("set");
            e.set();
            e.set(); // setting a set event does nothing
            assertEquals(0, e.waiting());
            Async.joinAll(waiters);
            return null;
        });
        assertEquals(List.of("set", "a", "b", "c"), log);
    }

    @Test
    void clearMakesLaterAwaitsWaitAgain() throws Exception {
        List<String> log = new ArrayList<>();
        Event e = new Event();
        e.set();
        e.clear();
        assertFalse(e.isSet());
        EventLoop.run(() -> {
            Task<Object> waiter = Async.spawn(() -> {
                e.await();
                log.add("woken");
                return null;
            });
            Async.sleep(Duration.ofMillis(10));
            log.add("still waiting: " + !waiter.isDone());
            e.set();
            waiter.join();
            return null;
        });
        assertEquals(List.of("still waiting: true", "woken"), log);
    }

    @Test
    void aCancelledOrTimedOutAwaitLeavesNothingBehind() throws Exception {
        Event e = new Event();
        EventLoop.run(() -> {
            Task<Object> waiter = Async.spawn(() -> {
                e.await();
                return null;
            });
            Async.yieldNow();
            assertEquals(1, e.waiting());
            waiter.cancel();
            Thrown.by(CancellationException.class, waiter::join);
            assertEquals(0, e.waiting());
            Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(5), () -> {
                e.await();
                return null;
            }));
            assertEquals(0, e.waiting());
            return null;
        });
    }

    @Test
    void tasksOfTwoLoopsAndPlainThreadsWaitForOneEvent() throws Exception {
        Event e = new Event();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            List<Task<Object>> tasks = new ArrayList<>();
            for (EventLoop loop : List.of(a, b)) {
                tasks.add(loop.spawn(() -> {
                    e.await();
                    log.add("task");
                    return null;
                }));
            }
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Thread t = new Thread(() -> {
                    e.await();
                    log.add("thread");
                });
                t.start();
                threads.add(t);
            }
            while (e.waiting() < 4) {
                Thread.sleep(1);
            }
            assertEquals(List.of(), log);
            e.set();
            Async.joinAll(tasks);
            for (Thread t : threads) {
                t.join();
            }
        }
        assertEquals(4, log.size());
        assertEquals(2, Collections.frequency(log, "task"));
    }

    @Test
    void aWaitOnTheLoopsThreadOutsideATaskThrowsButASetEventDoesNot() throws Exception {
        Event e = new Event();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        EventLoop.run(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            EventLoop.current().callSoon(() -> {
                try {
                    e.await();
                } catch (Throwable x) {
                    thrown.set(x);
                }
                e.set();
                e.await(); // set: no wait
                done.complete(null);
            });
            Async.await(done);
            return null;
        });
        assertTrue(thrown.get() instanceof IllegalStateException, "" + thrown.get());
        assertTrue(thrown.get().getMessage().startsWith("Event.await() was called on the thread of"), thrown.get().getMessage());
        assertEquals(0, e.waiting());
    }
}
