package io.bobbin.internal.io;

import io.bobbin.Suspendable;
import io.bobbin.internal.task.LoopTask;
import io.bobbin.internal.task.Wait;
import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The NIO {@link Poller} of a loop: its {@link Selector}, the registrations of the channels its
 * tasks wait on, and the {@link WakeupChannel} through which other threads wake it.
 *
 * <p>A channel is registered once, the first time a task waits on it, and its key is reused: its
 * interest ops follow the tasks that wait on it (at most one for reading, one for writing). A channel
 * closed while a task waits on it wakes that task, which then throws {@link ClosedChannelException}:
 * closing cancels the key, and after each select the poller notices keys that went away.
 *
 * <p>Threads: the loop's thread only (but {@link WakeupChannel#wakeup()}). A channel closed by another
 * thread does not wake the selector; while tasks wait on channels the selector never blocks longer
 * than {@link #CLOSE_CHECK_MILLIS}, so such a close is noticed within about a second.
 */
public final class NioPoller implements Poller {
    private final Selector selector;
    /** {@link #handleKey}, made once: the action every select of this poller runs for each ready key. */
    private final Consumer<SelectionKey> onReady = this::handleKey;
    private final WakeupChannel wakeup;
    private final Map<SelectableChannel, ChannelWatch> watches = new HashMap<>();
    /** Tasks waiting on channels now. */
    private int waiting;
    /**
     * While tasks wait on channels, the longest a select may block: a channel closed by another
     * thread does not wake the selector, so the poller looks for cancelled keys at least this often.
     */
    static final long CLOSE_CHECK_MILLIS = 1000;

    /** Opens the selector and its wakeup channel. */
    public NioPoller() throws IOException {
        this.wakeup = new WakeupChannel();
        try {
            this.selector = Selector.open();
        } catch (IOException | RuntimeException e) {
            wakeup.close();
            throw e;
        }
        try {
            wakeup.register(selector);
        } catch (IOException | RuntimeException e) {
            selector.close();
            wakeup.close();
            throw e;
        }
    }

    @Override
    public void wakeup() {
        wakeup.wakeup();
    }

    @Override
    public long wakeupsWritten() {
        return wakeup.written() + wakeup.unparked();
    }

    @Override
    public long wakeupsCoalesced() {
        return wakeup.coalesced();
    }

    /** The waits on one registered channel; the attachment of its key. */
    static final class ChannelWatch {
        final SelectableChannel channel;
        final SelectionKey key;
        ChannelWait reader;
        ChannelWait writer;

        ChannelWatch(SelectableChannel channel, SelectionKey key) {
            this.channel = channel;
            this.key = key;
        }

        void updateInterest() {
            int ops = 0;
            if (reader != null) {
                ops |= reader.ops;
            }
            if (writer != null) {
                ops |= writer.ops;
            }
            key.interestOps(ops);
        }
    }

    /** A task waiting for one readiness of one channel. */
    final class ChannelWait extends Wait {
        final ChannelWatch watch;
        final boolean write;
        final int ops;
        boolean closed;

        ChannelWait(LoopTask<?> task, ChannelWatch watch, boolean write) {
            super(task);
            this.watch = watch;
            this.write = write;
            this.ops = interestFor(watch.channel, write);
        }

        @Override
        protected void arm() {
            if (write) {
                watch.writer = this;
            } else {
                watch.reader = this;
            }
            waiting++;
            try {
                watch.updateInterest();
            } catch (CancelledKeyException e) {
                closed = true;
                task.wake(this);
            }
        }

        @Override
        protected void abort() {
            leave();
        }

        @Override
        public String describe() {
            return (write ? "writable " : "readable ") + watch.channel;
        }

        /** Takes this wait off its channel. */
        void leave() {
            if (write ? watch.writer == this : watch.reader == this) {
                if (write) {
                    watch.writer = null;
                } else {
                    watch.reader = null;
                }
                waiting--;
                if (watch.key.isValid()) {
                    try {
                        watch.updateInterest();
                    } catch (CancelledKeyException ignored) {
                        // closed meanwhile: the sweep drops it
                    }
                }
            }
        }
    }

    /**
     * The interest op for a wait: accept for a server socket, connect for a socket still connecting,
     * else read or write.
     *
     * @throws IllegalArgumentException if the channel does not support it (reading a pipe's sink, say)
     */
    public static int interestFor(SelectableChannel ch, boolean write) {
        int ops;
        if (write) {
            ops = ch instanceof SocketChannel && ((SocketChannel) ch).isConnectionPending()
                    ? SelectionKey.OP_CONNECT : ch.validOps() & SelectionKey.OP_WRITE;
        } else {
            ops = ch instanceof ServerSocketChannel ? SelectionKey.OP_ACCEPT : ch.validOps() & SelectionKey.OP_READ;
        }
        if (ops == 0) {
            throw new IllegalArgumentException("the channel cannot be " + (write ? "written" : "read") + ": " + ch);
        }
        return ops;
    }

    @Override
    @Suspendable
    public void await(LoopTask<?> task, SelectableChannel channel, boolean write) throws IOException {
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel is in blocking mode; configureBlocking(false) first: " + channel);
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        interestFor(channel, write);
        ChannelWatch w = watch(channel);
        ChannelWait other = write ? w.writer : w.reader;
        if (other != null) {
            throw new IllegalStateException("task " + other.task + " already waits for " + channel + " to be "
                    + (write ? "writable" : "readable") + ", and two tasks cannot wait for the same readiness of one channel;"
                    + " let one task do the " + (write ? "writing" : "reading") + ", or guard it with a lock");
        }
        ChannelWait wait = new ChannelWait(task, w, write);
        task.park(wait);
        if (wait.closed || !channel.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /** The channel's registration with this selector, made on first use. */
    private ChannelWatch watch(SelectableChannel channel) throws IOException {
        ChannelWatch w = watches.get(channel);
        if (w != null && w.key.isValid()) {
            return w;
        }
        if (w != null) {
            sweepClosed(); // a stale key: drop it (and let the selector deregister it) before registering anew
            selector.selectNow(onReady);
        }
        SelectionKey key = channel.register(selector, 0);
        w = new ChannelWatch(channel, key);
        key.attach(w);
        watches.put(channel, w);
        return w;
    }

    @Override
    public boolean hasWaiters() {
        return waiting > 0;
    }

    /**
     * {@inheritDoc} A channel closed by another thread does not wake the selector: while tasks wait
     * on channels, a poll blocks at most {@link #CLOSE_CHECK_MILLIS}.
     */
    @Override
    public void poll(long timeoutMillis, boolean tasksRan, boolean wakeupSoon) throws IOException {
        if (waiting == 0) {
            wakeup.park(timeoutMillis, wakeupSoon); // no channel to watch: a select would only wait for the wakeup or a timer
            return;
        }
        if (waiting > 0 && (timeoutMillis < 0 || timeoutMillis > CLOSE_CHECK_MILLIS)) {
            timeoutMillis = CLOSE_CHECK_MILLIS;
        }
        if (timeoutMillis == 0 || tasksRan) {
            int n = selector.selectNow(onReady);
            if (n > 0 || timeoutMillis == 0 || sweepIfKeysWentAway()) {
                return;
            }
        }
        if (timeoutMillis < 0) {
            selector.select(onReady);
        } else {
            selector.select(onReady, timeoutMillis);
        }
        sweepIfKeysWentAway();
    }

    /**
     * One ready key, handed over by the selector as it selects (the action-taking {@code select}
     * methods: no selected-key set to fill, iterate and empty on every poll). It may come twice for
     * one key with fewer operations the second time: a waiter woken once is gone the second time.
     *
     * <p>A woken waiter's interest is left set: a task that waits again for the same readiness (the
     * common case: read, answer, wait to read again) then finds the key as it was and changes nothing
     * (no update for the selector to apply, no {@code epoll_ctl}). Interest nobody waits for is
     * dropped lazily, when the key comes ready for it with no waiter.
     */
    private void handleKey(SelectionKey key) {
        Object a = key.attachment();
        if (a == wakeup) {
            wakeup.drain();
            return;
        }
        ChannelWatch w = (ChannelWatch) a;
        if (!key.isValid()) {
            return; // the sweep handles it
        }
        int ready = key.readyOps();
        int unwanted = ready & ~wakeIfReady(w, w.reader, ready) & ~wakeIfReady(w, w.writer, ready);
        if (unwanted != 0) {
            try {
                w.updateInterest(); // ready for what nobody waits for any more: stop watching it
            } catch (CancelledKeyException e) {
                // closed by another thread meanwhile: the sweep drops it
            }
        }
    }

    /**
     * Wakes {@code wait} (the reader or the writer of {@code w}, or {@code null}) if {@code ready} has
     * what it waits for, leaving the key's interest as it is; returns the operations it took.
     */
    private int wakeIfReady(ChannelWatch w, ChannelWait wait, int ready) {
        if (wait == null || (ready & wait.ops) == 0) {
            return 0;
        }
        if (wait.write) {
            w.writer = null;
        } else {
            w.reader = null;
        }
        waiting--;
        wait.task.wake(wait);
        return wait.ops;
    }

    /** If the selector holds fewer keys than we watch, some channels were closed: wake their waiters. */
    private boolean sweepIfKeysWentAway() {
        if (selector.keys().size() == watches.size() + 1) {
            return false;
        }
        return sweepClosed();
    }

    private boolean sweepClosed() {
        boolean woke = false;
        Iterator<ChannelWatch> it = watches.values().iterator();
        while (it.hasNext()) {
            ChannelWatch w = it.next();
            if (w.key.isValid()) {
                continue;
            }
            it.remove();
            for (ChannelWait cw : new ChannelWait[] {w.reader, w.writer}) {
                if (cw != null) {
                    waiting--;
                    cw.closed = true;
                    cw.task.wake(cw);
                    woke = true;
                }
            }
            w.reader = null;
            w.writer = null;
        }
        return woke;
    }

    @Override
    public int registeredChannels() {
        return watches.size();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
        watches.clear();
        wakeup.close();
    }
}
