package io.bobbin;

import io.bobbin.internal.cont.ContinuationAccess;
import io.bobbin.internal.cont.FrameStack;
import io.bobbin.internal.cont.ResumeHook;
import io.bobbin.internal.cont.Torture;
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
 * <p>Threads: a continuation runs on the thread that calls {@code resume()}, and only on one thread
 * at a time. Everything written before a suspension is visible to the thread that resumes it.
 */
public final class Continuation {
    private static final int NEW = 0;
    private static final int SUSPENDED = 1;
    private static final int RUNNING = 2;
    private static final int DONE = 3;

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

    private final SuspendableRunnable body;
    private final FrameStack stack;
    @SuppressWarnings("unused") // through STATE
    private volatile int state;

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
     * continuation is then done.
     *
     * @throws IllegalStateException if the continuation is done, or already running
     */
    public void resume() {
        int st = (int) STATE.getVolatile(this);
        if (st == DONE) {
            throw new IllegalStateException("The continuation is done");
        }
        if (st == RUNNING || !STATE.compareAndSet(this, st, RUNNING)) {
            throw new IllegalStateException("The continuation is already running");
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
            }
            STATE.setVolatile(this, next);
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
        try {
            body.run();
            if (s.mode == FrameStack.CAPTURING) {
                s.mode = FrameStack.RUNNING;
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
        return (int) STATE.getVolatile(this) == DONE;
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

    /** The innermost continuation running on this thread, or {@code null}. */
    public static Continuation current() {
        FrameStack s = FrameStack.current();
        return s == null ? null : (Continuation) s.owner();
    }

    @Override
    public String toString() {
        String[] names = {"new", "suspended", "running", "done"};
        return "Continuation[" + names[(int) STATE.getVolatile(this)] + "]";
    }
}
