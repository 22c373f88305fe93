package io.bobbin.loop;

import static org.junit.jupiter.api.Assertions.*;

import io.bobbin.Async;
import io.bobbin.Continuation;
import io.bobbin.EventLoop;
import io.bobbin.Generator;
import io.bobbin.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every Async method without a loop on the thread, and where Async refuses to work. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlainCodeTest {

    @Test
    void sleepBlocksTheThread() {
        long t0 = System.nanoTime();
        Async.sleep(Duration.ofMillis(30));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(30));
        Async.sleep(Duration.ZERO);
        Async.sleep(Duration.ofMillis(-1));
        Async.yieldNow();
        assertNull(Async.currentTask());
    }

    @Test
    void sleepInterruptedEndsWithCancellationAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        assertThrows(CancellationException.class, () -> Async.sleep(Duration.ofSeconds(10)));
        assertTrue(Thread.interrupted());
    }

    @Test
    void blockingRunsTheWorkHere() throws Exception {
        Thread me = Thread.currentThread();
        assertSame(me, Async.blocking(Thread::currentThread));
        IOException io = new IOException("x");
        assertSame(io, assertThrows(IOException.class, () -> Async.blocking(() -> {
            throw io;
        })));
    }

    @Test
    void awaitWaitsAndUnwraps() throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        new Thread(() -> f.complete("later")).start();
        assertEquals("later", Async.await(f));
        IOException io = new IOException("y");
        assertSame(io, assertThrows(IOException.class, () -> Async.await(CompletableFuture.failedFuture(io).thenApply(x -> x))));
    }

    @Test
    void readableAndWritableWait() throws Exception {
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
            Async.writable(pipe.sink());
            new Thread(() -> {
                try {
                    Thread.sleep(30);
                    pipe.sink().write(ByteBuffer.wrap(new byte[] {5}));
                } catch (Exception ignored) {
                    // the test fails on its own
                }
            }).start();
            Async.readable(pipe.source());
            ByteBuffer b = ByteBuffer.allocate(4);
            assertEquals(1, pipe.source().read(b));
            // the private selector is gone: the channel can go back to blocking mode
            pipe.source().configureBlocking(true);
            pipe.source().configureBlocking(false);
            new Thread(() -> {
                try {
                    Thread.sleep(30);
                    pipe.source().close();
                } catch (Exception ignored) {
                    // the test fails on its own
                }
            }).start();
            assertThrows(ClosedChannelException.class, () -> Async.readable(pipe.source()));
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void withTimeoutRunsTheBodyAndCancelsItAtItsSuspensionPoints() throws Exception {
        assertEquals("quick", Async.withTimeout(Duration.ofSeconds(5), () -> "quick"));
        List<String> log = new ArrayList<>();
        assertThrows(TimeoutException.class, () -> Async.withTimeout(Duration.ofMillis(20), () -> {
            try {
                Async.sleep(Duration.ofDays(1));
            } finally {
                log.add("finally");
            }
            return null;
        }));
        assertEquals(List.of("finally"), log);
        assertNull(EventLoop.current());
    }

    @Test
    void spawnOutsideATaskIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Async.spawn(() -> 1));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void joinInPlainCodeBlocks() throws Exception {
        try (EventLoop loop = EventLoop.start()) {
            Task<String> t = loop.spawn(() -> {
                Async.sleep(Duration.ofMillis(30));
                return "joined";
            });
            assertEquals("joined", t.join());
        }
    }

    @Test
    void asyncInALoopCallbackIsRefusedWithAMessageThatSaysSo() throws Exception {
        List<String> messages = new ArrayList<>();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            Task<Integer> other = Async.spawn(() -> 1);
            CountDownLatch ran = new CountDownLatch(1);
            loop.callSoon(() -> {
                for (Runnable r : List.<Runnable>of(
                        () -> Async.sleep(Duration.ofMillis(1)),
                        Async::yieldNow,
                        () -> Async.spawn(() -> 1),
                        () -> call(() -> Async.blocking(() -> 1)),
                        () -> call(() -> Async.await(CompletableFuture.completedFuture(1))),
                        () -> call(() -> Async.withTimeout(Duration.ofSeconds(1), () -> 1)),
                        () -> call(other::join),
                        () -> call(() -> {
                            Async.readable(Pipe.open().source());
                            return null;
                        }))) {
                    try {
                        r.run();
                        messages.add("no exception");
                    } catch (IllegalStateException e) {
                        messages.add(e.getMessage());
                    }
                }
                ran.countDown();
            });
            Async.yieldNow();
            assertEquals(0, ran.getCount());
            return null;
        });
        assertEquals(8, messages.size());
        for (String m : messages) {
            assertTrue(m.contains("outside of any task (in a callback)"), m);
        }
    }

    @Test
    void asyncInsideAGeneratorOrContinuationNestedInATaskIsRefused() throws Exception {
        List<String> messages = new ArrayList<>();
        EventLoop.run(() -> {
            Generator<Integer> g = Generator.of(out -> {
                try {
                    Async.sleep(Duration.ofMillis(1));
                } catch (IllegalStateException e) {
                    messages.add(e.getMessage());
                }
                out.emit(1);
            });
            for (Integer ignored : g) {
                // drains it
            }
            Continuation c = new Continuation(() -> {
                try {
                    Async.yieldNow();
                } catch (IllegalStateException e) {
                    messages.add(e.getMessage());
                }
            });
            c.resume();
            assertTrue(c.isDone());
            assertNotNull(Async.currentTask());
            return null;
        });
        assertEquals(2, messages.size());
        for (String m : messages) {
            assertTrue(m.contains("nested in a task"), m);
        }
    }

    @Test
    void insideAGeneratorOnAPlainThreadAsyncIsPlain() {
        Generator<Integer> g = Generator.of(out -> {
            Async.sleep(Duration.ofMillis(1));
            out.emit(1);
        });
        assertEquals(1, g.iterator().next());
    }

    interface Call {
        Object call() throws Exception;
    }

    static void call(Call c) {
        try {
            c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
