package io.bobbin.structured;

import static org.junit.jupiter.api.Assertions.fail;

import io.bobbin.Suspendable;
import io.bobbin.SuspendableCallable;

/** assertThrows for code that suspends: JUnit's own frames are not instrumented. */
final class Thrown {
    private Thrown() {}

    @Suspendable
    static <E extends Throwable> E by(Class<E> type, SuspendableCallable<?> code) {
        try {
            code.call();
        } catch (Throwable e) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
            throw new AssertionError("expected " + type.getName() + " but got " + e, e);
        }
        return fail("expected " + type.getName() + " but nothing was thrown");
    }
}
