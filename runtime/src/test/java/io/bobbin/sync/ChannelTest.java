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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rules of {@link Channel}, one test each, on one loop unless the rule is about threads. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelTest {
    static final List<Supplier<Channel<Integer>>> KINDS = List.of(Channel::rendezvous, () -> Channel.bounded(1),
            () -> Channel.bounded(3), Channel::unbounded);

    @Test
    void aCapacityBelowOneIsRefusedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Channel.bounded(0));
        assertTrue(e.getMessage().contains("Channel.bounded(0)") && e.getMessage().contains("rendezvous()"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Channel.bounded(-5));
    }

    @Test
    void nullValuesAreRefusedWithNullPointerException() throws Exception {
        for (Supplier<Channel<Integer>> kind : KINDS) {
            Channel<Integer> ch = kind.get();
            assertThrows(NullPointerException.class, () -> ch.trySend(null));
            EventLoop.run(() -> Thrown.by(NullPointerException.class, () -> {
                ch.send(null);
                return null;
            }));
            assertEquals(0, ch.size());
        }
    }

    @Test
    void valuesComeOutInTheOrderTheyWereSentOnEveryKind() throws Exception {
        for (Supplier<Channel<Integer>> kind : KINDS) {
            Channel<Integer> ch = kind.get();
            List<Integer> got = EventLoop.run(() -> {
                Async.spawn(() -> {
                    for (int i = 0; i < 100; i++) {
                        ch.send(i);
                    }
                    ch.close();
                    return null;
                });
                List<Integer> out = new ArrayList<>();
                ch.consumeEach(out::add);
                return out;
            });
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add(i);
            }
            assertEquals(expected, got, ch.toString());
        }
    }

    @Test
    void aRendezvousSendCompletesOnlyWhenAReceiverTakesTheValue() throws Exception {
        List<String> log = new ArrayList<>();
        Channel<String> ch = Channel.rendezvous();
        EventLoop.run(() -> {
            Task<Object> sender = Async.spawn(() -> {
                log.add("send a");
                ch.send("a");
                log.add("a delivered");
                return null;
            });
            Async.sleep(Duration.ofMillis(20));
            log.add("receiving, size " + ch.size() + ", senders waiting " + ch.waitingSenders());
            log.add("got " + ch.receive());
            sender.join();
            return null;
        });
        assertEquals(List.of("send a", "receiving, size 0, senders waiting 1", "got a", "a delivered"), log);
    }

    @Test
    void aBoundedSendWaitsWhileTheBufferIsFull() throws Exception {
        List<String> log = new ArrayList<>();
        Channel<Integer> ch = Channel.bounded(2);
        EventLoop.run(() -> {
            Task<Object> sender = Async.spawn(() -> {
                for (int i = 1; i <= 3; i++) {
                    ch.send(i);
                    log.add("sent " + i);
                }
                return null;
            });
            Async.sleep(Duration.ofMillis(20));
            log.add("size " + ch.size());
            log.add("got " + ch.receive()); // makes room: the waiting sender's 3 goes into the buffer at once
            log.add("size " + ch.size());
            Async.yieldNow();
            log.add("got " + ch.receive() + ", " + ch.receive());
            sender.join();
            return null;
        });
        assertEquals(List.of("sent 1", "sent 2", "size 2", "got 1", "size 2", "sent 3", "got 2, 3"), log);
    }

    @Test
    void anUnboundedSendNeverWaits() throws Exception {
        Channel<Integer> ch = Channel.unbounded();
        EventLoop.run(() -> {
            for (int i = 0; i < 100_000; i++) {
                ch.send(i); // no receiver: a wait here would never end
            }
            return null;
        });
        assertEquals(100_000, ch.size());
        for (int i = 0; i < 100_000; i++) {
            assertEquals(i, ch.tryReceive());
        }
        assertNull(ch.tryReceive());
    }

    @Test
    void trySendReturnsFalseWhereSendWouldWait() throws Exception {
        Channel<Integer> r = Channel.rendezvous();
        assertFalse(r.trySend(1), "no receiver waits");
        Channel<Integer> b = Channel.bounded(1);
        assertTrue(b.trySend(1));
        assertFalse(b.trySend(2), "full");
        assertEquals(1, b.size());
        EventLoop.run(() -> {
            Task<Integer> receiver = Async.spawn(r::receive);
            Async.yieldNow(); // it waits now
            assertTrue(r.trySend(7), "a receiver waits: handed over");
            assertEquals(7, receiver.join());
            return null;
        });
        assertTrue(Channel.<Integer>unbounded().trySend(1));
    }

    @Test
    void tryReceiveReturnsNullWhereReceiveWouldWait() throws Exception {
        Channel<Integer> b = Channel.bounded(2);
        assertNull(b.tryReceive());
        b.trySend(5);
        assertEquals(5, b.tryReceive());
        assertNull(b.tryReceive());
        Channel<Integer> r = Channel.rendezvous();
        assertNull(r.tryReceive());
        EventLoop.run(() -> {
            Task<Object> sender = Async.spawn(() -> {
                r.send(9);
                return null;
            });
            Async.yieldNow(); // the sender waits now
            assertEquals(9, r.tryReceive(), "a sender waits: taken from it");
            sender.join();
            return null;
        });
    }

    @Test
    void waitingSendersAndReceiversAreServedFirstComeFirstServed() throws Exception {
        List<String> log = new ArrayList<>();
        Channel<String> ch = Channel.rendezvous();
        EventLoop.run(() -> {
            List<Task<Object>> receivers = new ArrayList<>();
            for (String name : List.of("r1", "r2", "r3")) {
                receivers.add(Async.spawn(() -> {
                    log.add(name + " got " + ch.receive());
                    return null;
                }));
            }
            Async.yieldNow();
            assertEquals(3, ch.waitingReceivers());
            ch.send("x");
            ch.send("y");
            ch.send("z");
            Async.joinAll(receivers);
            List<Task<Object>> senders = new ArrayList<>();
            for (String v : List.of("a", "b", "c")) {
                senders.add(Async.spawn(() -> {
                    ch.send(v);
                    return null;
                }));
            }
            Async.yieldNow();
            assertEquals(3, ch.waitingSenders());
            log.add(ch.receive() + ch.receive() + ch.receive());
            Async.joinAll(senders);
            return null;
        });
        assertEquals(List.of("r1 got x", "r2 got y", "r3 got z", "abc"), log);
    }

    @Test
    void closeFailsLaterSendsTrySendToo() throws Exception {
        for (Supplier<Channel<Integer>> kind : KINDS) {
            Channel<Integer> ch = kind.get();
            ch.close();
            assertTrue(ch.isClosed());
            ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> ch.trySend(1));
            assertTrue(e.getMessage().startsWith("Channel.trySend(): the channel is closed"), e.getMessage());
            EventLoop.run(() -> Thrown.by(ChannelClosedException.class, () -> {
                ch.send(2);
                return null;
            }));
            assertEquals(0, ch.size());
            assertTrue(e instanceof IllegalStateException);
        }
    }

    @Test
    void closeFailsTheSendersWaitingAtThatMomentAndTheirValuesAreNotDelivered() throws Exception {
        Channel<Integer> ch = Channel.bounded(1);
        List<String> log = new ArrayList<>();
        EventLoop.run(() -> {
            ch.send(1);
            List<Task<Object>> senders = new ArrayList<>();
            for (int i = 2; i <= 3; i++) {
                int v = i;
                senders.add(Async.spawn(() -> {
                    try {
                        ch.send(v);
                        log.add(v + " sent");
                    } catch (ChannelClosedException e) {
                        log.add(v + " refused");
                    }
                    return null;
                }));
            }
            Async.yieldNow();
            assertEquals(2, ch.waitingSenders());
            ch.close();
            Async.joinAll(senders);
            log.add("received " + ch.receive());
            log.add("then " + ch.receiveOrNull());
            return null;
        });
        assertEquals(List.of("2 refused", "3 refused", "received 1", "then null"), log);
        assertEquals(0, ch.waitingSenders());
    }

    @Test
    void valuesBufferedBeforeTheCloseAreStillReceivedThenReceiveThrowsAndReceiveOrNullReturnsNull() throws Exception {
        Channel<Integer> ch = Channel.bounded(3);
        ch.trySend(1);
        ch.trySend(2);
        ch.close();
        ch.close(); // idempotent
        assertEquals(2, ch.size());
        EventLoop.run(() -> {
            assertEquals(1, ch.receive());
            assertEquals(2, ch.receiveOrNull());
            ChannelClosedException e = Thrown.by(ChannelClosedException.class, ch::receive);
            assertTrue(e.getMessage().startsWith("Channel.receive(): the channel is closed and every value sent"), e.getMessage());
            assertNull(ch.receiveOrNull());
            assertNull(ch.tryReceive());
            return null;
        });
    }

    @Test
    void closeTellsEveryWaitingReceiverAtOnce() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        EventLoop.run(() -> {
            List<Task<Object>> receivers = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int me = i;
                receivers.add(Async.spawn(() -> {
                    if (me == 2) {
                        log.add(me + ": " + ch.receiveOrNull());
                    } else {
                        try {
                            ch.receive();
                        } catch (ChannelClosedException e) {
                            log.add(me + ": closed");
                        }
                    }
                    return null;
                }));
            }
            Async.yieldNow();
            assertEquals(3, ch.waitingReceivers());
            ch.close();
            Async.joinAll(receivers);
            return null;
        });
        assertEquals(List.of("1: closed", "2: null", "3: closed"), log);
        assertEquals(0, ch.waitingReceivers());
    }

    @Test
    void consumeEachReceivesUntilTheChannelIsClosedAndEmpty() throws Exception {
        Channel<String> ch = Channel.bounded(2);
        List<String> got = EventLoop.run(() -> {
            Async.spawn(() -> {
                for (String s : List.of("a", "b", "c", "d")) {
                    ch.send(s);
                    Async.sleep(Duration.ofMillis(1));
                }
                ch.close();
                return null;
            });
            List<String> out = new ArrayList<>();
            ch.consumeEach(v -> {
                Async.yieldNow(); // the action may suspend
                out.add(v);
            });
            return out;
        });
        assertEquals(List.of("a", "b", "c", "d"), got);
    }

    @Test
    void anExceptionFromTheConsumeEachActionComesOutAsItIs() throws Exception {
        Channel<Integer> ch = Channel.unbounded();
        ch.trySend(1);
        ch.trySend(2);
        IllegalArgumentException e = EventLoop.run(() -> Thrown.by(IllegalArgumentException.class, () -> {
            ch.consumeEach(v -> {
                throw new IllegalArgumentException("bad " + v);
            });
            return null;
        }));
        assertEquals("bad 1", e.getMessage());
        assertEquals(1, ch.size(), "the second value is left");
    }

    @Test
    void aCancelledReceiveNeverTakesAValue() throws Exception {
        for (Supplier<Channel<Integer>> kind : KINDS) {
            Channel<Integer> ch = kind.get();
            EventLoop.run(() -> {
                Task<Integer> receiver = Async.spawn(ch::receive);
                Async.yieldNow();
                assertEquals(1, ch.waitingReceivers());
                receiver.cancel();
                Thrown.by(CancellationException.class, receiver::join);
                assertEquals(0, ch.waitingReceivers(), "nothing left behind");
                if (ch.trySend(42)) { // buffered: nobody took it
                    assertEquals(42, ch.receive());
                } // rendezvous: no receiver waits any more, so it was refused
                return null;
            });
        }
    }

    @Test
    void aCancelledSendDeliversNothing() throws Exception {
        for (Supplier<Channel<Integer>> kind : List.<Supplier<Channel<Integer>>>of(Channel::rendezvous, () -> Channel.bounded(1))) {
            Channel<Integer> ch = kind.get();
            List<Integer> got = EventLoop.run(() -> {
                ch.trySend(1); // fills the bounded one; refused by the rendezvous one
                Task<Object> sender = Async.spawn(() -> {
                    ch.send(2);
                    return null;
                });
                Async.yieldNow();
                assertEquals(1, ch.waitingSenders());
                sender.cancel();
                Thrown.by(CancellationException.class, sender::join);
                assertEquals(0, ch.waitingSenders(), "nothing left behind");
                ch.close();
                List<Integer> out = new ArrayList<>();
                ch.consumeEach(out::add);
                return out;
            });
            assertFalse(got.contains(2), ch + " delivered the cancelled send's value: " + got);
        }
    }

    @Test
    void aTimedOutReceiveTakesNothingAndLeavesNothingBehind() throws Exception {
        Channel<Integer> ch = Channel.bounded(1);
        EventLoop.run(() -> {
            Thrown.by(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(10), ch::receive));
            assertEquals(0, ch.waitingReceivers());
            ch.send(3);
            assertEquals(1, ch.size());
            assertNull(Async.withTimeoutOrNull(Duration.ofMillis(10), () -> {
                ch.send(4); // full
                return "sent";
            }));
            assertEquals(0, ch.waitingSenders());
            assertEquals(3, ch.receive());
            assertNull(ch.tryReceive(), "4 was not delivered");
            return null;
        });
    }

    @Test
    void aValueHandedOverBeforeTheCancellationIsKeptAndTheCancellationComesAtTheNextSuspensionPoint() throws Exception {
        List<String> log = new ArrayList<>();
        Channel<String> ch = Channel.rendezvous();
        EventLoop.run(() -> {
            Task<Object> receiver = Async.spawn(() -> {
                String v = ch.receive();
                log.add("received " + v);
                try {
                    Async.yieldNow();
                    log.add("not cancelled");
                } catch (CancellationException e) {
                    log.add("cancelled at the next suspension point");
                }
                return null;
            });
            Async.yieldNow(); // the receiver waits
            assertTrue(ch.trySend("v")); // handed over: the receiver is woken...
            receiver.cancel(); // ...and cancelled before it runs again
            receiver.join();
            return null;
        });
        assertEquals(List.of("received v", "cancelled at the next suspension point"), log);
    }

    @Test
    void aSendTakenBeforeTheCancellationReturnsNormally() throws Exception {
        List<String> log = new ArrayList<>();
        Channel<String> ch = Channel.rendezvous();
        EventLoop.run(() -> {
            Task<Object> sender = Async.spawn(() -> {
                ch.send("v");
                log.add("send returned");
                try {
                    Async.yieldNow();
                } catch (CancellationException e) {
                    log.add("cancelled at the next suspension point");
                }
                return null;
            });
            Async.yieldNow();
            assertEquals("v", ch.tryReceive());
            sender.cancel();
            sender.join();
            return null;
        });
        assertEquals(List.of("send returned", "cancelled at the next suspension point"), log);
    }

    @Test
    void aWaitOnTheLoopsThreadOutsideATaskThrowsButOneThatNeedNotWaitWorks() throws Exception {
        Channel<Integer> ch = Channel.bounded(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Integer> got = new AtomicReference<>();
        EventLoop.run(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            EventLoop.current().callSoon(() -> {
                try {
                    ch.receive();
                } catch (Throwable e) {
                    thrown.set(e);
                }
                ch.trySend(5);
                got.set(ch.receive()); // a value is there: no wait
                done.complete(null);
            });
            Async.await(done);
            return null;
        });
        assertTrue(thrown.get() instanceof IllegalStateException && !(thrown.get() instanceof ChannelClosedException), "" + thrown.get());
        assertTrue(thrown.get().getMessage().startsWith("Channel.receive() was called on the thread of"), thrown.get().getMessage());
        assertEquals(5, got.get());
        assertEquals(0, ch.waitingReceivers());
    }

    @Test
    void aPlainThreadBlocksAndIsServedByATaskOfALoop() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        Channel<Integer> back = Channel.bounded(1);
        Thread t = new Thread(() -> {
            for (Integer v; (v = ch.receiveOrNull()) != null; ) {
                back.send(v * 10); // blocks while the task has not taken the last one
            }
            back.close();
        });
        t.start();
        List<Integer> got = EventLoop.run(() -> {
            List<Integer> out = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                ch.send(i);
                out.add(back.receive());
            }
            ch.close();
            assertNull(back.receiveOrNull());
            return out;
        });
        t.join();
        for (int i = 1; i <= 50; i++) {
            assertEquals(i * 10, got.get(i - 1));
        }
    }

    @Test
    void anInterruptedPlainThreadStopsWaitingWithCancellationAndKeepsItsInterruptStatus() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            started.countDown();
            try {
                ch.receive();
            } catch (Throwable e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        started.await();
        while (ch.waitingReceivers() == 0) {
            Thread.sleep(1);
        }
        t.interrupt();
        t.join();
        assertTrue(thrown.get() instanceof CancellationException, "" + thrown.get());
        assertTrue(flag.get());
        assertEquals(0, ch.waitingReceivers());
        assertFalse(ch.trySend(1), "nobody waits: the interrupted receiver took nothing");
    }

    @Test
    void tasksOfTwoLoopsHandValuesToEachOther() throws Exception {
        Channel<Integer> ping = Channel.rendezvous();
        Channel<Integer> pong = Channel.rendezvous();
        try (EventLoop a = EventLoop.start(); EventLoop b = EventLoop.start()) {
            Task<Integer> echo = b.spawn(() -> {
                int n = 0;
                for (Integer v; (v = ping.receiveOrNull()) != null; n++) {
                    pong.send(v + 1);
                }
                return n;
            });
            Task<Integer> driver = a.spawn(() -> {
                int sum = 0;
                for (int i = 0; i < 1000; i++) {
                    ping.send(i);
                    sum += pong.receive();
                }
                ping.close();
                return sum;
            });
            assertEquals(1000 * 999 / 2 + 1000, driver.join());
            assertEquals(1000, echo.join());
        }
    }

    @Test
    void aWaitInsideAGeneratorNestedInATaskThrowsIllegalStateException() throws Exception {
        Channel<Integer> ch = Channel.bounded(1);
        ch.trySend(1);
        List<String> got = EventLoop.run(() -> {
            List<String> out = new ArrayList<>();
            io.bobbin.Generator<Integer> g = io.bobbin.Generator.of(emit -> {
                emit.emit(ch.receive()); // a value is there: no wait, works
                try {
                    ch.receive(); // empty: it would wait, which a generator cannot do on the loop
                } catch (IllegalStateException e) {
                    out.add(e.getMessage().replaceAll(" where it cannot wait.*", ""));
                }
            });
            for (Integer v : g) {
                out.add("emitted " + v);
            }
            return out;
        });
        assertEquals(2, got.size(), "" + got);
        assertEquals("emitted 1", got.get(0));
        assertTrue(got.get(1).startsWith("Channel.receive() was called inside a generator or continuation nested in a task"), got.get(1));
        assertEquals(0, ch.waitingReceivers());
    }
}
