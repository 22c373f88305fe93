package io.bobbin.internal.util;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Exceptions handed from one place to another as they are. Stateless; any thread. */
public final class Exceptions {
    private Exceptions() {}

    /** Strips {@link CompletionException}/{@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /**
     * {@code e} as something a {@code throws Exception} method can throw, as it is when possible: an
     * {@link Error} is thrown from here, any other non-{@code Exception} throwable is wrapped.
     */
    public static Exception rethrowable(Throwable e) {
        if (e instanceof Exception) {
            return (Exception) e;
        }
        if (e instanceof Error) {
            throw (Error) e;
        }
        return new UndeclaredThrowableException(e);
    }
}
