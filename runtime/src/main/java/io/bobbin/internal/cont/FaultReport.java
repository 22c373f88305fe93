package io.bobbin.internal.cont;

import io.bobbin.Suspendable;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Words for a suspension that cannot be done. Only the failing path comes here, so it may walk the
 * stack and look at classes by reflection to name the frame at fault and say what fixes it.
 *
 * <p>The frame at fault is the first frame, going out from the suspension, that the continuation
 * cannot save: the caller of {@code Continuation.suspend()} or of an instrumented method that was
 * entered without being armed (its caller is not a suspension point), or the method that holds a
 * monitor. The message names it first ("the frame at fault is ..."), says why it cannot be saved,
 * and gives the fix that works for that kind of frame: start the agent (when it is not loaded, or
 * came too late for the frame's class), mark the method, a plain {@code for} loop instead of a JDK
 * method that runs a lambda, {@code SuspendableInvoker} instead of reflection, nothing in a
 * constructor or static initializer. The frames around it follow, innermost first.
 *
 * <p>Threads: any (the thread whose suspension failed).
 */
final class FaultReport {
    /** The system property that the agent sets when it starts. */
    static final String AGENT_ACTIVE = "io.bobbin.agent.active";
    private static final String SUSPEND = "io.bobbin.Continuation.suspend";
    /** Frames shown around the frame at fault. */
    private static final int CALLERS_SHOWN = 3;

    private static final StackWalker WALKER = StackWalker.getInstance(Set.of(
            StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_REFLECT_FRAMES));

    private FaultReport() {}

    static String describe(Object state) {
        List<StackWalker.StackFrame> frames = WALKER.walk(s -> s.collect(Collectors.toList()));
        return describe(state, frames, System.getProperty(AGENT_ACTIVE) != null);
    }

    /**
     * The message for the fault {@code state} ({@code null}: {@code Continuation.suspend()} was called
     * by a frame that is not instrumented; else a fault description of {@link FrameStack}), given the
     * stack, innermost first, and whether the agent is loaded.
     */
    static String describe(Object state, List<StackWalker.StackFrame> frames, boolean agentLoaded) {
        String callee;
        if (state instanceof String) {
            String fault = (String) state;
            callee = fault.substring(1);
            if (fault.charAt(0) == FrameStack.MONITOR) {
                return monitor(callee, frames);
            }
        } else {
            callee = SUSPEND;
        }
        int calleeAt = indexOf(callee, frames);
        int faultAt = calleeAt < 0 ? -1 : callerIndex(frames, calleeAt);
        String calleeText = callee.equals(SUSPEND) ? "Continuation.suspend()" : callee;
        if (faultAt < 0) {
            return agentLoaded ? "Cannot suspend through a frame that is not instrumented: " + calleeText + " was called"
                    + " by a frame that is not instrumented for suspension (mark it @Suspendable)"
                    : "Cannot suspend: the Bobbin agent is not loaded in this JVM, so no method is instrumented for"
                    + " suspension. " + capitalized(noAgent()) + ".";
        }
        StackWalker.StackFrame at = frames.get(faultAt);
        Class<?> type = at.getDeclaringClass();
        String name = at.getMethodName();
        String where = name(at) + location(at);
        String chain = chain(frames, calleeAt, faultAt, calleeText);
        Method method = method(at);
        boolean instrumented = method != null && method.isAnnotationPresent(Instrumented.class);
        if (!agentLoaded && !instrumented) {
            return "Cannot suspend: the Bobbin agent is not loaded in this JVM, so no method is instrumented for"
                    + " suspension (the frame at fault is " + where + ", which called " + calleeText + "). "
                    + capitalized(noAgent()) + ".";
        }
        String head = "Cannot suspend: the frame at fault is " + where + ", ";
        String why = calleeText + " was called by " + name(at) + ", which is not a suspension point, so the"
                + " continuation cannot save that frame. ";
        String kind;
        String fix;
        if (instrumented) {
            kind = "which is instrumented, but its call to " + calleeText + " is not a suspension point";
            why = "";
            fix = "It makes the call through a method that is not suspendable (an interface or superclass method"
                    + " not marked @Suspendable, a method handle): mark that method @Suspendable, or call through a"
                    + " type whose method is.";
        } else if (name.equals("<init>")) {
            kind = "a constructor, which is not instrumented";
            fix = "A constructor cannot suspend: make the call that suspends before it (in a static factory method,"
                    + " or in the caller) and pass its result to the constructor.";
        } else if (name.equals("<clinit>")) {
            kind = "a static initializer, which is not instrumented";
            fix = "A static initializer cannot suspend: compute the value in a suspendable method instead, or make"
                    + " sure the class is initialised before the continuation runs.";
        } else if (isReflection(at)) {
            kind = "a reflective call, which is not instrumented";
            fix = "The JDK's reflection cannot suspend: call the method through"
                    + " io.bobbin.SuspendableInvoker.invoke(method, target, args...), which can.";
        } else if (isMarked(method, type)) {
            kind = "which is marked @Suspendable but was not instrumented";
            fix = "The agent did not transform its class " + type.getName() + ": the class was loaded before the agent"
                    + " started and was not retransformed, or the agent left it as it was (its warning on standard"
                    + " error says why). Start the agent with the JVM (-javaagent:/path/to/bobbin-agent.jar), or"
                    + " attach it before the class is loaded.";
        } else if (name.startsWith("lambda$")) {
            StackWalker.StackFrame runner = callerIndex(frames, faultAt) < 0 ? null : frames.get(callerIndex(frames, faultAt));
            kind = "the body of a lambda, which is not instrumented: its functional interface method is not suspendable";
            if (runner != null && isJdk(runner.getClassName())) {
                fix = "The lambda is run by " + name(runner) + location(runner) + ", a JDK method, which cannot suspend"
                        + " either: use a plain for loop instead of forEach or a stream, and call " + calleeText
                        + " in its body.";
            } else {
                fix = "Give the lambda a suspendable functional interface: SuspendableRunnable, SuspendableCallable,"
                        + " or an interface of your own whose method is marked @Suspendable (and make sure what runs it"
                        + " is suspendable too).";
            }
        } else if (isJdk(at.getClassName())) {
            kind = "a JDK method, which is not instrumented";
            fix = "The JDK's code is never instrumented: call " + calleeText + " from code of your own that is"
                    + " suspendable (a plain for loop instead of forEach or a stream; for an interface method of yours"
                    + " that a JDK class implements, override it in your class).";
        } else {
            kind = "which is not instrumented for suspension";
            fix = "Mark " + name(at) + " @Suspendable (for a lambda or method reference: give it a functional"
                    + " interface whose method is marked); every frame between the continuation and the suspension"
                    + " must be suspendable.";
        }
        return head + kind + ". " + why + fix + " " + chain;
    }

    private static String monitor(String method, List<StackWalker.StackFrame> frames) {
        int at = indexOf(method, frames);
        String where = at < 0 ? method : method + location(frames.get(at));
        return "Cannot suspend: " + method + " holds a monitor (synchronized) at a suspension point, so the frame at"
                + " fault is " + where + ": a continuation may not suspend while it holds a monitor it took (the"
                + " monitor would stay held by the thread, or be released behind the code's back). Leave the"
                + " synchronized block or method before the call that suspends."
                + (at < 0 ? "" : " " + chain(frames, at, at, method));
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String noAgent() {
        return "start the JVM with -javaagent:/path/to/bobbin-agent.jar (an executable jar can name the agent as its"
                + " Launcher-Agent-Class), or instrument the classes ahead of time (build-time instrumentation)";
    }

    /** "Frames, innermost first: ..." from the callee to a few callers past the frame at fault. */
    private static String chain(List<StackWalker.StackFrame> frames, int calleeAt, int faultAt, String calleeText) {
        StringBuilder b = new StringBuilder("Frames, innermost first: ").append(calleeText);
        if (!calleeText.equals("Continuation.suspend()")) {
            b.append(location(frames.get(calleeAt)));
        }
        if (calleeAt == faultAt) {
            b.append(" [at fault]");
        }
        int shown = 0;
        for (int i = callerIndex(frames, calleeAt); i >= 0; i = callerIndex(frames, i)) {
            StackWalker.StackFrame f = frames.get(i);
            b.append(" <- ").append(name(f)).append(location(f));
            if (i == faultAt) {
                b.append(" [at fault]");
            }
            if (i > faultAt && ++shown == CALLERS_SHOWN) {
                break;
            }
        }
        return b.append('.').toString();
    }

    /** The innermost frame of {@code method} (class.name), or -1. */
    private static int indexOf(String method, List<StackWalker.StackFrame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if (name(frames.get(i)).equals(method)) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the frame that called frame {@code i}, past the reflection accessors; -1 if none. */
    private static int callerIndex(List<StackWalker.StackFrame> frames, int i) {
        for (int j = i + 1; j < frames.size(); j++) {
            if (!isPlumbing(frames.get(j).getClassName())) {
                return j; // name Method.invoke, not the accessors behind it
            }
        }
        return -1;
    }

    private static String name(StackWalker.StackFrame f) {
        return f.getClassName() + "." + f.getMethodName();
    }

    private static String location(StackWalker.StackFrame f) {
        return f.getLineNumber() > 0 ? " (" + f.getFileName() + ":" + f.getLineNumber() + ")" : "";
    }

    private static boolean isPlumbing(String className) {
        return className.startsWith("jdk.internal.reflect.") || className.startsWith("java.lang.invoke.");
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.");
    }

    private static boolean isReflection(StackWalker.StackFrame f) {
        String c = f.getClassName();
        return c.equals("java.lang.reflect.Method") || c.equals("java.lang.reflect.Constructor");
    }

    /** The method of frame {@code f}, or {@code null} (a constructor, an initializer, or not to be found). */
    private static Method method(StackWalker.StackFrame f) {
        try {
            for (Method m : f.getDeclaringClass().getDeclaredMethods()) {
                if (m.getName().equals(f.getMethodName()) && f.getDescriptor().equals(descriptor(m))) {
                    return m;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // a class whose methods cannot be listed: say what can be said without it
        }
        return null;
    }

    private static String descriptor(Method m) {
        return java.lang.invoke.MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString();
    }

    /**
     * Whether {@code m} is suspendable by its marks: marked itself, declared in a marked class or
     * interface, or overriding (implementing) a method that is.
     */
    static boolean isMarked(Method m, Class<?> type) {
        if (m == null) {
            return false;
        }
        if (m.isAnnotationPresent(Suspendable.class) || type.isAnnotationPresent(Suspendable.class)) {
            return true;
        }
        if (m.isSynthetic() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
            return false;
        }
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(type);
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (c != type) {
                try {
                    Method over = c.getDeclaredMethod(m.getName(), m.getParameterTypes());
                    if (over.isAnnotationPresent(Suspendable.class) || c.isAnnotationPresent(Suspendable.class)) {
                        return true;
                    }
                } catch (NoSuchMethodException | RuntimeException | LinkageError e) {
                    // not declared there
                }
            }
            if (c.getSuperclass() != null) {
                todo.add(c.getSuperclass());
            }
            todo.addAll(Arrays.asList(c.getInterfaces()));
        }
        return false;
    }
}
