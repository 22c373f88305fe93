package io.bobbin.sync;

import io.bobbin.Suspendable;
import io.bobbin.internal.sync.Waiter;
import io.bobbin.internal.util.WaiterQueue;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;

/**
 * A queue that tasks and threads hand values through, as kotlinx.coroutines' channels and Go's: a
 * sender waits while there is no room, a receiver while there is no value. Tasks of any loop (of a
 * group, or separate loops) and plain threads may all use the same channel; a task that waits
 * suspends (its loop runs other tasks meanwhile), a plain thread blocks.
 *
 * <ul>
 *   <li>{@link #rendezvous()}: no buffer; a {@link #send} completes when a receiver takes the value.</li>
 *   <li>{@link #bounded(int) bounded(n)}: up to {@code n} values wait in the buffer; {@code send} waits
 *       while it is full.</li>
 *   <li>{@link #unbounded()}: {@code send} never waits.</li>
 * </ul>
 *
 * <p>Values come out in the order they were sent; senders and receivers that wait are served first
 * come, first served. {@code null} values are refused with {@link NullPointerException}.
 *
 * <p>Nothing is lost on cancellation. {@code send} and {@code receive} are cancellation points when
 * they wait: a task cancelled (or timed out) there gets {@link CancellationException} and leaves
 * nothing behind. A {@code send} either delivered its value and returns, or throws and did not
 * deliver it; a {@code receive} that throws took no value. When the hand-over and the cancellation
 * cross, the hand-over wins: the call returns normally and the cancellation comes at the task's next
 * suspension point.
 *
 * <p>{@link #close()} (idempotent, from anywhere): later sends ({@code trySend} too), and senders
 * waiting at that moment, get {@link ChannelClosedException} and deliver nothing; values buffered
 * before are still received; once it is empty, {@link #receive()} throws
 * {@code ChannelClosedException} and {@link #receiveOrNull()} returns {@code null}, at once and for
 * every waiting receiver. {@link #consumeEach} receives until then.
 *
 * <p>Threads: every method from any thread. Memory: sending a value happens-before its receipt.
 * Every operation takes the channel's lock for a few steps (never across a suspension; the partner
 * of a hand-over is woken under it, as {@link java.util.concurrent.ArrayBlockingQueue} signals); one
 * that does not wait allocates nothing (the unbounded buffer grows by doubling), and a hand-over to a
 * waiting task of the caller's own loop wakes it without a post.
 *
 * @param <T> the type of the values
 */
public final class Channel<T> {
    /** A body run for each value received, by {@link #consumeEach}. */
    @FunctionalInterface
    public interface ValueConsumer<T> {
        @Suspendable
        void accept(T value) throws Exception;
    }

    private final int capacity;
    private final String kind;
    // ---- guarded by the monitor of `buffer` ----
    private final ArrayDeque<T> buffer;
    /** Receivers waiting: only while the buffer is empty and no sender waits. */
    private final WaiterQueue<Waiter> receivers = new WaiterQueue<>();
    /** Senders waiting, each with its value in {@code item}: only while the buffer is full (rendezvous: no receiver waits). */
    private final WaiterQueue<Waiter> senders = new WaiterQueue<>();
    private boolean closed;
    /** {@code closed}, for {@link #nothingToTake()} outside the lock. */
    private volatile boolean closedHint;
    private final Waiter.Withdrawal withdrawal = this::withdraw;

    private Channel(int capacity, String kind) {
        this.capacity = capacity;
        this.kind = kind;
        this.buffer = new ArrayDeque<>(Math.min(capacity, 16));
    }

    /** A channel with no buffer: each {@link #send} waits for a receiver to take its value. */
    public static <T> Channel<T> rendezvous() {
        return new Channel<>(0, "rendezvous");
    }

    /**
     * A channel that buffers up to {@code capacity} values; {@link #send} waits while it is full.
     *
     * @throws IllegalArgumentException if {@code capacity} is less than 1 (use {@link #rendezvous()}
     *     for no buffer)
     */
    public static <T> Channel<T> bounded(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("Channel.bounded(" + capacity
                    + "): the capacity must be 1 or more; Channel.rendezvous() is the channel without a buffer");
        }
        return new Channel<>(capacity, "bounded(" + capacity + ")");
    }

    /** A channel whose buffer grows as needed: {@link #send} never waits. */
    public static <T> Channel<T> unbounded() {
        return new Channel<>(Integer.MAX_VALUE, "unbounded");
    }

    // ---- sending ---------------------------------------------------------------------------------

    /**
     * Sends {@code value}: hands it to a waiting receiver, or buffers it, or else waits until one of
     * those can be done.
     *
     * @throws NullPointerException if {@code value} is {@code null}
     * @throws ChannelClosedException if the channel is closed, or closed while this waits; the value
     *     was not delivered
     * @throws IllegalStateException if it would wait on a loop's thread outside a task, or inside a
     *     generator or bare continuation nested in a task
     * @throws CancellationException if the calling task is cancelled or times out while it waits (or
     *     the waiting thread is interrupted, whose interrupt status is kept); the value was not delivered
     */
    @Suspendable
    public void send(T value) {
        if (value == null) {
            throw new NullPointerException("Channel.send(null): a channel does not carry null values");
        }
        if (offer(value, null, "Channel.send()")) {
            return;
        }
        Waiter w = Waiter.forCurrent("Channel.send()");
        w.item = value;
        if (offer(value, w, "Channel.send()")) {
            return; // room was made meanwhile
        }
        if (w.await(withdrawal) == Waiter.CLOSED) {
            throw closedForSend("Channel.send()");
        }
    }

    /**
     * Sends {@code value} if that can be done now (a receiver waits, or the buffer has room); never waits.
     *
     * @return {@code true} if it was delivered or buffered; {@code false} where {@link #send} would wait
     * @throws NullPointerException if {@code value} is {@code null}
     * @throws ChannelClosedException if the channel is closed
     */
    public boolean trySend(T value) {
        if (value == null) {
            throw new NullPointerException("Channel.trySend(null): a channel does not carry null values");
        }
        return offer(value, null, "Channel.trySend()");
    }

    /**
     * Under the lock: hands {@code value} to the oldest waiting receiver (woken), or buffers it, and
     * returns {@code true}; otherwise queues {@code sender} (if not {@code null}) and returns
     * {@code false}.
     */
    private boolean offer(T value, Waiter sender, String what) {
        synchronized (buffer) {
            if (closed) {
                throw closedForSend(what);
            }
            for (Waiter r; (r = receivers.poll()) != null; ) {
                r.item = value;
                if (r.grant()) {
                    r.wake();
                    return true;
                }
                r.item = null; // that receiver was cancelled: the next one
            }
            if (buffer.size() < capacity) {
                buffer.add(value);
                return true;
            }
            if (sender != null) {
                senders.add(sender);
            }
            return false;
        }
    }

    // ---- receiving -------------------------------------------------------------------------------

    /** What {@link #take} returns when there is no value now, or none will ever come. Never a value. */
    private static final Object EMPTY = new Object();
    private static final Object CLOSED = new Object();

    /**
     * Receives the oldest value, waiting while there is none.
     *
     * @throws ChannelClosedException if the channel is closed and empty, or is closed while this waits
     * @throws IllegalStateException if it would wait on a loop's thread outside a task, or inside a
     *     generator or bare continuation nested in a task
     * @throws CancellationException if the calling task is cancelled or times out while it waits (or
     *     the waiting thread is interrupted, whose interrupt status is kept); no value was taken
     */
    @Suspendable
    @SuppressWarnings("unchecked")
    public T receive() {
        Object v = receiveOrClosed();
        if (v == CLOSED) {
            throw new ChannelClosedException("Channel.receive(): the channel is closed and every value sent"
                    + " before has been received; use receiveOrNull() or consumeEach() to end quietly");
        }
        return (T) v;
    }

    /**
     * Receives the oldest value, waiting while there is none; {@code null} once the channel is closed
     * and empty. Exceptions as for {@link #receive()}, but for the close.
     */
    @Suspendable
    @SuppressWarnings("unchecked")
    public T receiveOrNull() {
        Object v = receiveOrClosed();
        return v == CLOSED ? null : (T) v;
    }

    /** The oldest value, waiting while there is none; {@link #CLOSED} once the channel is closed and empty. */
    @Suspendable
    private Object receiveOrClosed() {
        Object v = nothingToTake() ? EMPTY : take(null);
        if (v == EMPTY) {
            Waiter w = Waiter.forCurrent("Channel.receive()");
            v = take(w);
            if (v == EMPTY) {
                v = w.await(withdrawal) == Waiter.CLOSED ? CLOSED : handedOver(w);
            }
        }
        return v;
    }

    /**
     * A hint, read without the lock: whether a receive will probably find nothing to take, so that
     * it queues its waiter in the one locked step instead of looking first. A stale answer costs only
     * that step ({@link #take} decides under the lock).
     */
    private boolean nothingToTake() {
        return buffer.isEmpty() && senders.isEmpty() && !closedHint;
    }

    /** The value a waiting receiver was granted. */
    private static Object handedOver(Waiter w) {
        Object v = w.item;
        w.item = null;
        return v;
    }

    /**
     * Receives the oldest value if there is one now; never waits.
     *
     * @return the value, or {@code null} where {@link #receive()} would wait, and when the channel is
     *     closed and empty ({@link #isClosed()} tells them apart)
     */
    @SuppressWarnings("unchecked")
    public T tryReceive() {
        Object v = take(null);
        return v == EMPTY || v == CLOSED ? null : (T) v;
    }

    /**
     * Under the lock: takes the oldest value, from the buffer (refilled from the oldest waiting sender,
     * woken) or straight from a waiting sender (rendezvous). With none, returns {@link #CLOSED} if the
     * channel is closed, else queues {@code receiver} (if not {@code null}) and returns {@link #EMPTY}.
     */
    private Object take(Waiter receiver) {
        synchronized (buffer) {
            Object v = buffer.poll();
            if (v != null) {
                Waiter s = senders.isEmpty() ? null : grantOldestSender();
                if (s != null) { // it waited for this room
                    buffer.add(asT(s.item));
                    s.wake();
                }
                return v;
            }
            Waiter s = senders.isEmpty() ? null : grantOldestSender();
            if (s != null) {
                s.wake();
                return s.item;
            }
            if (closed) {
                return CLOSED;
            }
            if (receiver != null) {
                receivers.add(receiver);
            }
            return EMPTY;
        }
    }

    @SuppressWarnings("unchecked")
    private T asT(Object o) {
        return (T) o;
    }

    /** Under the lock: the oldest sender that accepts the hand-over (out of the queue, granted), or {@code null}. */
    private Waiter grantOldestSender() {
        for (Waiter s; (s = senders.poll()) != null; ) {
            if (s.grant()) {
                return s;
            }
        }
        return null;
    }

    /**
     * Receives values until the channel is closed and empty, running {@code action} on each in the
     * task (or thread) that calls this; as Kotlin's {@code consumeEach} or Go's {@code range} over a
     * channel. An exception from {@code action} ends it and comes out as it is.
     */
    @Suspendable
    public void consumeEach(ValueConsumer<? super T> action) throws Exception {
        if (action == null) {
            throw new NullPointerException("action");
        }
        for (T v; (v = receiveOrNull()) != null; ) {
            action.accept(v);
        }
    }

    // ---- closing ---------------------------------------------------------------------------------

    /**
     * Closes the channel: later sends fail, waiting senders fail (their values undelivered), buffered
     * values can still be received, and once none is left every receiver (waiting or later) is told.
     * Closing a closed channel does nothing. Any thread; never waits.
     */
    public void close() {
        synchronized (buffer) {
            if (closed) {
                return;
            }
            closed = true;
            closedHint = true;
            closeAll(senders);
            closeAll(receivers);
        }
    }

    private static void closeAll(WaiterQueue<Waiter> waiting) {
        for (Waiter w; (w = waiting.poll()) != null; ) {
            if (w.close()) {
                w.wake();
            }
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        synchronized (buffer) {
            return closed;
        }
    }

    /** How many values wait in the buffer now (a moment's value; always 0 for a rendezvous channel). */
    public int size() {
        synchronized (buffer) {
            return buffer.size();
        }
    }

    private void withdraw(Waiter w) {
        synchronized (buffer) {
            if (!receivers.remove(w)) {
                senders.remove(w);
            }
        }
    }

    private ChannelClosedException closedForSend(String what) {
        return new ChannelClosedException(what + ": the channel is closed; nothing can be sent after close()");
    }

    /** Senders waiting now; for tests ("a cancelled wait leaves nothing behind"). */
    int waitingSenders() {
        synchronized (buffer) {
            return senders.size();
        }
    }

    /** Receivers waiting now; for tests. */
    int waitingReceivers() {
        synchronized (buffer) {
            return receivers.size();
        }
    }

    @Override
    public String toString() {
        synchronized (buffer) {
            return "Channel[" + kind + ", " + buffer.size() + " buffered, " + senders.size() + " senders and "
                    + receivers.size() + " receivers waiting" + (closed ? ", closed" : "") + "]";
        }
    }
}
