package io.bobbin;

/**
 * Carries a checked exception thrown by the body of a {@link Continuation} or {@link Generator} out
 * of {@code resume()}, {@code hasNext()} or {@code next()}, which declare none. The original is the
 * {@linkplain #getCause() cause}.
 */
public class ContinuationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ContinuationException(Throwable cause) {
        super(cause == null ? null : cause.toString(), cause);
    }

    public ContinuationException(String message, Throwable cause) {
        super(message, cause);
    }
}
