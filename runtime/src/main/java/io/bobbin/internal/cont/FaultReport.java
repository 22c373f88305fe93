package io.bobbin.internal.cont;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Words for a suspension that cannot be done. Only the failing path comes here, so it may walk the
 * stack to name the frame at fault.
 */
final class FaultReport {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.SHOW_REFLECT_FRAMES);

    private FaultReport() {}

    static String describe(Object state) {
        if (state instanceof String) {
            String fault = (String) state;
            String method = fault.substring(1);
            if (fault.charAt(0) == FrameStack.MONITOR) {
                return "Cannot suspend: " + method + " holds a monitor (synchronized) at a suspension point;"
                        + " a continuation may not suspend while it holds a monitor it took";
            }
            return "Cannot suspend through a frame that is not instrumented: " + method + " was called by "
                    + callerOf(method) + ", which is not a suspension point (mark it @Suspendable, or run the"
                    + " code in an instrumented frame)";
        }
        return "Cannot suspend through a frame that is not instrumented: Continuation.suspend() was called by "
                + callerOf("io.bobbin.Continuation.suspend") + ", which is not instrumented for suspension"
                + " (mark it @Suspendable, or its functional interface method)";
    }

    /** The frames that called {@code method} (class.name), innermost first, as far as three. */
    private static String callerOf(String method) {
        List<StackWalker.StackFrame> frames = WALKER.walk(s -> s.collect(Collectors.toList()));
        for (int i = 0; i < frames.size(); i++) {
            StackWalker.StackFrame f = frames.get(i);
            if ((f.getClassName() + "." + f.getMethodName()).equals(method)) {
                StringBuilder b = new StringBuilder();
                int shown = 0;
                for (int j = i + 1; j < frames.size() && shown < 3; j++) {
                    StackWalker.StackFrame c = frames.get(j);
                    if (isPlumbing(c.getClassName())) {
                        continue; // name Method.invoke, not the accessors behind it
                    }
                    b.append(shown++ == 0 ? "" : " <- ").append(c.getClassName()).append('.').append(c.getMethodName());
                    if (c.getLineNumber() > 0) {
                        b.append(" (").append(c.getFileName()).append(':').append(c.getLineNumber()).append(')');
                    }
                }
                return b.length() == 0 ? "an unknown frame" : b.toString();
            }
        }
        return "a frame that is not instrumented";
    }

    private static boolean isPlumbing(String className) {
        return className.startsWith("jdk.internal.reflect.") || className.startsWith("java.lang.invoke.");
    }
}
