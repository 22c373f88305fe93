package io.bobbin.junit.samples;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/** A user's own interceptor, registered after Bobbin's: it still runs. */
@Suspendable
@ExtendWith(InterceptedSample.Recording.class)
public class InterceptedSample {

    public static final class Recording implements InvocationInterceptor {
        @Override
        public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                        ExtensionContext context) throws Throwable {
            Log.add("interceptor before " + call.getExecutable().getName());
            invocation.proceed();
            Log.add("interceptor after");
        }
    }

    @Test
    void aTest() {
        Log.add("test in a continuation: " + (Continuation.current() != null));
    }
}
