package io.bobbin.serial;

import io.bobbin.Continuation;
import io.bobbin.SuspendableRunnable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.io.UncheckedIOException;

/** Writing objects to bytes and reading them back, as a user of Java serialization does. */
final class Bytes {
    /** A continuation body that can be written: lambdas cast to it are serializable. */
    @FunctionalInterface
    interface Job extends SuspendableRunnable, Serializable {}

    private Bytes() {}

    static byte[] write(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    static Object read(byte[] bytes) throws IOException, ClassNotFoundException {
        return read(bytes, null, null);
    }

    /** Reads with {@code filter} (if not null) and classes resolved through {@code loader} first (if not null). */
    static Object read(byte[] bytes, ObjectInputFilter filter, ClassLoader loader) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                if (loader != null) {
                    try {
                        return Class.forName(desc.getName(), false, loader);
                    } catch (ClassNotFoundException e) {
                        // a class of the JDK's or of the test's: the default resolution
                    }
                }
                return super.resolveClass(desc);
            }
        }) {
            if (filter != null) {
                in.setObjectInputFilter(filter);
            }
            return in.readObject();
        }
    }

    /** A copy of {@code o} through bytes. */
    @SuppressWarnings("unchecked")
    static <T> T copy(T o) {
        try {
            return (T) read(write(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Resumes {@code c} until it is done, replacing it after every suspension by a copy read back from
     * bytes (the original is dropped); returns how many times it suspended.
     */
    static int runThroughBytes(Continuation c) {
        int suspensions = 0;
        c.resume();
        while (!c.isDone()) {
            suspensions++;
            c = copy(c);
            c.resume();
        }
        return suspensions;
    }
}
