package io.bobbin.internal;

import java.util.Arrays;

/**
 * The frame store of one continuation, and the protocol that instrumented code speaks with it.
 *
 * <p><b>Internal.</b> Public only because the code that the Bobbin agent writes into user classes
 * calls it; applications never use it directly.
 *
 * <p>Protocol, per instrumented method: on entry it asks for {@link #current()}. Outside any
 * continuation that is {@code null} and the method runs as written. Inside one, in mode
 * {@link #RESTORING} the method jumps to its saved call site; otherwise it takes its anchor with
 * {@link #enter(String)}. Before each suspendable call it {@linkplain #arm(Object) arms} the call; after
 * it, in mode {@link #CAPTURING} it saves its live values and returns at once, else it
 * {@linkplain #disarm() disarms}.
 *
 * <p>Unwinding is by return, leaf first: each frame pushes its values and then its resume point.
 * Restoring goes root first, popping in reverse, so the two arrays are used as plain stacks. The
 * arrays grow by doubling and are reused, so a suspend/resume that does not deepen the stack
 * allocates nothing.
 *
 * <p>Threads: a stack is used by one thread at a time, the one that {@linkplain #mount() mounted}
 * it; handing it to another thread is ordered by {@code Continuation}'s state.
 */
public final class FrameStack {
    /** Normal execution. */
    public static final int RUNNING = 0;
    /** The leaf asked to suspend: every instrumented frame saves itself and returns. */
    public static final int CAPTURING = 1;
    /** Resuming: every instrumented frame restores itself and re-enters its saved call. */
    public static final int RESTORING = 2;

    /** What {@link #takeLeafArm()} returns for an intact chain. */
    public static final Object ARMED = new Object();

    /** Fault prefix: the method named after it was entered from a frame that is not a suspension point. */
    public static final char UNANCHORED = 'U';
    /** Fault prefix: the method named after it holds a monitor at a suspension point. */
    public static final char MONITOR = 'M';

    private static final long[] NO_PRIMS = new long[0];
    private static final Object[] NO_REFS = new Object[0];
    private static final int FIRST_SIZE = 4;

    private static final ThreadLocal<Carrier> CARRIERS = ThreadLocal.withInitial(Carrier::new);

    /**
     * The stack mounted most recently on any thread: a shortcut for {@link #current()} that is
     * right whenever its carrier is the asking thread (a thread sees its own writes).
     */
    private static FrameStack recent;
    /**
     * A thread known to have no stack mounted: the shortcut for instrumented code called outside any
     * continuation. Only that thread writes its own identity here, and it clears it when it mounts.
     */
    private static Thread lastBare;

    /** {@link #RUNNING}, {@link #CAPTURING} or {@link #RESTORING}; read by instrumented code. */
    public int mode;
    /**
     * The next call is armed: "the caller is an instrumented frame at a suspension point, and every
     * frame up to the continuation's root is one too". A boolean, so that arming and disarming, on
     * every suspendable call, are plain stores with no GC write barrier.
     */
    private boolean armed;
    /**
     * A fault description (a {@code String}) travelling down the chain until a suspension turns it
     * into an exception, or {@code null}; written only when there is one. Never set with {@link #armed}.
     */
    private Object fault;
    /** The suspension under way was forced by the torture mode: the continuation resumes it at once. */
    public boolean tortured;

    // Allocated at the first suspension, and grown by doubling: a continuation that never suspends
    // holds no arrays, and one that suspends at the same depth again allocates nothing.
    private long[] prims = NO_PRIMS;
    private Object[] refs = NO_REFS;
    private int psp;
    private int rsp;

    private final Object owner;
    private Thread carrier;
    private Carrier mountedOn;
    private FrameStack outer;

    public FrameStack(Object owner) {
        this.owner = owner;
    }

    /** The object this stack belongs to (the {@code Continuation}). */
    public Object owner() {
        return owner;
    }

    /** The innermost stack mounted on the calling thread, or {@code null}. */
    public static FrameStack current() {
        Thread t = Thread.currentThread();
        FrameStack r = recent;
        if (r != null && r.carrier == t) {
            return r;
        }
        if (lastBare == t) {
            return null;
        }
        FrameStack top = carrierOf(t).top;
        if (top == null) {
            lastBare = t;
        }
        return top;
    }

    /** The calling thread's carrier; the last one found is kept, as most resumes come from one thread. */
    private static Carrier carrierOf(Thread t) {
        Carrier c = lastCarrier;
        if (c == null || c.thread != t) {
            c = CARRIERS.get();
            lastCarrier = c;
        }
        return c;
    }

    private static Carrier lastCarrier;

    /** Makes this stack the innermost one of the calling thread. */
    public void mount() {
        Thread t = Thread.currentThread();
        Carrier c = carrierOf(t);
        if (lastBare == t) {
            lastBare = null;
        }
        outer = c.top;
        carrier = t;
        mountedOn = c;
        c.top = this;
        recent = this;
    }

    /** Undoes {@link #mount()}; the stack mounted before it becomes current again. */
    public void unmount() {
        FrameStack o = outer;
        mountedOn.top = o;
        mountedOn = null;
        outer = null;
        carrier = null;
        recent = o;
    }

    /** Whether frames are saved, waiting to be restored. */
    public boolean hasFrames() {
        return psp != 0;
    }

    /** Drops every saved frame (the continuation ended). */
    public void clear() {
        Arrays.fill(refs, 0, rsp, null);
        psp = 0;
        rsp = 0;
        mode = RUNNING;
        armed = false;
        fault = null;
        tortured = false;
    }

    // ---- anchoring -------------------------------------------------------------------------

    /**
     * Called at the entry of an instrumented method. Returns {@code null} when it was called by an
     * instrumented frame at a suspension point of an intact chain, and otherwise the fault that a
     * suspension below it must report.
     *
     * @param self {@link #UNANCHORED} followed by this method's name, used when nothing armed the call
     */
    public Object enter(String self) {
        if (armed) {
            armed = false;
            return null;
        }
        Object f = fault;
        if (f != null) {
            fault = null;
            return f;
        }
        return self;
    }

    /**
     * The whole prologue of a suspendable method that has no suspension point of its own: it takes
     * (and drops) its caller's arm, so that the arm cannot be mistaken later for the arm of a call
     * made through a frame that is not instrumented.
     */
    public static void enterLeaf() {
        FrameStack s = current();
        if (s != null) {
            s.disarm();
        }
    }

    /**
     * The suspension point that the agent's torture mode puts at the entry of every instrumented
     * method: it suspends whenever the whole chain can be suspended, and otherwise does nothing.
     */
    public static void tortureSuspend() {
        FrameStack s = current();
        if (s == null) {
            return;
        }
        if (s.mode == RESTORING) {
            s.mode = RUNNING;
            s.disarm();
            return;
        }
        boolean intact = s.armed;
        s.disarm();
        if (intact && Torture.ENABLED) {
            s.tortured = true;
            s.mode = CAPTURING;
        }
    }

    /** Arms the next call: {@code fault} is {@code null} for an intact chain. */
    public void arm(Object fault) {
        if (fault == null) {
            armed = true;
        } else {
            armed = false;
            this.fault = fault;
        }
    }

    /** Arms the next call from a frame that holds a monitor there. */
    public void armUnderMonitor(Object fault, String site) {
        armed = false;
        this.fault = fault != null ? fault : site;
    }

    /** Called after a suspendable call returned normally, or at an exception handler. */
    public void disarm() {
        armed = false;
        if (fault != null) {
            fault = null;
        }
    }

    /** Arms the root call: the body, called by {@code resume()}. */
    public void armRoot() {
        armed = true;
        fault = null;
    }

    /**
     * What the leaf, {@code suspend()}, finds and takes: {@link #ARMED} for an intact chain, else
     * the fault description, or {@code null} when its caller did not arm it.
     */
    public Object takeLeafArm() {
        if (armed) {
            armed = false;
            return ARMED;
        }
        Object f = fault;
        fault = null;
        return f;
    }

    // ---- saving (capture), leaf frame first -------------------------------------------------

    public static void pushInt(int v, FrameStack s) {
        s.pushPrim(v);
    }

    public static void pushFloat(float v, FrameStack s) {
        s.pushPrim(Float.floatToRawIntBits(v));
    }

    public static void pushLong(long v, FrameStack s) {
        s.pushPrim(v);
    }

    public static void pushDouble(double v, FrameStack s) {
        s.pushPrim(Double.doubleToRawLongBits(v));
    }

    public static void pushRef(Object v, FrameStack s) {
        Object[] a = s.refs;
        int i = s.rsp;
        if (i == a.length) {
            a = s.refs = Arrays.copyOf(a, Math.max(FIRST_SIZE, i * 2));
        }
        a[i] = v;
        s.rsp = i + 1;
    }

    /** Pushes the resume point of the frame just saved: the last thing a frame pushes. */
    public void pushPoint(int point) {
        pushPrim(point);
    }

    private void pushPrim(long v) {
        long[] a = prims;
        int i = psp;
        if (i == a.length) {
            a = prims = Arrays.copyOf(a, Math.max(FIRST_SIZE, i * 2));
        }
        a[i] = v;
        psp = i + 1;
    }

    // ---- restoring, root frame first ------------------------------------------------------

    public int popPoint() {
        return (int) prims[--psp];
    }

    public int popInt() {
        return (int) prims[--psp];
    }

    public float popFloat() {
        return Float.intBitsToFloat((int) prims[--psp]);
    }

    public long popLong() {
        return prims[--psp];
    }

    public double popDouble() {
        return Double.longBitsToDouble(prims[--psp]);
    }

    public Object popRef() {
        int i = --rsp;
        Object v = refs[i];
        refs[i] = null;
        return v;
    }

    /** Thrown by restore code that finds a resume point it does not have: the store is corrupt. */
    public static IllegalStateException badResumePoint(String method, int point) {
        return new IllegalStateException("Bobbin: no resume point " + point + " in " + method
                + " (the class changed since the continuation suspended, or its frames were corrupted)");
    }

    // ---- faults ---------------------------------------------------------------------------

    /**
     * Describes why a suspension cannot be done. {@code state} is the call state the leaf found:
     * {@code null} when its direct caller did not arm it, or a fault description.
     */
    public static IllegalStateException faultException(Object state) {
        return new IllegalStateException(FaultReport.describe(state));
    }

    /** What one thread has mounted; reached through {@link #CARRIERS}. */
    private static final class Carrier {
        final Thread thread = Thread.currentThread();
        FrameStack top;
    }
}
