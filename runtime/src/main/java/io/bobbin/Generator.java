package io.bobbin;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A lazy sequence written as a body that {@linkplain Emitter#emit emits} its elements, run on a
 * {@link Continuation}: each iterator runs the body afresh, and only as far as the next element it is
 * asked for.
 *
 * <p>An exception from the body comes out of {@code hasNext()}/{@code next()}: unchecked as it is,
 * checked wrapped in {@link ContinuationException}. An iterator abandoned half-way is simply dropped;
 * its body's {@code finally} blocks do not run. Iterators are not thread-safe.
 */
public final class Generator<T> implements Iterable<T> {
    /** The body of a generator. */
    @FunctionalInterface
    public interface Body<T> {
        @Suspendable
        void generate(Emitter<T> out) throws Exception;
    }

    /** Where a generator's body puts its elements. */
    public interface Emitter<T> {
        /** Hands {@code value} (which may be {@code null}) to the iterator and waits until it asks for more. */
        @Suspendable
        void emit(T value);
    }

    private final Body<T> body;

    private Generator(Body<T> body) {
        this.body = body;
    }

    public static <T> Generator<T> of(Body<T> body) {
        if (body == null) {
            throw new NullPointerException("body");
        }
        return new Generator<>(body);
    }

    /** A new iterator that runs the body from its start; creating it runs nothing. */
    @Override
    public Iterator<T> iterator() {
        return new Run<>(body);
    }

    private static final class Run<T> implements Iterator<T>, Emitter<T> {
        private final Continuation continuation;
        private T next;
        private boolean ready;

        Run(Body<T> body) {
            continuation = new Continuation(() -> body.generate(this));
        }

        @Override
        public void emit(T value) {
            next = value;
            ready = true;
            Continuation.suspend();
        }

        @Override
        public boolean hasNext() {
            if (!ready && !continuation.isDone()) {
                continuation.resume();
            }
            return ready;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            T value = next;
            next = null;
            ready = false;
            return value;
        }
    }
}
