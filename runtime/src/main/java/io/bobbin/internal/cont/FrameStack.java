package io.bobbin.internal.cont;

import io.bobbin.internal.observe.Events;
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
 * {@link #enter(int, String)}. Before each suspendable call it {@linkplain #arm(Object, int) arms} the
 * call for the method it names; after it, in mode {@link #CAPTURING} it saves its live values and
 * returns at once, else it {@linkplain #disarm() disarms}.
 *
 * <p>An arm names the method it is for ({@link #methodId}): a method entered with an arm that is not
 * its own was reached through some other frame, a static initializer or an implementation that is not
 * instrumented, and is not anchored. The only frames allowed in between are the forwarders the JVM
 * spins for lambdas and method references, which {@link ForwarderCheck} recognises (once per pair).
 *
 * <p>Unwinding is by return, leaf first: each frame pushes its values and then its resume point.
 * Restoring goes root first, popping in reverse, so the arrays are used as plain stacks. The
 * arrays grow by doubling and are reused, so a suspend/resume that does not deepen the stack
 * allocates nothing. A stack's first arrays are as long as the last capture anywhere needed
 * ({@link #noteSizes()}): continuations of one kind suspend at one depth, so a new one allocates
 * each array once, at the size it needs, with no intermediate copies and no slack.
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

    /** Fault prefix: the method named after it was entered from a frame that is not a suspension point. */
    public static final char UNANCHORED = 'U';

    /** {@link #methodId} of the root call, {@code SuspendableRunnable.run()}. */
    private static final int ROOT_ID = methodId("run", "()V");
    /** {@link #methodId} of {@code Continuation.suspend()}, and its name for {@link #enter}. */
    public static final int SUSPEND_ID = methodId("suspend", "()V");
    public static final String SUSPEND_SELF = UNANCHORED + "io.bobbin.Continuation.suspend";
    /**
     * {@link #methodId} of {@code Continuation.suspend(Object)}, a leaf of its own: its callers arm it
     * for this id, so it takes its anchor with it (and {@link #SUSPEND_SELF}, the same name).
     */
    public static final int SUSPEND_VALUE_ID = methodId("suspend", "(Ljava/lang/Object;)Ljava/lang/Object;");
    private static final int TORTURE_ID = methodId("tortureSuspend", "()V");
    private static final String TORTURE_SELF = UNANCHORED + "io.bobbin.internal.cont.FrameStack.tortureSuspend";

    /**
     * The id an arm carries for a method: the hash of its name and descriptor, never 0 (no arm).
     * Overrides share it; the agent computes the same value for the calls and methods it writes.
     */
    public static int methodId(String name, String descriptor) {
        int h = (name + descriptor).hashCode();
        return h == 0 ? 1 : h;
    }


    /** Fault prefix: the method named after it holds a monitor at a suspension point. */
    public static final char MONITOR = 'M';

    private static final int[] NO_INTS = new int[0];
    private static final long[] NO_LONGS = new long[0];
    private static final Object[] NO_REFS = new Object[0];
    private static final int FIRST_SIZE = 4;
    /** The largest first size {@link #noteSizes()} passes on: one deep continuation does not make every new one big. */
    private static final int HINT_CAP = 64;
    /**
     * First sizes of the three arrays: what the last capture used, anywhere (see {@link #noteSizes}).
     * Racy on purpose: any value is correct, a stale one only less exact; written only when it changes.
     */
    private static int firstInts = FIRST_SIZE;
    private static int firstLongs = FIRST_SIZE;
    private static int firstRefs = FIRST_SIZE;

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
     * frame up to the continuation's root is one too", for the method whose {@link #methodId} this is;
     * 0 when nothing is armed. An int, so that arming and disarming, on every suspendable call, are
     * plain stores with no GC write barrier.
     */
    private int armed;
    /**
     * A fault description (a {@code String}) travelling down the chain until a suspension turns it
     * into an exception, or {@code null}; written only when there is one. Never set with {@link #armed}.
     */
    private Object fault;
    /** The {@link #methodId} the {@link #fault} was armed for: a fault meant for another method is stale. */
    private int faultFor;
    /** The suspension under way was forced by the torture mode: the continuation resumes it at once. */
    public boolean tortured;

    // Three stacks, by width: resume points, ints and floats; longs and doubles; references. Each is
    // used in last-in-first-out order, so splitting them keeps every value in its place. Allocated at
    // the first suspension and grown by doubling: a continuation that never suspends holds no arrays,
    // and one that suspends at the same depth again allocates nothing.
    // Package-private for SavedFrames, which reads a suspended store; nothing else outside this class touches them.
    int[] ints = NO_INTS;
    long[] longs = NO_LONGS;
    Object[] refs = NO_REFS;
    int isp;
    int lsp;
    int rsp;

    private final Object owner;
    /**
     * What the scheduler running this continuation attaches to it (a loop's task), or {@code null}.
     * Set once, before the continuation first runs; read on the thread that runs it.
     */
    public Object attachment;
    private Thread carrier;
    private Carrier mountedOn;

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
        c.push(this);
        carrier = t;
        mountedOn = c;
        recent = this;
    }

    /** Undoes {@link #mount()}; the stack mounted before it becomes current again. */
    public void unmount() {
        FrameStack o = mountedOn.pop();
        mountedOn = null;
        carrier = null;
        recent = o;
    }

    /** Whether frames are saved, waiting to be restored. */
    public boolean hasFrames() {
        return isp != 0; // every saved frame pushed its resume point
    }

    /**
     * Replaces the saved frames with a store rebuilt elsewhere (a continuation read back from a
     * stream, see {@link SerialFrames}): the arrays are taken as they are, in the layout the capture
     * leaves (leaf frame first, each frame's resume point after its ints). Only on a store that has
     * never run.
     */
    void load(int[] ints, int isp, long[] longs, int lsp, Object[] refs, int rsp) {
        this.ints = ints;
        this.isp = isp;
        this.longs = longs;
        this.lsp = lsp;
        this.refs = refs;
        this.rsp = rsp;
    }

    /** Drops every saved frame (the continuation ended). */
    public void clear() {
        Arrays.fill(refs, 0, rsp, null);
        isp = 0;
        lsp = 0;
        rsp = 0;
        mode = RUNNING;
        armed = 0;
        fault = null;
        tortured = false;
    }

    // ---- anchoring -------------------------------------------------------------------------

    /**
     * Called at the entry of an instrumented method. Returns {@code null} when it was called by an
     * instrumented frame at a suspension point of an intact chain, and otherwise the fault that a
     * suspension below it must report.
     *
     * @param id this method's {@link #methodId}
     * @param self {@link #UNANCHORED} followed by this method's name, the fault when nothing armed the call for it
     */
    public Object enter(int id, String self) {
        int a = armed;
        if (a == id) {
            armed = 0;
            return null;
        }
        armed = 0;
        if (a != 0 && ForwarderCheck.reachedThroughForwarders(id, a)) {
            return null;
        }
        Object f = fault;
        if (f != null) {
            fault = null;
            // A fault armed for a call that threw before its callee was entered is stale: not ours.
            if (faultFor == id || ForwarderCheck.reachedThroughForwarders(id, faultFor)) {
                return f;
            }
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
        boolean intact = s.enter(TORTURE_ID, TORTURE_SELF) == null;
        s.disarm();
        if (intact && Torture.ENABLED) {
            s.tortured = true;
            s.mode = CAPTURING;
        }
    }

    /** Arms the next call, to the method {@code id}: {@code fault} is {@code null} for an intact chain. */
    public void arm(Object fault, int id) {
        if (fault == null) {
            armed = id;
        } else {
            armed = 0;
            this.fault = fault;
            faultFor = id;
        }
    }

    /** Arms the next call, to the method {@code id}, from a frame that holds a monitor there. */
    public void armUnderMonitor(Object fault, String site, int id) {
        armed = 0;
        this.fault = fault != null ? fault : site;
        faultFor = id;
    }

    /** Called after a suspendable call returned normally, or at an exception handler. */
    public void disarm() {
        armed = 0;
        if (fault != null) {
            fault = null;
        }
    }

    /** Arms the root call: the body's {@code run()}, called by {@code resume()}. */
    public void armRoot() {
        armed = ROOT_ID;
        if (fault != null) {
            fault = null; // tested first: a reference store pays a GC barrier, and there is rarely a fault
        }
    }

    // ---- saving (capture), leaf frame first -------------------------------------------------

    public static void pushInt(int v, FrameStack s) {
        s.pushInt(v);
    }

    public static void pushFloat(float v, FrameStack s) {
        s.pushInt(Float.floatToRawIntBits(v));
    }

    public static void pushLong(long v, FrameStack s) {
        long[] a = s.longs;
        int i = s.lsp;
        if (i == a.length) {
            a = s.longs = Arrays.copyOf(a, i == 0 ? firstLongs : Math.max(FIRST_SIZE, i * 2));
        }
        a[i] = v;
        s.lsp = i + 1;
    }

    public static void pushDouble(double v, FrameStack s) {
        pushLong(Double.doubleToRawLongBits(v), s);
    }

    public static void pushRef(Object v, FrameStack s) {
        Object[] a = s.refs;
        int i = s.rsp;
        if (i == a.length) {
            a = s.refs = Arrays.copyOf(a, i == 0 ? firstRefs : Math.max(FIRST_SIZE, i * 2));
        }
        a[i] = v;
        s.rsp = i + 1;
    }

    /**
     * The array that holds resume points and ints, as an identity only: a capture that leaves another
     * one there has allocated (a first capture, or a deeper one than ever).
     */
    public Object intStore() {
        return ints;
    }

    /**
     * After a capture that allocated: the sizes it used become the first sizes of stacks that have not
     * suspended yet (capped at {@link #HINT_CAP}; at least 1). Costs a read of three static fields, and
     * a write only when a size changes; called only when the capture allocated, so a continuation that
     * suspends again at its depth never touches these shared fields.
     */
    public void noteSizes() {
        int i = Math.max(1, Math.min(isp, HINT_CAP));
        int l = Math.max(1, Math.min(lsp, HINT_CAP));
        int r = Math.max(1, Math.min(rsp, HINT_CAP));
        if (firstInts != i) {
            firstInts = i;
        }
        if (firstLongs != l) {
            firstLongs = l;
        }
        if (firstRefs != r) {
            firstRefs = r;
        }
    }

    /** Pushes the resume point of the frame just saved: the last thing a frame pushes. */
    public void pushPoint(int point) {
        pushInt(point);
    }

    private void pushInt(int v) {
        int[] a = ints;
        int i = isp;
        if (i == a.length) {
            a = ints = Arrays.copyOf(a, i == 0 ? firstInts : Math.max(FIRST_SIZE, i * 2));
        }
        a[i] = v;
        isp = i + 1;
    }

    // ---- restoring, root frame first ------------------------------------------------------

    public int popPoint() {
        return ints[--isp];
    }

    public int popInt() {
        return ints[--isp];
    }

    public float popFloat() {
        return Float.intBitsToFloat(ints[--isp]);
    }

    public long popLong() {
        return longs[--lsp];
    }

    public double popDouble() {
        return Double.longBitsToDouble(longs[--lsp]);
    }

    public Object popRef() {
        int i = --rsp;
        Object v = refs[i];
        refs[i] = null;
        return v;
    }

    /** Thrown by restore code that finds a resume point it does not have: the store is corrupt. */
    public static IllegalStateException badResumePoint(String method, int point) {
        return new IllegalStateException("no resume point " + point + " in " + method
                + " (the class changed since the continuation suspended, or its frames were corrupted); resume it only with the classes it suspended with");
    }

    // ---- faults ---------------------------------------------------------------------------

    /**
     * Describes why a suspension cannot be done. {@code state} is the call state the leaf found:
     * {@code null} when its direct caller did not arm it, or a fault description.
     */
    public static IllegalStateException faultException(Object state) {
        return recorded(new IllegalStateException(FaultReport.describe(state)));
    }

    /** Records a refused suspension for Flight Recorder (event {@code io.bobbin.SuspensionRefused}); returns {@code e}. */
    private static IllegalStateException recorded(IllegalStateException e) {
        Events.suspensionRefused(e.getMessage());
        return e;
    }

    /** What one thread has mounted; reached through {@link #CARRIERS}. */
    /**
     * A thread's mounted stacks: {@link #top}, the innermost, and below it the ones it was mounted
     * over (a continuation resumed inside another). Kept here, per thread, rather than as a link in
     * every stack: only mounted stacks need it. Its thread only.
     */
    private static final class Carrier {
        final Thread thread = Thread.currentThread();
        FrameStack top;
        /** The stacks mounted under {@link #top}, outermost first; {@code depth} of them. */
        private FrameStack[] under = new FrameStack[4];
        private int depth;

        void push(FrameStack s) {
            if (depth == under.length) {
                under = Arrays.copyOf(under, depth * 2);
            }
            under[depth++] = top;
            top = s;
        }

        /** Unmounts {@link #top} (the innermost, the only one that can end); returns the new top. */
        FrameStack pop() {
            FrameStack o = under[--depth];
            under[depth] = null;
            top = o;
            return o;
        }
    }
}
