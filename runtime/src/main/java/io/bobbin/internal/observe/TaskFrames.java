package io.bobbin.internal.observe;

import io.bobbin.internal.cont.SavedFrames;
import java.util.ArrayList;
import java.util.List;

/**
 * A task's frames as its user wrote them, innermost first, the way {@link Thread#getStackTrace()}
 * shows a thread blocked at the same place.
 *
 * <p>What shows and what does not: Bobbin's public frames show like the JDK's own frames in a
 * thread's trace ({@code Async.sleep} as the innermost frame of a sleeping task, as {@code
 * Thread.sleep} is for a thread); its internal machinery ({@code io.bobbin.internal.*}: the task's
 * park, the poller) does not, at either end: the innermost frames below the public call a task waits
 * in, and the task's own root frames below the body (a thread's trace would show {@code Thread.run}
 * there). A task that waits in a public method whose frame is not saved (it is not instrumented,
 * like {@code Task.join} reached through the interface, or {@code Continuation.suspend} itself) shows
 * that call as its innermost frame, with no line number, as a thread shows a native method.
 *
 * <p>Threads: pure functions of their arguments.
 */
public final class TaskFrames {
    /** The frames of a task that is not suspended. */
    public static final StackTraceElement[] NONE = new StackTraceElement[0];

    private static final String INTERNAL = "io.bobbin.internal.";
    private static final String INTERNAL_SLASHED = "io/bobbin/internal/";

    private TaskFrames() {}

    /** Whether a frame of class {@code className} is Bobbin's internal machinery. */
    static boolean isMachinery(String className) {
        return className.startsWith(INTERNAL);
    }

    /** A suspended continuation's saved frames (root first, as {@link SavedFrames#of} gives them), innermost first. */
    public static StackTraceElement[] of(List<SavedFrames.Frame> rootFirst) {
        int root = 0;
        while (root < rootFirst.size() && isMachinery(classOf(rootFirst.get(root)))) {
            root++; // the task's own frames below the user's body
        }
        int leaf = rootFirst.size() - 1;
        while (leaf >= root && isMachinery(classOf(rootFirst.get(leaf)))) {
            leaf--; // the wait's machinery below the public call
        }
        if (leaf < root) {
            return NONE;
        }
        List<StackTraceElement> out = new ArrayList<>(leaf - root + 2);
        SavedFrames.Frame top = rootFirst.get(leaf);
        if (top.callOwner != null && !top.callOwner.startsWith(INTERNAL_SLASHED)) {
            out.add(callee(top.callOwner, top.callName)); // the call it waits in, whose frame was not saved
        }
        for (int i = leaf; i >= root; i--) {
            out.add(rootFirst.get(i).toStackTraceElement());
        }
        return out.toArray(NONE);
    }

    private static String classOf(SavedFrames.Frame f) {
        return f.method == null ? "<unknown>" : f.method.getDeclaringClass().getName();
    }

    /** The frame of a call whose own frame was not saved: its class and method, no line. */
    private static StackTraceElement callee(String owner, String name) {
        String cls = owner.replace('/', '.');
        String file = null;
        if (cls.startsWith("io.bobbin.")) { // Bobbin's own classes come from a .java file of the outer class's name
            String simple = cls.substring(cls.lastIndexOf('.') + 1);
            int nested = simple.indexOf('$');
            file = (nested < 0 ? simple : simple.substring(0, nested)) + ".java";
        }
        return new StackTraceElement(cls, name, file, -1);
    }

    /**
     * The frames of the running task, taken from the thread that runs it (its loop's) by a call
     * under the task's code: the stack from the innermost frame that is not Bobbin's machinery
     * ({@code Thread.getStackTrace} and the dump's own frames) down to the task's root.
     */
    public static StackTraceElement[] running(StackTraceElement[] threadStack) {
        int from = 0;
        while (from < threadStack.length && (isMachinery(threadStack[from].getClassName())
                || threadStack[from].getClassName().equals("java.lang.Thread"))) {
            from++;
        }
        int to = from;
        while (to < threadStack.length && !isMachinery(threadStack[to].getClassName())) {
            to++;
        }
        List<StackTraceElement> out = new ArrayList<>(List.of(threadStack).subList(from, to));
        return out.toArray(NONE);
    }

    /**
     * Of a stack sampled from a loop's thread during a step, the step's own frames: from the top down
     * to the loop's machinery that runs the step (the task's root, the loop's turn); the whole sample
     * if the thread is in the machinery itself.
     */
    public static List<StackTraceElement> stepFrames(StackTraceElement[] sample) {
        int to = 0;
        while (to < sample.length && !isStepMachinery(sample[to].getClassName())) {
            to++;
        }
        List<StackTraceElement> out = new ArrayList<>(to == 0 ? sample.length : to);
        for (int i = 0; i < (to == 0 ? sample.length : to); i++) {
            if (!sample[i].getClassName().contains("$$Lambda")) { // the JVM's forwarders for lambdas hold nothing of the user's
                out.add(sample[i]);
            }
        }
        return out;
    }

    private static boolean isStepMachinery(String className) {
        return className.startsWith("io.bobbin.internal.loop.") || className.equals("io.bobbin.internal.task.LoopTask");
    }

    /**
     * {@code e} as a thread dump shows a frame: a tab, "at ", class, method, and where: file and line,
     * "Native Method" or "Unknown Source" (without the class loader and module that {@link
     * StackTraceElement#toString()} adds to the frames of a live thread, so that saved frames and
     * sampled frames read alike).
     */
    static void appendFrame(StringBuilder b, StackTraceElement e) {
        b.append("\tat ").append(format(e)).append('\n');
    }

    /** {@code e} as {@code class.method(File.java:line)}. */
    public static String format(StackTraceElement e) {
        StringBuilder b = new StringBuilder(e.getClassName()).append('.').append(e.getMethodName()).append('(');
        if (e.isNativeMethod()) {
            b.append("Native Method");
        } else if (e.getFileName() == null) {
            b.append("Unknown Source");
        } else {
            b.append(e.getFileName());
            if (e.getLineNumber() >= 0) {
                b.append(':').append(e.getLineNumber());
            }
        }
        return b.append(')').toString();
    }
}
