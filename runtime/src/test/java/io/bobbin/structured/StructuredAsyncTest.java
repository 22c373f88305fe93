package io.bobbin.structured;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.SuspendableCallable;
import io.bobbin.Task;
import io.bobbin.internal.task.LoopTask;
import io.bobbin.sync.Event;
import java.io.IOException;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rules of {@code Async.joinAll}, {@code firstDone}, {@code race}, {@code withTimeoutOrNull} and {@code shielded}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StructuredAsyncTest {

    /** The completion callbacks a task holds now (nothing left behind by a cancelled wait). */
    static int callbacks(Task<?> t) throws Exception {
        Field f = LoopTask.class.getDeclaredField("callbacks");
        f.setAccessible(true);
        synchronized (t) {
            List<?> l = (List<?>) f.get(t);
            return l == null ? 0 : l.size();
        }
    }

    static Task<String> after(long millis, String value) {
        return Async.spawn(() -> {
            Async.sleep(Duration.ofMillis(millis));
            return value;
        });
    }

    // ---- joinAll ---------------------------------------------------------------------------------

    @Test
    void joinAllReturnsTheResultsInTheCollectionsOrder() throws Exception {
        List<String> r = EventLoop.run(() -> Async.joinAll(List.of(after(30, "a"), after(10, "b"), after(20, "c"))));
        assertEquals(List.of("a", "b", "c"), r);
    }

    @Test
    void joinAllThrowsTheFirstFailureAsItIsAsSoonAsItHappensAndTheOthersGoOn() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            IOException thrown = new IOException("second fails first");
            Event release = new Event();
            Task<String> slow = Async.spawn(() -> {
                release.await();
                log.add("slow ends");
                return "slow";
            });
            Task<String> failing = Async.spawn(() -> {
                Async.sleep(Duration.ofMillis(5));
                throw thrown;
            });
            IOException e = Thrown.by(IOException.class, () -> Async.joinAll(List.of(slow, failing)));
            assertSame(thrown, e);
            log.add("joinAll threw, slow still running: " + !slow.isDone());
            release.set();
            assertEquals("slow", slow.join());
            assertEquals(0, callbacks(slow), "its callback was taken back");
            return null;
        });
        assertEquals(List.of("joinAll threw, slow still running: true", "slow ends"), log);
    }

    @Test
    void joinAllOfAnEmptyCollectionIsAnEmptyListAndNullsAreRefused() throws Exception {
        assertEquals(List.of(), Async.joinAll(List.of()));
        assertThrows(NullPointerException.class, () -> Async.joinAll(null));
        List<Task<Object>> withNull = new ArrayList<>();
        withNull.add(null);
        NullPointerException e = assertThrows(NullPointerException.class, () -> Async.joinAll(withNull));
        assertTrue(e.getMessage().contains("index 0"), e.getMessage());
    }

    @Test
    void joinAllOfACancelledTaskThrowsItsCancellationException() throws Exception {
        EventLoop.run(() -> {
            Task<String> ok = after(1, "ok");
            Task<String> cancelled = after(10_000, "never");
            cancelled.cancel();
            Thrown.by(CancellationException.class, () -> Async.joinAll(List.of(ok, cancelled)));
            return null;
        });
    }

    @Test
    void joinAllOfTasksThatHaveEndedDoesNotSuspend() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Task<String> a = after(1, "a");
            a.join();
            Async.spawn(() -> log.add("other task"));
            log.add("joined " + Async.joinAll(List.of(a, a)));
            Async.yieldNow();
            return null;
        });
        assertEquals(List.of("joined [a, a]", "other task"), log);
    }

    @Test
    void joinAllWaitsForTasksOfOtherLoopsAndInPlainCodeBlocks() throws Exception {
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            Task<Integer> x = a.spawn(() -> {
                Async.sleep(Duration.ofMillis(10));
                return 1;
            });
            Task<Integer> y = b.spawn(() -> {
                Async.sleep(Duration.ofMillis(20));
                return 2;
            });
            assertEquals(List.of(1, 2), Async.joinAll(List.of(x, y))); // a plain thread: blocks
            Task<List<Integer>> z = a.spawn(() -> Async.joinAll(List.of(x, y, b.spawn(() -> 3))));
            assertEquals(List.of(1, 2, 3), z.join());
        }
    }

    @Test
    void aCancelledJoinAllLeavesNoCallbackOnTheTasksWhichGoOn() throws Exception {
        EventLoop.run(() -> {
            Task<String> a = after(10_000, "a");
            Task<String> b = after(10_000, "b");
            Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(5), () -> Async.joinAll(List.of(a, b))));
            assertEquals(0, callbacks(a));
            assertEquals(0, callbacks(b));
            assertFalse(a.isDone() || b.isDone());
            a.cancel();
            b.cancel();
            return null;
        });
    }

    // ---- firstDone -------------------------------------------------------------------------------

    @Test
    void firstDoneReturnsTheFirstTaskToEndAndCancelsNothing() throws Exception {
        EventLoop.run(() -> {
            Event release = new Event();
            Task<String> slow = Async.spawn(() -> {
                release.await();
                return "slow";
            });
            Task<String> quick = after(5, "quick");
            Task<String> first = Async.firstDone(List.of(slow, quick));
            assertSame(quick, first);
            assertFalse(slow.isDone());
            assertEquals(0, callbacks(slow));
            release.set();
            assertEquals("slow", slow.join(), "not cancelled");
            return null;
        });
    }

    @Test
    void firstDoneCountsAnEndOfAnyKind() throws Exception {
        EventLoop.run(() -> {
            Task<String> slow = after(10_000, "slow");
            Task<String> failing = Async.spawn(() -> {
                Async.sleep(Duration.ofMillis(5));
                throw new IOException("x");
            });
            assertSame(failing, Async.firstDone(List.of(slow, failing)));
            Task<String> cancelled = after(10_000, "c");
            Async.spawn(() -> cancelled.cancel());
            assertSame(cancelled, Async.firstDone(List.of(slow, cancelled)));
            slow.cancel();
            return null;
        });
    }

    @Test
    void firstDoneReturnsATaskThatHadEndedAtOnceWithoutSuspending() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Task<String> running = after(10_000, "r");
            Task<String> a = after(1, "a");
            Task<String> b = after(1, "b");
            Async.joinAll(List.of(a, b));
            Async.spawn(() -> log.add("other task"));
            log.add("first done: " + Async.firstDone(List.of(running, b, a)).resultNow());
            Async.yieldNow();
            running.cancel();
            return null;
        });
        assertEquals(List.of("first done: b", "other task"), log);
    }

    @Test
    void firstDoneOfNothingIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Async.firstDone(List.<Task<Object>>of()));
        assertTrue(e.getMessage().startsWith("Async.firstDone(): the collection of tasks is empty"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Async.firstDone(null));
    }

    @Test
    void firstDoneInPlainCodeBlocksAndACancelledOneLeavesNothingBehind() throws Exception {
        try (EventLoop a = EventLoop.start()) {
            Task<String> slow = a.spawn(() -> {
                Async.sleep(Duration.ofDays(1));
                return "slow";
            });
            Task<String> quick = a.spawn(() -> {
                Async.sleep(Duration.ofMillis(10));
                return "quick";
            });
            assertSame(quick, Async.firstDone(List.of(slow, quick)));
            assertNull(a.spawn(() -> Async.withTimeoutOrNull(Duration.ofMillis(5), () -> Async.firstDone(List.of(slow)))).join());
            assertEquals(0, callbacks(slow));
            slow.cancel();
        }
    }

    // ---- race ------------------------------------------------------------------------------------

    @Test
    void raceReturnsTheFirstSuccessCancelsTheOthersAndReturnsOnlyAfterTheyHaveEnded() throws Exception {
        List<String> log = new ArrayList<>();
        Event never = new Event();
        String r = EventLoop.run(() -> {
            String v = Async.race(
                    () -> {
                        try {
                            never.await();
                            return "slow";
                        } finally {
                            Async.sleep(Duration.ofMillis(10)); // clean-up that race waits for
                            log.add("slow body's finally done");
                        }
                    },
                    () -> {
                        Async.sleep(Duration.ofMillis(5));
                        log.add("quick body returns");
                        return "quick";
                    });
            log.add("race returned " + v);
            return v;
        });
        assertEquals("quick", r);
        assertEquals(List.of("quick body returns", "slow body's finally done", "race returned quick"), log);
    }

    @Test
    void aFailingBodyDoesNotEndTheRaceWhileAnotherMaySucceed() throws Exception {
        String r = EventLoop.run(() -> Async.race(
                () -> {
                    throw new IOException("fails at once");
                },
                () -> {
                    Async.sleep(Duration.ofMillis(10));
                    return "later success";
                }));
        assertEquals("later success", r);
    }

    @Test
    void whenEveryBodyFailsRaceThrowsTheFirstFailureWithTheOthersSuppressed() throws Exception {
        IOException e = EventLoop.run(() -> Thrown.by(IOException.class, () -> Async.race(
                () -> {
                    Async.sleep(Duration.ofMillis(20));
                    throw new IllegalStateException("third");
                },
                () -> {
                    throw new IOException("first");
                },
                () -> {
                    Async.sleep(Duration.ofMillis(5));
                    throw new IllegalArgumentException("second");
                })));
        assertEquals("first", e.getMessage());
        assertEquals(2, e.getSuppressed().length);
        assertEquals("second", e.getSuppressed()[0].getMessage());
        assertEquals("third", e.getSuppressed()[1].getMessage());
    }

    @Test
    void raceRunsEachBodyAsATaskOfTheCurrentLoop() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Task<?> caller = Async.currentTask();
            EventLoop loop = EventLoop.current();
            return Async.race(() -> {
                log.add("own task: " + (Async.currentTask() != caller) + ", same loop: " + (EventLoop.current() == loop));
                return 1;
            });
        });
        assertEquals(List.of("own task: true, same loop: true"), log);
    }

    @Test
    void raceOfNoBodiesOrANullBodyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Async.race());
        assertEquals("Async.race(): no bodies to race; pass at least one", e.getMessage());
        assertThrows(NullPointerException.class, () -> Async.race(() -> 1, null));
        assertThrows(NullPointerException.class, () -> Async.race((SuspendableCallable<Object>[]) null));
    }

    @Test
    void cancellingTheCallerCancelsEveryBodyAndTheCancellationComesOutAfterThem() throws Exception {
        List<String> log = new ArrayList<>();
        Event started = new Event();
        EventLoop.run(() -> {
            Task<Object> caller = Async.spawn(() -> Async.race(
                    () -> {
                        try {
                            started.set();
                            Async.sleep(Duration.ofDays(1));
                            return "a";
                        } finally {
                            log.add("a cancelled");
                        }
                    },
                    () -> {
                        try {
                            Async.sleep(Duration.ofDays(1));
                            return "b";
                        } finally {
                            log.add("b cancelled");
                        }
                    }));
            started.await();
            Async.yieldNow();
            caller.cancel();
            Thrown.by(CancellationException.class, caller::join);
            log.add("caller ended");
            return null;
        });
        assertEquals(List.of("a cancelled", "b cancelled", "caller ended"), log);
    }

    @Test
    void raceInPlainCodeRunsOnAPrivateLoop() throws Exception {
        assertEquals("x", Async.race(() -> {
            Async.sleep(Duration.ofMillis(1));
            return "x";
        }));
    }

    // ---- withTimeoutOrNull -----------------------------------------------------------------------

    @Test
    void withTimeoutOrNullReturnsNullOnItsOwnExpiryAfterTheBodysFinally() throws Exception {
        List<String> log = new ArrayList<>();
        String r = EventLoop.run(() -> {
            String v = Async.withTimeoutOrNull(Duration.ofMillis(10), () -> {
                try {
                    Async.sleep(Duration.ofDays(1));
                    return "slept";
                } finally {
                    log.add("finally");
                }
            });
            log.add("returned " + v);
            Async.sleep(Duration.ofMillis(1)); // the task goes on normally
            return "went on";
        });
        assertEquals("went on", r);
        assertEquals(List.of("finally", "returned null"), log);
    }

    @Test
    void withTimeoutOrNullReturnsTheValueOfABodyThatEndsInTime() throws Exception {
        assertEquals("v", EventLoop.run(() -> Async.withTimeoutOrNull(Duration.ofSeconds(10), () -> {
            Async.sleep(Duration.ofMillis(1));
            return "v";
        })));
    }

    @Test
    void anOuterExpiryPassesThroughWithTimeoutOrNullAsCancellation() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(10), () -> {
                try {
                    return Async.withTimeoutOrNull(Duration.ofSeconds(30), () -> {
                        Async.sleep(Duration.ofDays(1));
                        return "inner";
                    });
                } catch (CancellationException e) {
                    log.add("passed through as cancellation");
                    throw e;
                }
            }));
            return null;
        });
        assertEquals(List.of("passed through as cancellation"), log);
    }

    @Test
    void aTimeoutExceptionFromInsideTheBodyIsNotItsOwnExpiry() throws Exception {
        EventLoop.run(() -> {
            Thrown.by(TimeoutException.class, () -> Async.withTimeoutOrNull(Duration.ofSeconds(30),
                    () -> Async.withTimeout(Duration.ofMillis(5), () -> {
                        Async.sleep(Duration.ofDays(1));
                        return "x";
                    })));
            return null;
        });
    }

    @Test
    void withTimeoutOrNullWithAZeroLimitExpiresAtTheFirstSuspensionPointAndABodyThatSwallowsItKeepsItsValue() throws Exception {
        EventLoop.run(() -> {
            assertEquals("no suspension", Async.withTimeoutOrNull(Duration.ZERO, () -> "no suspension"));
            assertNull(Async.withTimeoutOrNull(Duration.ofMillis(-1), () -> {
                Async.yieldNow();
                return "after";
            }));
            assertEquals("swallowed", Async.withTimeoutOrNull(Duration.ZERO, () -> {
                try {
                    Async.yieldNow();
                    return "not this";
                } catch (CancellationException e) {
                    return "swallowed";
                }
            }));
            return null;
        });
        assertNull(Async.withTimeoutOrNull(Duration.ofMillis(5), () -> { // plain code: a private loop
            Async.sleep(Duration.ofDays(1));
            return "x";
        }));
    }

    // ---- shielded --------------------------------------------------------------------------------

    @Test
    void aCancellationRequestedInAShieldIsDeliveredAtTheFirstSuspensionPointAfterIt() throws Exception {
        List<String> log = new ArrayList<>();
        Event inside = new Event();
        EventLoop.run(() -> {
            Task<Object> t = Async.spawn(() -> {
                String v = Async.shielded(() -> {
                    inside.set();
                    Async.sleep(Duration.ofMillis(20)); // not a cancellation point here
                    log.add("shielded body done");
                    return "value";
                });
                log.add("shielded returned " + v);
                try {
                    Async.yieldNow();
                    log.add("not cancelled");
                } catch (CancellationException e) {
                    log.add("cancelled at the first suspension point after it");
                }
                return null;
            });
            inside.await();
            t.cancel();
            t.join();
            return null;
        });
        assertEquals(List.of("shielded body done", "shielded returned value", "cancelled at the first suspension point after it"), log);
    }

    @Test
    void aTimeoutExpiringInAShieldIsHeldBackToo() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(5), () -> {
                Async.shielded(() -> {
                    Async.sleep(Duration.ofMillis(30));
                    log.add("shield done");
                    return null;
                });
                log.add("after the shield");
                Async.yieldNow();
                log.add("never");
                return null;
            }));
            return null;
        });
        assertEquals(List.of("shield done", "after the shield"), log);
    }

    @Test
    void aWithTimeoutInsideAShieldStillWorksAndExceptionsPassThrough() throws Exception {
        EventLoop.run(() -> {
            assertNull(Async.shielded(() -> Async.withTimeoutOrNull(Duration.ofMillis(5), () -> {
                Async.sleep(Duration.ofDays(1));
                return "x";
            })));
            Thrown.by(IOException.class, () -> Async.shielded(() -> {
                throw new IOException("as it is");
            }));
            return null;
        });
        assertEquals("plain", Async.shielded(() -> "plain"));
    }

    @Test
    void theNewMethodsOnALoopsThreadOutsideATaskSaySo() throws Exception {
        AtomicReference<List<String>> messages = new AtomicReference<>(new ArrayList<>());
        EventLoop.run(() -> {
            Task<String> running = after(10_000, "r");
            CompletableFuture<Void> done = new CompletableFuture<>();
            EventLoop.current().callSoon(() -> {
                for (SuspendableCallable<?> c : List.<SuspendableCallable<?>>of(
                        () -> Async.joinAll(List.of(running)),
                        () -> Async.firstDone(List.of(running)),
                        () -> Async.race(() -> 1),
                        () -> Async.withTimeoutOrNull(Duration.ofSeconds(1), () -> 1),
                        () -> Async.shielded(() -> 1))) {
                    try {
                        c.call();
                        messages.get().add("no exception");
                    } catch (Exception e) {
                        messages.get().add(e.getMessage().replaceAll(" was called .*", ""));
                    }
                }
                done.complete(null);
            });
            Async.await(done);
            running.cancel();
            return null;
        });
        assertEquals(List.of("Async.joinAll()", "Async.firstDone()", "Async.race()", "Async.withTimeoutOrNull()",
                "Async.shielded()"), messages.get());
    }

    @Test
    void joinAllAndFirstDoneOfEndedTasksWorkAnywhereAsTheyNeedNotWait() throws Exception {
        AtomicReference<String> got = new AtomicReference<>();
        EventLoop.run(() -> {
            Task<String> a = after(1, "a");
            Task<String> b = after(1, "b");
            Async.joinAll(List.of(a, b));
            CompletableFuture<Void> done = new CompletableFuture<>();
            EventLoop.current().callSoon(() -> {
                try {
                    got.set(Async.joinAll(List.of(a, b)) + " " + Async.firstDone(List.of(b, a)).resultNow());
                } catch (Exception e) {
                    got.set(e.toString());
                }
                done.complete(null);
            });
            Async.await(done);
            return null;
        });
        assertEquals("[a, b] b", got.get());
    }

    @Test
    void nullArgumentsAreRefusedAtOnce() {
        assertThrows(NullPointerException.class, () -> Async.withTimeoutOrNull(null, () -> 1));
        assertThrows(NullPointerException.class, () -> Async.withTimeoutOrNull(Duration.ofSeconds(1), null));
        assertThrows(NullPointerException.class, () -> Async.shielded(null));
    }
}
