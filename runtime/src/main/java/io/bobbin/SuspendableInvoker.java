package io.bobbin;

import io.bobbin.internal.cont.Forwarders;
import io.bobbin.internal.cont.Instrumented;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls a method reflectively so that a continuation can suspend inside it. {@link Method#invoke}
 * is a frame that is not instrumented, so a suspension under it fails; this reaches the method
 * through a forwarder spun by the JVM's lambda metafactory instead, which needs no instrumentation.
 * Test runners, plugin hosts and dispatchers use it to call user methods inside a continuation.
 *
 * <p>A method the agent did not instrument (it is not suspendable) is called with plain reflection:
 * it runs, but cannot suspend. Up to {@value #MAX_ARITY} parameters, the receiver included.
 */
public final class SuspendableInvoker {
    /** The most parameters (the receiver of an instance method counted) a method may have. */
    public static final int MAX_ARITY = 8;

    private static final ConcurrentHashMap<Method, Object> INVOKERS = new ConcurrentHashMap<>();
    private static final Object PLAIN = new Object();

    private SuspendableInvoker() {}

    /**
     * Invokes {@code method} on {@code target} (ignored for a static method) with {@code args}. The
     * method's own exceptions come out as they are, not wrapped in {@link InvocationTargetException}.
     *
     * @throws IllegalArgumentException if the arguments do not fit the method
     * @throws IllegalAccessException if the method cannot be reached from this module
     */
    @Suspendable
    public static Object invoke(Method method, Object target, Object... args) throws Exception {
        Object[] a = args == null ? new Object[0] : args;
        if (a.length != method.getParameterCount()) {
            throw new IllegalArgumentException(method + " takes " + method.getParameterCount() + " arguments, not " + a.length);
        }
        Object invoker = INVOKERS.computeIfAbsent(method, SuspendableInvoker::spin);
        if (invoker == PLAIN) {
            try {
                method.setAccessible(true);
                return method.invoke(target, a);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception) {
                    throw (Exception) cause;
                }
                throw (Error) cause;
            }
        }
        boolean isStatic = Modifier.isStatic(method.getModifiers());
        if (!isStatic && target == null) {
            throw new NullPointerException("target of " + method);
        }
        Object[] all = isStatic ? a : prepend(target, a);
        return call(invoker, all);
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Suspendable
    private static Object call(Object invoker, Object[] a) throws Exception {
        switch (a.length) {
            case 0: return ((Forwarders.Arity0) invoker).call();
            case 1: return ((Forwarders.Arity1) invoker).call(a[0]);
            case 2: return ((Forwarders.Arity2) invoker).call(a[0], a[1]);
            case 3: return ((Forwarders.Arity3) invoker).call(a[0], a[1], a[2]);
            case 4: return ((Forwarders.Arity4) invoker).call(a[0], a[1], a[2], a[3]);
            case 5: return ((Forwarders.Arity5) invoker).call(a[0], a[1], a[2], a[3], a[4]);
            case 6: return ((Forwarders.Arity6) invoker).call(a[0], a[1], a[2], a[3], a[4], a[5]);
            case 7: return ((Forwarders.Arity7) invoker).call(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
            case 8: return ((Forwarders.Arity8) invoker).call(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
            default: throw new IllegalArgumentException("more than " + MAX_ARITY + " parameters");
        }
    }

    private static final Class<?>[] ARITIES = {Forwarders.Arity0.class, Forwarders.Arity1.class, Forwarders.Arity2.class, Forwarders.Arity3.class, Forwarders.Arity4.class,
        Forwarders.Arity5.class, Forwarders.Arity6.class, Forwarders.Arity7.class, Forwarders.Arity8.class};

    /** A forwarder for an instrumented method, or {@link #PLAIN} for one that is not. */
    private static Object spin(Method method) {
        if (!method.isAnnotationPresent(Instrumented.class)) {
            return PLAIN;
        }
        boolean isStatic = Modifier.isStatic(method.getModifiers());
        int arity = method.getParameterCount() + (isStatic ? 0 : 1);
        if (arity > MAX_ARITY) {
            throw new IllegalArgumentException(method + " has more than " + MAX_ARITY + " parameters");
        }
        Class<?> iface = ARITIES[arity];
        Object[] objects = new Object[arity];
        Arrays.fill(objects, Object.class);
        MethodType erased = MethodType.methodType(Object.class, Arrays.copyOf(objects, arity, Class[].class));
        Class<?>[] params = isStatic ? method.getParameterTypes() : prependType(method.getDeclaringClass(), method.getParameterTypes());
        Class<?> ret = method.getReturnType() == void.class ? Void.class : boxed(method.getReturnType());
        MethodType instantiated = MethodType.methodType(ret, boxedAll(params));
        ReflectiveOperationException last = null;
        for (MethodHandles.Lookup lookup : lookups(method.getDeclaringClass())) {
            try {
                MethodHandle impl = lookup.unreflect(method);
                if (method.getReturnType() == void.class) {
                    return spinVoid(lookup, impl, erased, params, arity);
                }
                CallSite site = LambdaMetafactory.metafactory(lookup, "call", MethodType.methodType(iface), erased, impl,
                        instantiated);
                return site.getTarget().invoke();
            } catch (ReflectiveOperationException e) {
                last = e;
            } catch (Throwable t) {
                last = new ReflectiveOperationException(t);
            }
        }
        throw new IllegalArgumentException("cannot reach " + method + " from io.bobbin: " + last, last);
    }

    /** A void method returns {@code null}: spin it against the void interfaces, and wrap. */
    private static Object spinVoid(MethodHandles.Lookup lookup, MethodHandle impl, MethodType erased,
                                   Class<?>[] params, int arity) throws Throwable {
        Class<?> voidIface = VOID_ARITIES[arity];
        MethodType samType = erased.changeReturnType(void.class);
        CallSite site = LambdaMetafactory.metafactory(lookup, "call", MethodType.methodType(voidIface), samType, impl,
                MethodType.methodType(void.class, boxedAll(params)));
        return new VoidAdapter(site.getTarget().invoke());
    }

    private static MethodHandles.Lookup[] lookups(Class<?> owner) {
        MethodHandles.Lookup own = MethodHandles.lookup();
        try {
            return new MethodHandles.Lookup[] {MethodHandles.privateLookupIn(owner, own), own};
        } catch (IllegalAccessException e) {
            return new MethodHandles.Lookup[] {own};
        }
    }

    private static Class<?>[] prependType(Class<?> first, Class<?>[] rest) {
        Class<?>[] all = new Class<?>[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static Class<?>[] boxedAll(Class<?>[] types) {
        Class<?>[] out = new Class<?>[types.length];
        for (int i = 0; i < types.length; i++) {
            out[i] = boxed(types[i]);
        }
        return out;
    }

    private static Class<?> boxed(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return MethodType.methodType(c).wrap().returnType();
    }

    private static final Class<?>[] VOID_ARITIES = {Forwarders.Void0.class, Forwarders.Void1.class, Forwarders.Void2.class, Forwarders.Void3.class, Forwarders.Void4.class,
        Forwarders.Void5.class, Forwarders.Void6.class, Forwarders.Void7.class, Forwarders.Void8.class};

    /** Presents a void forwarder as the Object-returning interface of its arity (returning null). */
    private static final class VoidAdapter implements Forwarders.Arity0, Forwarders.Arity1, Forwarders.Arity2, Forwarders.Arity3, Forwarders.Arity4, Forwarders.Arity5, Forwarders.Arity6, Forwarders.Arity7, Forwarders.Arity8 {
        private final Object target;

        VoidAdapter(Object target) {
            this.target = target;
        }

        @Override public Object call() throws Exception { ((Forwarders.Void0) target).call(); return null; }
        @Override public Object call(Object a) throws Exception { ((Forwarders.Void1) target).call(a); return null; }
        @Override public Object call(Object a, Object b) throws Exception { ((Forwarders.Void2) target).call(a, b); return null; }
        @Override public Object call(Object a, Object b, Object c) throws Exception { ((Forwarders.Void3) target).call(a, b, c); return null; }
        @Override public Object call(Object a, Object b, Object c, Object d) throws Exception { ((Forwarders.Void4) target).call(a, b, c, d); return null; }
        @Override public Object call(Object a, Object b, Object c, Object d, Object e) throws Exception { ((Forwarders.Void5) target).call(a, b, c, d, e); return null; }
        @Override public Object call(Object a, Object b, Object c, Object d, Object e, Object f) throws Exception { ((Forwarders.Void6) target).call(a, b, c, d, e, f); return null; }
        @Override public Object call(Object a, Object b, Object c, Object d, Object e, Object f, Object g) throws Exception { ((Forwarders.Void7) target).call(a, b, c, d, e, f, g); return null; }
        @Override public Object call(Object a, Object b, Object c, Object d, Object e, Object f, Object g, Object h) throws Exception { ((Forwarders.Void8) target).call(a, b, c, d, e, f, g, h); return null; }
    }
}
