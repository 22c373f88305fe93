package io.bobbin.internal.cont;

import io.bobbin.Continuation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides whether a method entered with an arm for another method was reached through the
 * forwarders the JVM spins for lambdas and method references (a {@code run()} arm entering a
 * {@code lambda$main$0}), which hold no state of their own and are rebuilt by re-invoking the
 * interface method, and so are transparent. It walks the stack: between the method and the frame
 * that armed the call there must be hidden frames only, and that frame must be instrumented (or the
 * continuation's root). Only a method entered with an arm that is not its own comes here, and an
 * accepted pair of ids is remembered, so the walk is done once per lambda and interface.
 */
final class ForwarderCheck {
    private static final StackWalker WALKER = StackWalker.getInstance(java.util.Set.of(
            StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES,
            StackWalker.Option.SHOW_REFLECT_FRAMES));

    /** Accepted (method id, arm id) pairs: an open-addressing set, copied on write (writes are rare). */
    private static volatile long[] accepted = new long[64];
    private static int size;

    private ForwarderCheck() {}

    static boolean reachedThroughForwarders(int id, int arm) {
        long key = ((long) id << 32) | (arm & 0xffffffffL);
        if (key == 0) {
            return false;
        }
        if (contains(accepted, key)) {
            return true;
        }
        if (!WALKER.walk(frames -> check(frames.collect(Collectors.toList())))) {
            return false;
        }
        add(key);
        return true;
    }

    /** The frames, innermost first: this class's, {@code FrameStack.enter}, the entered method, its callers. */
    private static boolean check(List<StackWalker.StackFrame> frames) {
        Iterator<StackWalker.StackFrame> it = frames.iterator();
        while (it.hasNext()) {
            StackWalker.StackFrame f = it.next();
            boolean machinery = f.getDeclaringClass() == ForwarderCheck.class
                    || (f.getDeclaringClass() == FrameStack.class && f.getMethodName().equals("enter"));
            if (!machinery) {
                break; // f is the entered method: now its callers
            }
        }
        int hidden = 0;
        while (it.hasNext()) {
            StackWalker.StackFrame caller = it.next();
            if (caller.getDeclaringClass().isHidden()) {
                hidden++;
                continue;
            }
            return hidden > 0 && (isRoot(caller) || isInstrumented(caller));
        }
        return false;
    }

    private static boolean isRoot(StackWalker.StackFrame f) {
        return f.getDeclaringClass() == Continuation.class && f.getMethodName().equals("runOnce");
    }

    private static boolean isInstrumented(StackWalker.StackFrame f) {
        for (Method m : f.getDeclaringClass().getDeclaredMethods()) {
            if (m.getName().equals(f.getMethodName()) && descriptor(m).equals(f.getDescriptor())) {
                return m.isAnnotationPresent(Instrumented.class);
            }
        }
        return false;
    }

    private static String descriptor(Method m) {
        return java.lang.invoke.MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString();
    }

    private static boolean contains(long[] table, long key) {
        int mask = table.length - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            long k = table[i];
            if (k == key) {
                return true;
            }
            if (k == 0) {
                return false;
            }
        }
    }

    private static synchronized void add(long key) {
        long[] table = accepted;
        if (contains(table, key)) {
            return;
        }
        if ((size + 1) * 2 > table.length) {
            long[] grown = new long[table.length * 2];
            for (long k : table) {
                if (k != 0) {
                    insert(grown, k);
                }
            }
            table = grown;
        } else {
            table = Arrays.copyOf(table, table.length);
        }
        insert(table, key);
        size++;
        accepted = table;
    }

    private static void insert(long[] table, long key) {
        int mask = table.length - 1;
        int i = hash(key) & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = key;
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
