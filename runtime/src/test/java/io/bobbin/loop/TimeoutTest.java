package io.bobbin.loop;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimeoutTest {

    @Test
    void ownExpiryBecomesTimeoutExceptionAfterFinallyAndTheTaskGoesOn() throws Exception {
        List<String> log = new ArrayList<>();
        String r = EventLoop.run(() -> {
            TimeoutException e = Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(20), () -> {
                try {
                    Async.sleep(Duration.ofDays(1));
                    return "slept";
                } finally {
                    log.add("finally");
                    Async.sleep(Duration.ofMillis(1)); // may suspend again
                    log.add("finally done");
                }
            }));
            assertTrue(e.getCause() instanceof CancellationException);
            log.add("after");
            Async.sleep(Duration.ofMillis(1));
            return "went on";
        });
        assertEquals("went on", r);
        assertEquals(List.of("finally", "finally done", "after"), log);
    }

    @Test
    void aBodyThatEndsInTimeReturnsItsValueAndLeavesNoTimer() throws Exception {
        assertEquals("v", EventLoop.run(() -> {
            String v = Async.withTimeout(Duration.ofSeconds(10), () -> {
                Async.sleep(Duration.ofMillis(1));
                return "v";
            });
            // the loop would wait 10 s for a leftover timer only if something kept it: run returns at once
            return v;
        }));
    }

    @Test
    void outerExpiryPassesThroughTheInnerCallAsCancellation() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(30), () -> {
                try {
                    return Async.withTimeout(Duration.ofSeconds(30), () -> {
                        Async.sleep(Duration.ofDays(1));
                        return "inner";
                    });
                } catch (CancellationException e) {
                    log.add("inner passed cancellation");
                    throw e;
                }
            }));
            return null;
        });
        assertEquals(List.of("inner passed cancellation"), log);
    }

    @Test
    void innerExpiryIsTheInnerCallsTimeout() throws Exception {
        String r = EventLoop.run(() -> Async.withTimeout(Duration.ofSeconds(30), () -> {
            try {
                Async.withTimeout(Duration.ofMillis(10), () -> {
                    Async.sleep(Duration.ofDays(1));
                    return null;
                });
                return "no";
            } catch (TimeoutException e) {
                Async.sleep(Duration.ofMillis(1));
                return "inner timed out";
            }
        }));
        assertEquals("inner timed out", r);
    }

    @Test
    void cancelPassesThroughAsCancellation() throws Exception {
        EventLoop.run(() -> {
            Task<Object> t = Async.spawn(() -> Async.withTimeout(Duration.ofSeconds(30), () -> {
                Async.sleep(Duration.ofDays(1));
                return null;
            }));
            Async.sleep(Duration.ofMillis(10));
            t.cancel();
            Thrown.by(CancellationException.class, t::join);
            return null;
        });
    }

    @Test
    void aBodyThatSwallowsTheCancellationHasItsValueReturned() throws Exception {
        assertEquals("swallowed", EventLoop.run(() -> Async.withTimeout(Duration.ofMillis(10), () -> {
            try {
                Async.sleep(Duration.ofDays(1));
                return "slept";
            } catch (CancellationException e) {
                return "swallowed";
            }
        })));
    }

    @Test
    void zeroOrNegativeLimitExpiresAtTheFirstSuspensionPoint() throws Exception {
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            assertEquals("no suspension", Async.withTimeout(Duration.ZERO, () -> "no suspension"));
            Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ZERO, () -> {
                log.add("before");
                Async.yieldNow();
                log.add("after");
                return null;
            }));
            Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(-1), () -> {
                Async.sleep(Duration.ofMillis(1));
                return null;
            }));
            return null;
        });
        assertEquals(List.of("before"), log);
    }

    @Test
    void timeoutInterruptsEveryKindOfWait() throws Exception {
        EventLoop.run(() -> {
            Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(10),
                    () -> Async.await(new java.util.concurrent.CompletableFuture<>())));
            Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(10),
                    () -> Async.blocking(() -> {
                        Thread.sleep(60_000);
                        return null;
                    })));
            Task<Object> forever = Async.spawn(() -> {
                Async.sleep(Duration.ofDays(1));
                return null;
            });
            Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(10), forever::join));
            forever.cancel();
            return null;
        });
    }
}
