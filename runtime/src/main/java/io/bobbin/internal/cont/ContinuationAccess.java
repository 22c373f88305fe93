package io.bobbin.internal.cont;

import io.bobbin.Continuation;

/**
 * How the runtime's other internal packages reach what a {@link Continuation} keeps private: the
 * attachment of its frame store (the task that runs it). {@code Continuation} installs the bridge in
 * its static initializer; since a continuation exists before anyone asks about it, the bridge is
 * always there.
 *
 * <p>Only this package names {@link FrameStack} by hand, so that the frame store stays the business of
 * the protocol the agent writes (the agent tells the classes it instrumented by an explicit mark, not
 * by their naming the frame store).
 *
 * <p>Threads: any; the bridge is written once, before any continuation exists.
 */
public final class ContinuationAccess {
    /** What {@code Continuation} hands out of itself. */
    public interface Bridge {
        FrameStack stackOf(Continuation c);

        Object bodyOf(Continuation c);
    }

    private static volatile Bridge bridge;

    private ContinuationAccess() {}

    /** Called once, by {@code Continuation}'s static initializer. */
    public static void install(Bridge b) {
        if (bridge != null) {
            throw new IllegalStateException("the continuation bridge is installed already");
        }
        bridge = b;
    }

    /**
     * Attaches {@code attachment} to {@code c} before it first runs; a {@link ResumeHook} is told of
     * each resumed suspension.
     */
    public static void attach(Continuation c, Object attachment) {
        bridge.stackOf(c).attachment = attachment;
    }

    /** The frame store of {@code c} (this package only). */
    static FrameStack stackOf(Continuation c) {
        return bridge.stackOf(c);
    }

    /** The body of {@code c} (this package only). */
    static Object bodyOf(Continuation c) {
        return bridge.bodyOf(c);
    }

    /** The attachment of the innermost continuation running on this thread, or {@code null}. */
    public static Object currentAttachment() {
        FrameStack s = FrameStack.current();
        return s == null ? null : s.attachment;
    }
}
