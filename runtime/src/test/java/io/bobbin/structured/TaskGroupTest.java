package io.bobbin.structured;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import io.bobbin.TaskGroup;
import io.bobbin.sync.Event;
import java.io.IOException;
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

/** The rules of {@link TaskGroup}, one test each, with exact values and event orders. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TaskGroupTest {

    @Test
    void openRunsTheBodyInTheCallingTaskAndReturnsItsResultOnlyAfterEveryChildHasEnded() throws Exception {
        List<String> log = new ArrayList<>();
        String r = EventLoop.run(() -> {
            Task<?> caller = Async.currentTask();
            String v = TaskGroup.open(g -> {
                assertSame(caller, Async.currentTask(), "the body runs in the calling task");
                g.spawn(() -> {
                    Async.sleep(Duration.ofMillis(30));
                    log.add("slow child ends");
                });
                g.spawn(() -> {
                    log.add("quick child ends");
                });
                log.add("body returns");
                return "body's result";
            });
            log.add("open returned " + v);
            return v;
        });
        assertEquals("body's result", r);
        assertEquals(List.of("body returns", "quick child ends", "slow child ends", "open returned body's result"), log);
    }

    @Test
    void childrenRunOnTheCallersLoopQueuedFifoLikeAsyncSpawn() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            TaskGroup.open(g -> {
                for (String name : List.of("c1", "c2", "c3")) {
                    g.spawn(() -> {
                        log.add(name + (EventLoop.current() == loop ? " on the caller's loop" : " elsewhere"));
                        Async.yieldNow();
                        log.add(name + " again");
                    });
                }
                Async.spawn(() -> log.add("plain spawn after them"));
                log.add("body: nothing ran yet");
                return null;
            });
            return null;
        });
        assertEquals(List.of("body: nothing ran yet", "c1 on the caller's loop", "c2 on the caller's loop",
                "c3 on the caller's loop", "plain spawn after them", "c1 again", "c2 again", "c3 again"), log);
    }

    @Test
    void theFirstFailureCancelsTheBodyAndEveryChildAndLaterFailuresAreSuppressed() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        IOException e = EventLoop.run(() -> Thrown.by(IOException.class, () -> TaskGroup.open(g -> {
            g.spawn(() -> {
                try {
                    Async.sleep(Duration.ofDays(1));
                } finally {
                    log.add("sleeper cancelled");
                    throw new IllegalStateException("later, from a finally");
                }
            });
            g.spawn(() -> {
                Async.sleep(Duration.ofMillis(10));
                log.add("failing child throws");
                throw new IOException("first");
            });
            try {
                Async.sleep(Duration.ofDays(1));
            } catch (CancellationException c) {
                log.add("body cancelled");
                throw c;
            }
            return "unreachable";
        })));
        assertEquals("first", e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertEquals("later, from a finally", e.getSuppressed()[0].getMessage());
        assertEquals(List.of("failing child throws", "body cancelled", "sleeper cancelled"), log);
    }

    @Test
    void aFailureOfTheBodyCancelsTheChildrenAndComesOutOnceTheyHaveEnded() throws Exception {
        List<String> log = new ArrayList<>();
        IllegalArgumentException e = EventLoop.run(() -> Thrown.by(IllegalArgumentException.class, () -> TaskGroup.open(g -> {
            g.spawn(() -> {
                try {
                    Async.sleep(Duration.ofDays(1));
                } finally {
                    Async.sleep(Duration.ofMillis(20)); // its clean-up may suspend: open waits for it
                    log.add("child's finally done");
                }
            });
            Async.yieldNow();
            throw new IllegalArgumentException("body failed");
        })));
        assertEquals("body failed", e.getMessage());
        assertEquals(0, e.getSuppressed().length, "the child's cancellation is not a failure");
        assertEquals(List.of("child's finally done"), log);
    }

    @Test
    void aChildCancelledOnItsOwnIsNotAFailureOfTheGroup() throws Exception {
        String r = EventLoop.run(() -> TaskGroup.open(g -> {
            Task<Void> child = g.spawn(() -> Async.sleep(Duration.ofDays(1)));
            Task<String> other = g.spawn(() -> {
                Async.sleep(Duration.ofMillis(20));
                return "other done";
            });
            Async.yieldNow();
            child.cancel();
            Thrown.by(CancellationException.class, child::join);
            assertFalse(g.isCancelled());
            return other.join();
        }));
        assertEquals("other done", r);
    }

    @Test
    void aCancellationExceptionAChildThrowsOfItsOwnIsAFailure() throws Exception {
        CancellationException e = EventLoop.run(() -> Thrown.by(CancellationException.class, () -> TaskGroup.open(g -> {
            Task<Object> cancelledElsewhere = Async.spawn(() -> {
                Async.sleep(Duration.ofDays(1));
                return null;
            });
            cancelledElsewhere.cancel();
            g.spawn(() -> cancelledElsewhere.join()); // rethrows that task's CancellationException: nobody cancelled the child
            Async.sleep(Duration.ofDays(1));
            return null;
        })));
        assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
    }

    @Test
    void cancelFromAnotherThreadCancelsTheBodyAndEveryChildAndOpenReturnsNullWhenTheBodyEndedByIt() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<TaskGroup> group = new AtomicReference<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread canceller = new Thread(() -> {
            started.join();
            group.get().cancel();
        });
        canceller.start();
        Object r = EventLoop.run(() -> TaskGroup.open(g -> {
            group.set(g);
            g.spawn(() -> {
                try {
                    started.complete(null);
                    Async.sleep(Duration.ofDays(1));
                } finally {
                    log.add("child cancelled");
                }
            });
            try {
                Async.sleep(Duration.ofDays(1));
            } finally {
                log.add("body cancelled");
            }
            return "not this";
        }));
        canceller.join();
        assertNull(r);
        assertTrue(group.get().isCancelled());
        assertEquals(List.of("body cancelled", "child cancelled"), log);
    }

    @Test
    void afterCancelOpenReturnsTheBodysResultIfTheBodyReturnedNormally() throws Exception {
        String r = EventLoop.run(() -> TaskGroup.open(g -> {
            g.spawn(() -> Async.sleep(Duration.ofDays(1)));
            Async.yieldNow();
            g.cancel(); // from the body itself: the children are cancelled, the body goes on to its next suspension point
            assertTrue(g.isCancelled());
            return "returned normally";
        }));
        assertEquals("returned normally", r);
    }

    @Test
    void cancellingTheCallingTaskCancelsTheGroupAndOpenThrowsThatCancellationOnceEveryChildHasEnded() throws Exception {
        List<String> log = new ArrayList<>();
        Event childSleeps = new Event();
        EventLoop.run(() -> {
            Task<Object> caller = Async.spawn(() -> {
                try {
                    return TaskGroup.open(g -> {
                        g.spawn(() -> {
                            try {
                                childSleeps.set();
                                Async.sleep(Duration.ofDays(1));
                            } finally {
                                Async.sleep(Duration.ofMillis(20));
                                log.add("child's finally done");
                            }
                        });
                        return "body returned"; // the cancellation then finds open waiting for the child
                    });
                } catch (CancellationException e) {
                    log.add("open threw the cancellation");
                    throw e;
                }
            });
            childSleeps.await();
            caller.cancel();
            Thrown.by(CancellationException.class, caller::join);
            return null;
        });
        assertEquals(List.of("child's finally done", "open threw the cancellation"), log);
    }

    @Test
    void aCancellationReachingTheBodyPassesThroughOpenAfterTheChildren() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Event childSleeps = new Event();
            Task<Object> caller = Async.spawn(() -> TaskGroup.open(g -> {
                g.spawn(() -> {
                    try {
                        childSleeps.set();
                        Async.sleep(Duration.ofDays(1));
                    } finally {
                        log.add("child cancelled");
                    }
                });
                try {
                    Async.sleep(Duration.ofDays(1));
                } finally {
                    log.add("body cancelled");
                }
                return null;
            }));
            childSleeps.await();
            caller.cancel();
            CancellationException e = Thrown.by(CancellationException.class, caller::join);
            log.add("join: " + e.getClass().getSimpleName());
            return null;
        });
        assertEquals(List.of("body cancelled", "child cancelled", "join: CancellationException"), log);
    }

    @Test
    void anOuterTimeoutCancelsTheGroupAndIsThatTimeoutsTimeoutException() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(20), () -> TaskGroup.open(g -> {
                for (int i = 0; i < 3; i++) {
                    int n = i;
                    g.spawn(() -> {
                        try {
                            Async.sleep(Duration.ofDays(1));
                        } finally {
                            log.add("child " + n + " cancelled");
                        }
                    });
                }
                return "body done";
            })));
            log.add("timed out");
            return null;
        });
        assertEquals(List.of("child 0 cancelled", "child 1 cancelled", "child 2 cancelled", "timed out"), log);
    }

    @Test
    void theWaitForTheChildrenIsNotCutShortByTheCancellationItHandles() throws Exception {
        List<String> log = new ArrayList<>();
        Event childSleeps = new Event();
        Event childCaught = new Event();
        Event release = new Event();
        EventLoop.run(() -> {
            Task<Object> caller = Async.spawn(() -> {
                TaskGroup.open(g -> {
                    g.spawn(() -> {
                        try {
                            childSleeps.set();
                            Async.sleep(Duration.ofDays(1));
                        } catch (CancellationException e) {
                            log.add("child caught the cancellation and goes on");
                        }
                        childCaught.set();
                        release.await(); // a stubborn child: open must wait for it
                        log.add("child done");
                    });
                    return null;
                });
                return null;
            });
            childSleeps.await();
            caller.cancel();
            childCaught.await();
            for (int i = 0; i < 5; i++) {
                Async.yieldNow();
            }
            log.add("caller still waiting: " + !caller.isDone());
            release.set();
            Thrown.by(CancellationException.class, caller::join);
            log.add("caller ended");
            return null;
        });
        assertEquals(List.of("child caught the cancellation and goes on", "caller still waiting: true", "child done",
                "caller ended"), log);
    }

    @Test
    void aFailureBeforeTheCallersCancellationIsThrownAndTheCancellationComesAtTheNextSuspensionPoint() throws Exception {
        List<String> log = new ArrayList<>();
        Event inFinally = new Event();
        Event release = new Event();
        EventLoop.run(() -> {
            Task<Object> caller = Async.spawn(() -> {
                try {
                    TaskGroup.open(g -> {
                        g.spawn(() -> {
                            try {
                                Async.sleep(Duration.ofDays(1));
                            } finally {
                                inFinally.set();
                                Async.shielded(() -> { // clean-up that the group waits for
                                    release.await();
                                    return null;
                                });
                            }
                        });
                        g.spawn(() -> {
                            throw new IOException("child failed"); // cancels the group: the other child goes to its finally
                        });
                        return null;
                    });
                } catch (IOException e) {
                    log.add("open threw " + e.getMessage() + ", suppressed " + e.getSuppressed().length);
                }
                try {
                    Async.yieldNow();
                    log.add("not cancelled");
                } catch (CancellationException e) {
                    log.add("cancelled at the next suspension point");
                }
                return null;
            });
            inFinally.await(); // the failure came first; open waits for the other child
            caller.cancel();
            Async.yieldNow();
            release.set();
            caller.join();
            return null;
        });
        assertEquals(List.of("open threw child failed, suppressed 0", "cancelled at the next suspension point"), log);
    }

    @Test
    void spawnAfterTheGroupWasCancelledReturnsACancelledTaskThatNeverRuns() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> TaskGroup.open(g -> {
            g.cancel();
            Task<String> late = g.spawn(() -> {
                log.add("ran");
                return "ran";
            });
            assertTrue(late.isDone());
            assertTrue(late.isCancelled());
            Thrown.by(CancellationException.class, late::join);
            return null;
        }));
        assertEquals(List.of(), log);
    }

    @Test
    void spawnAfterOpenHasReturnedThrowsIllegalStateException() throws Exception {
        AtomicReference<TaskGroup> escaped = new AtomicReference<>();
        EventLoop.run(() -> {
            TaskGroup.open(g -> {
                escaped.set(g);
                return null;
            });
            IllegalStateException e = Thrown.by(IllegalStateException.class, () -> escaped.get().spawn(() -> 1));
            assertTrue(e.getMessage().startsWith("TaskGroup.spawn(): the group's open() has returned"), e.getMessage());
            return null;
        });
        assertThrows(IllegalStateException.class, () -> escaped.get().spawn(() -> { }));
    }

    @Test
    void aBodyThatReturnsNothingGivesATaskWhoseResultIsNull() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> TaskGroup.open(g -> {
            Task<Void> t = g.spawn(() -> {
                Async.yieldNow();
                log.add("ran");
            });
            assertNull(t.join());
            return null;
        }));
        assertEquals(List.of("ran"), log);
    }

    @Test
    void childrenMaySpawnMoreChildrenAndOpenWaitsForThemAll() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> TaskGroup.open(g -> {
            g.spawn(() -> {
                g.spawn(() -> {
                    Async.sleep(Duration.ofMillis(20));
                    log.add("grandchild done");
                });
                log.add("child done");
            });
            return null;
        }));
        assertEquals(List.of("child done", "grandchild done"), log);
    }

    @Test
    void nullBodiesAreRefusedAtOnce() throws Exception {
        assertThrows(NullPointerException.class, () -> TaskGroup.open(null));
        EventLoop.run(() -> TaskGroup.open(g -> {
            assertThrows(NullPointerException.class, () -> g.spawn((io.bobbin.SuspendableCallable<Object>) null));
            assertThrows(NullPointerException.class, () -> g.spawn((io.bobbin.SuspendableRunnable) null));
            return null;
        }));
    }

    @Test
    void inPlainCodeOpenRunsOnAPrivateLoopAndOnALoopsThreadOutsideATaskItThrows() throws Exception {
        assertNull(EventLoop.current());
        String r = TaskGroup.open(g -> {
            assertNotNull(EventLoop.current(), "a private loop for the call");
            Task<String> a = g.spawn(() -> "a");
            return a.join() + "b";
        });
        assertEquals("ab", r);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        EventLoop.run(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            EventLoop.current().callSoon(() -> {
                try {
                    TaskGroup.open(g -> null);
                } catch (Throwable e) {
                    thrown.set(e);
                }
                done.complete(null);
            });
            Async.await(done);
            return null;
        });
        assertTrue(thrown.get() instanceof IllegalStateException, "" + thrown.get());
        assertTrue(thrown.get().getMessage().startsWith("TaskGroup.open() was called on the thread of"), thrown.get().getMessage());
    }

    @Test
    void aFanOutUnderADeadlineEndsEveryChildInTime() throws Exception {
        int[] finished = new int[1];
        long start = System.nanoTime();
        List<String> r = EventLoop.run(() -> Async.withTimeoutOrNull(Duration.ofMillis(500), () -> TaskGroup.open(g -> {
            for (int i = 0; i < 1000; i++) {
                int n = i;
                g.spawn(() -> {
                    Async.sleep(Duration.ofMillis(n % 2 == 0 ? 1 : 60_000)); // half of them would take a minute
                    finished[0]++;
                });
            }
            return List.of("not reached in time");
        })));
        assertNull(r, "the deadline expired");
        assertEquals(500, finished[0]);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "well before a minute");
    }

    @Test
    void aLongLivedGroupDoesNotHoldOnToItsEndedChildren() throws Exception {
        int[] held = new int[1];
        EventLoop.run(() -> TaskGroup.open(g -> {
            for (int i = 0; i < 5_000; i++) {
                g.spawn(() -> { }).join(); // one child at a time, as a server's group over its connections
            }
            java.lang.reflect.Field f = TaskGroup.class.getDeclaredField("children");
            f.setAccessible(true);
            synchronized (g) {
                held[0] = ((List<?>) f.get(g)).size();
            }
            return null;
        }));
        assertTrue(held[0] <= 20, "the group still refers to " + held[0] + " ended children");
    }
}
