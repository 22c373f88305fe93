package io.bobbin.internal.task;

import io.bobbin.internal.io.NioPoller;
import io.bobbin.internal.time.Clock;
import io.bobbin.internal.util.Exceptions;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What {@code Async} does on a thread that runs no event loop: the same as on a private loop of its
 * own for the length of the call, so the calling thread simply blocks. An interrupt of the thread
 * ends a wait early: {@code sleep} throws {@link CancellationException}, {@code await}
 * {@link InterruptedException}, {@code readable}/{@code writable} {@link InterruptedIOException};
 * the thread's interrupt status is kept.
 */
public final class PlainCode {
    private PlainCode() {}

    public static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            Thread.yield();
            return;
        }
        long deadline = System.nanoTime() + Clock.saturatedNanos(d);
        try {
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CancellationException c = new CancellationException("sleep interrupted");
            c.initCause(e);
            throw c;
        }
    }

    public static <T> T await(CompletionStage<T> stage) throws Exception {
        CountDownLatch latch = new CountDownLatch(1);
        Object[] outcome = new Object[2];
        stage.whenComplete((v, e) -> {
            outcome[0] = v;
            outcome[1] = e;
            latch.countDown();
        });
        latch.await();
        if (outcome[1] != null) {
            throw Exceptions.rethrowable(Exceptions.unwrap((Throwable) outcome[1]));
        }
        @SuppressWarnings("unchecked")
        T v = (T) outcome[0];
        return v;
    }

    /** Waits on a selector of its own; it looks at the channel now and then, so a close from another thread is seen. */
    public static void awaitReady(SelectableChannel channel, boolean write) throws IOException {
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel is in blocking mode; configureBlocking(false) first: " + channel);
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        int ops = NioPoller.interestFor(channel, write);
        try (Selector selector = Selector.open()) {
            channel.register(selector, ops);
            while (selector.select(50) == 0) {
                if (!channel.isOpen()) {
                    throw new ClosedChannelException();
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted while waiting for the channel to be "
                            + (write ? "writable" : "readable"));
                }
            }
        } catch (java.nio.channels.CancelledKeyException e) {
            throw new ClosedChannelException();
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
    }
}
