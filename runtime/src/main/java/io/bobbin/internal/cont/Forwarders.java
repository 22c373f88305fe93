package io.bobbin.internal.cont;

import io.bobbin.Suspendable;

/**
 * The interfaces that {@code io.bobbin.SuspendableInvoker} has the lambda metafactory implement, one
 * per arity: public only because the JVM spins their forwarders in the target method's package.
 * <b>Internal.</b>
 */
public final class Forwarders {
    private Forwarders() {}

    @FunctionalInterface public interface Arity0 { @Suspendable Object call() throws Exception; }
    @FunctionalInterface public interface Arity1 { @Suspendable Object call(Object a) throws Exception; }
    @FunctionalInterface public interface Arity2 { @Suspendable Object call(Object a, Object b) throws Exception; }
    @FunctionalInterface public interface Arity3 { @Suspendable Object call(Object a, Object b, Object c) throws Exception; }
    @FunctionalInterface public interface Arity4 { @Suspendable Object call(Object a, Object b, Object c, Object d) throws Exception; }
    @FunctionalInterface public interface Arity5 { @Suspendable Object call(Object a, Object b, Object c, Object d, Object e) throws Exception; }
    @FunctionalInterface public interface Arity6 { @Suspendable Object call(Object a, Object b, Object c, Object d, Object e, Object f) throws Exception; }
    @FunctionalInterface public interface Arity7 { @Suspendable Object call(Object a, Object b, Object c, Object d, Object e, Object f, Object g) throws Exception; }
    @FunctionalInterface public interface Arity8 { @Suspendable Object call(Object a, Object b, Object c, Object d, Object e, Object f, Object g, Object h) throws Exception; }
    @FunctionalInterface public interface Void0 { @Suspendable void call() throws Exception; }
    @FunctionalInterface public interface Void1 { @Suspendable void call(Object a) throws Exception; }
    @FunctionalInterface public interface Void2 { @Suspendable void call(Object a, Object b) throws Exception; }
    @FunctionalInterface public interface Void3 { @Suspendable void call(Object a, Object b, Object c) throws Exception; }
    @FunctionalInterface public interface Void4 { @Suspendable void call(Object a, Object b, Object c, Object d) throws Exception; }
    @FunctionalInterface public interface Void5 { @Suspendable void call(Object a, Object b, Object c, Object d, Object e) throws Exception; }
    @FunctionalInterface public interface Void6 { @Suspendable void call(Object a, Object b, Object c, Object d, Object e, Object f) throws Exception; }
    @FunctionalInterface public interface Void7 { @Suspendable void call(Object a, Object b, Object c, Object d, Object e, Object f, Object g) throws Exception; }
    @FunctionalInterface public interface Void8 { @Suspendable void call(Object a, Object b, Object c, Object d, Object e, Object f, Object g, Object h) throws Exception; }
}
