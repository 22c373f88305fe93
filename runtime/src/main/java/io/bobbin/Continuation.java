package io.bobbin;

import io.bobbin.internal.cont.ContinuationAccess;
import io.bobbin.internal.cont.FrameStack;
import io.bobbin.internal.cont.ResumeHook;
import io.bobbin.internal.cont.SerialFrames;
import io.bobbin.internal.cont.Torture;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A stackful continuation: a body of code that can {@linkplain #suspend() suspend} itself, frames
 * and all, and be {@linkplain #resume() resumed} later, on the same thread or another.
 *
 * <p>Every frame between {@code resume()} and {@code suspend()} must belong to an instrumented
 * ({@link Suspendable}) method, stopped at a call to another suspendable method; the frames that the
 * JVM spins for lambdas and method references are transparent. A suspension that cannot be done
 * correctly, through a frame that is not instrumented or while an instrumented frame holds a monitor,
 * throws {@link IllegalStateException} from {@code suspend()} naming the frame at fault, before any
 * frame is saved or unwound.
 *
 * <p>Values in and out, as with Python's generators: {@link #suspend(Object)} hands a value out, which
 * {@link #send(Object)} returns and {@link #lastValue()} keeps, and returns the value that the next
 * {@code send} passes in.
 *
 * <p>Serializable: a continuation that is not running (new, suspended or done) can be written with
 * {@link ObjectOutputStream} when its body and every value its suspended frames hold are serializable,
 * and read back, here or in another JVM running the same classes instrumented, in the same state. Each
 * suspended frame is saved with a fingerprint of its method's code; reading it where that code differs
 * throws {@link java.io.InvalidClassException} naming the class and the method. Reading a continuation
 * can construct any serializable object its frames held: never read one from bytes you do not trust,
 * and give the stream an allow-list {@link java.io.ObjectInputFilter} (the JVM-wide filter,
 * {@code jdk.serialFilter}, applies too). The continuation of a task of an event loop belongs to its
 * loop and is not serializable.
 *
 * <p>Threads: a continuation runs on the thread that calls {@code resume()}, and only on one thread
 * at a time. Everything written before a suspension is visible to the thread that resumes it, and to
 * a thread that writes it to a stream. Writing a suspended continuation holds it like a resume does:
 * a {@code resume()} meanwhile, from another thread, throws {@link IllegalStateException}.
 */
public final class Continuation implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The version of the serial form that {@link #writeObject} writes. */
    private static final int SERIAL_FORMAT = 1;

    private static final int NEW = 0;
    private static final int SUSPENDED = 1;
    private static final int RUNNING = 2;
    private static final int DONE = 3;
    /** A suspended continuation being written to a stream: held, like a running one. */
    private static final int WRITING = 4;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Continuation.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        ContinuationAccess.install(new ContinuationAccess.Bridge() {
            @Override
            public FrameStack stackOf(Continuation c) {
                return c.stack;
            }

            @Override
            public Object bodyOf(Continuation c) {
                return c.body;
            }
        });
    }

    // Transient: the serial form is written by hand (writeObject). Set by the constructor, or by
    // readObject before the object is handed out; not final only because readObject sets them.
    private transient SuspendableRunnable body;
    private transient FrameStack stack;
    @SuppressWarnings("unused") // through STATE
    private transient volatile int state;
    /**
     * The value handed out by the latest suspension, {@code suspend(value)}; {@code null} after a plain
     * {@code suspend()} or the end. Written by the body's thread before the state is published, read
     * after the state is read ({@link #lastValue()}).
     */
    private transient Object lastValue;
    /** The value {@code send} passes in, for the pending {@code suspend(Object)}; taken (and cleared) there. */
    private transient Object sent;

    /** A continuation that will run {@code body} when first resumed. */
    public Continuation(SuspendableRunnable body) {
        if (body == null) {
            throw new NullPointerException("body");
        }
        this.body = body;
        this.stack = new FrameStack(this);
    }

    /**
     * Runs the body until it suspends or ends. When the body throws, this rethrows: unchecked
     * exceptions and errors as they are, checked ones wrapped in {@link ContinuationException}; the
     * continuation is then done. A pending {@link #suspend(Object)} returns {@code null}.
     *
     * @throws IllegalStateException if the continuation is done, or already running (or being written)
     */
    public void resume() {
        run(null);
    }

    /**
     * Resumes the continuation as {@link #resume()} does, with {@code value} as the result of the
     * pending {@link #suspend(Object)} (a plain {@link #suspend()} ignores it; so does a continuation's
     * first run, which starts the body), and returns the value handed out by the next
     * {@code suspend(value)}: {@code null} when the body suspends with plain {@code suspend()}, or ends.
     * Exceptions, threads and nesting as {@code resume()}.
     *
     * @throws IllegalStateException if the continuation is done, or already running (or being written)
     */
    public Object send(Object value) {
        run(value);
        return lastValue;
    }

    /**
     * The value handed out by the latest suspension ({@link #suspend(Object)}): {@code null} if there was
     * none, if it was a plain {@link #suspend()}, or once the body has ended. Saved with a suspended
     * continuation that is written to a stream. Any thread may ask; it sees the value of the latest
     * suspension it has seen the continuation reach ({@link #isDone()}, or a {@code resume()} that
     * returned).
     */
    public Object lastValue() {
        STATE.getVolatile(this); // the value was written before the state that published it
        return lastValue;
    }

    private void run(Object value) {
        int st = (int) STATE.getAcquire(this);
        if (st == DONE) {
            throw new IllegalStateException("The continuation is done");
        }
        if ((st != NEW && st != SUSPENDED) || !STATE.compareAndSet(this, st, RUNNING)) {
            throw new IllegalStateException(st == WRITING || (int) STATE.getVolatile(this) == WRITING
                    ? "The continuation is being written to a stream" : "The continuation is already running");
        }
        if (lastValue != null) {
            lastValue = null;
        }
        if (value != null && st == SUSPENDED) {
            sent = value; // null at rest: nothing to store for a plain resume()
        }
        int next = DONE;
        try {
            next = runToSuspension();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new ContinuationException(e);
        } finally {
            if (next == DONE) {
                stack.clear();
                lastValue = null;
            }
            if (sent != null) {
                sent = null; // a plain suspend() left it: keep nothing alive
            }
            STATE.setRelease(this, next);
        }
    }

    /**
     * Runs the body until it suspends for real or ends: {@code SUSPENDED} or {@code DONE}. In
     * torture mode the suspensions it forces are resumed here at once, now and then on another thread.
     */
    private int runToSuspension() throws Exception {
        boolean hop = false;
        while (true) {
            // A hop runs one pass on a hop thread and comes back: at most one extra thread per continuation.
            if (!(hop ? Torture.onAnotherThread(this::runOnce) : runOnce())) {
                return DONE;
            }
            if (!stack.tortured) {
                return SUSPENDED;
            }
            stack.tortured = false;
            hop = Torture.countAndHop();
        }
    }

    /** One pass of the body on this thread: {@code true} when it suspended, {@code false} when it ended. */
    private boolean runOnce() throws Exception {
        FrameStack s = stack;
        s.mount();
        s.mode = s.hasFrames() ? FrameStack.RESTORING : FrameStack.RUNNING;
        s.armRoot();
        Object store = s.intStore();
        try {
            body.run();
            if (s.mode == FrameStack.CAPTURING) {
                s.mode = FrameStack.RUNNING;
                if (s.intStore() != store) {
                    s.noteSizes(); // a first capture, or a deeper one: pass its sizes on to new stacks
                }
                return true;
            }
            if (s.mode == FrameStack.RESTORING) {
                throw new IllegalStateException("the continuation's body returned while its frames were being restored:"
                        + " the body is not instrumented, or its class changed since it suspended; run with the Bobbin agent");
            }
            return false;
        } finally {
            s.disarm();
            s.unmount();
        }
    }

    /** Whether the body has ended, normally or by an exception. */
    public boolean isDone() {
        return (int) STATE.getAcquire(this) == DONE;
    }

    /**
     * Suspends the innermost continuation running on this thread: its {@code resume()} returns, and
     * the next {@code resume()} goes on right after this call. Inside a task of an event loop this
     * behaves as {@code Async.yieldNow()}.
     *
     * @throws IllegalStateException outside any continuation; or when a frame between the
     *     continuation and this call is not instrumented, or holds a monitor (the message names it).
     *     Nothing has been saved then, and the caller may catch it and go on.
     */
    @Suspendable
    public static void suspend() {
        FrameStack s = FrameStack.current();
        if (s == null) {
            throw new IllegalStateException("Continuation.suspend() called outside of any continuation");
        }
        if (s.mode == FrameStack.RESTORING) {
            // The frames above are rebuilt: going on from here is the resumption.
            s.mode = FrameStack.RUNNING;
            s.disarm();
            Object attached = s.attachment;
            if (attached instanceof ResumeHook) {
                ((ResumeHook) attached).resumed();
            }
            return;
        }
        Object fault = s.enter(FrameStack.SUSPEND_ID, FrameStack.SUSPEND_SELF);
        if (fault != null) {
            throw FrameStack.faultException(fault == FrameStack.SUSPEND_SELF ? null : fault);
        }
        s.mode = FrameStack.CAPTURING;
    }

    /**
     * Suspends the innermost continuation running on this thread like {@link #suspend()}, handing
     * {@code value} out: {@link #send(Object)} returns it, and {@link #lastValue()} keeps it. Returns the
     * value that the next {@code send} passes in, or {@code null} when the continuation is resumed with
     * plain {@link #resume()}.
     *
     * <p>Inside a task of an event loop this behaves as {@code Async.yieldNow()}: the value goes
     * nowhere, and it returns {@code null}.
     *
     * @throws IllegalStateException as {@link #suspend()}: outside any continuation; or when a frame
     *     between the continuation and this call is not instrumented, or holds a monitor (the message
     *     names it). Nothing has been saved then, and the caller may catch it and go on.
     */
    @Suspendable
    public static Object suspend(Object value) {
        // A leaf of its own, like suspend(): its callers arm it for its own method id.
        FrameStack s = FrameStack.current();
        if (s == null) {
            throw new IllegalStateException("Continuation.suspend(Object) called outside of any continuation");
        }
        if (s.mode == FrameStack.RESTORING) {
            s.mode = FrameStack.RUNNING;
            s.disarm();
            Continuation c = (Continuation) s.owner();
            Object in = c.sent;
            c.sent = null;
            Object attached = s.attachment;
            if (attached instanceof ResumeHook) {
                ((ResumeHook) attached).resumed();
            }
            return in;
        }
        Object fault = s.enter(FrameStack.SUSPEND_VALUE_ID, FrameStack.SUSPEND_SELF);
        if (fault != null) {
            throw FrameStack.faultException(fault == FrameStack.SUSPEND_SELF ? null : fault);
        }
        if (s.attachment == null) { // a task's continuation hands nothing out: it yields
            ((Continuation) s.owner()).lastValue = value;
        }
        s.mode = FrameStack.CAPTURING;
        return null;
    }

    /** The innermost continuation running on this thread, or {@code null}. */
    public static Continuation current() {
        FrameStack s = FrameStack.current();
        return s == null ? null : (Continuation) s.owner();
    }

    // ---- serialization ---------------------------------------------------------------------

    /**
     * The serial form: the format, the state (new, suspended or done), the body, the value handed out by
     * the latest suspension, and for a suspended continuation its frames ({@link SerialFrames}).
     *
     * @serialData the format version (a byte, 1), the state (a byte: 0 new, 1 suspended, 3 done), the body
     *     (an object), the last value handed out (an object), then, when suspended, the frames as
     *     {@code SerialFrames} writes them
     */
    private void writeObject(ObjectOutputStream out) throws IOException {
        Object attached = stack.attachment;
        if (attached != null) {
            throw new NotSerializableException(Continuation.class.getName() + ": the continuation of a task of an event"
                    + " loop belongs to its loop (" + attached.getClass().getName() + ") and cannot be written; write a"
                    + " Continuation of your own instead, resumed outside the loop");
        }
        int st;
        do {
            st = (int) STATE.getVolatile(this);
            if (st == RUNNING || st == WRITING) {
                throw new NotSerializableException(Continuation.class.getName() + ": the continuation is "
                        + (st == RUNNING ? "running" : "being written already") + "; a continuation can be"
                        + " written only while it is new, suspended or done, never from its own body");
            }
            // A suspended one is held while its frames are read, so that no resume can change them.
        } while (st == SUSPENDED && !STATE.compareAndSet(this, SUSPENDED, WRITING));
        boolean suspended = st == SUSPENDED;
        try {
            if (!(body instanceof Serializable)) {
                throw new NotSerializableException(body.getClass().getName() + ": the body of a continuation must be"
                        + " serializable for the continuation to be written: make it a lambda of a serializable type,"
                        + " such as (SuspendableRunnable & Serializable) () -> ..., or an object of a serializable class");
            }
            out.defaultWriteObject();
            out.writeByte(SERIAL_FORMAT);
            out.writeByte(st);
            try {
                out.writeObject(body);
            } catch (NotSerializableException e) {
                NotSerializableException named = new NotSerializableException(e.getMessage() + " (not serializable) is"
                        + " reached from the body of the continuation, " + body.getClass().getName() + " (what it captured)");
                named.initCause(e);
                throw named;
            }
            out.writeObject(suspended ? lastValue : null);
            if (suspended) {
                SerialFrames.write(this, out);
            }
        } finally {
            if (suspended) {
                STATE.setVolatile(this, SUSPENDED);
            }
        }
    }

    /**
     * Reads the serial form back into a continuation in the same state.
     *
     * @throws java.io.InvalidClassException if the code of a suspended frame's method differs from the
     *     code it was saved from, or the method is gone or not instrumented (the message names both)
     * @throws InvalidObjectException if the stream does not hold a continuation's serial form
     */
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        int format = in.readByte();
        if (format != SERIAL_FORMAT) {
            throw new InvalidObjectException("a continuation in serial format " + format + "; this runtime reads format "
                    + SERIAL_FORMAT);
        }
        int st = in.readByte();
        if (st != NEW && st != SUSPENDED && st != DONE) {
            throw new InvalidObjectException("a continuation in state " + st);
        }
        Object b = in.readObject();
        if (!(b instanceof SuspendableRunnable)) {
            throw new InvalidObjectException("the body of a continuation is a "
                    + (b == null ? "null" : b.getClass().getName()) + ", not a SuspendableRunnable");
        }
        Object last = in.readObject();
        body = (SuspendableRunnable) b;
        stack = new FrameStack(this);
        if (st == SUSPENDED) {
            SerialFrames.read(in, this);
        }
        lastValue = last;
        STATE.setVolatile(this, st);
    }

    @Override
    public String toString() {
        String[] names = {"new", "suspended", "running", "done", "being written"};
        return "Continuation[" + names[(int) STATE.getVolatile(this)] + "]";
    }
}
