package io.bobbin.junit;

import io.bobbin.Continuation;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.SuspendableInvoker;
import io.bobbin.internal.cont.Instrumented;
import io.bobbin.internal.loop.LoopCore;
import io.bobbin.internal.task.LoopTask;
import io.bobbin.internal.task.Wait;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.jupiter.api.function.Executable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Bobbin's JUnit 5 extension: it runs {@link OnEventLoop} tests on event loops, and, in the
 * auto-detected mode, every test inside a {@link Continuation}.
 *
 * <h2>{@code @OnEventLoop}</h2>
 * Registered by the annotation. The test method runs as the main task of a fresh loop, called through
 * {@link SuspendableInvoker} so that it can suspend; tasks still running when it returns are cancelled
 * and fail the test, named. With seeds the extension is also the provider of the test template's
 * invocations, one per seed, each named {@code seed <s>}; a failure is rethrown as an
 * {@link AssertionError} (an {@link AssertionFailedError} keeps its expected and actual values) whose
 * message names the seed, the original as its cause.
 *
 * <h2>Every test inside a continuation</h2>
 * {@code bobbin-junit.jar} registers this extension for JUnit's auto-detection
 * ({@code META-INF/services/org.junit.jupiter.api.extension.Extension}). With
 * {@code junit.jupiter.extensions.autodetection.enabled=true} and the system property (or JUnit
 * configuration parameter) {@value #CONTINUATIONS}{@code =true}, every test method, test template
 * invocation (parameterized, repeated), test factory, dynamic test and lifecycle method
 * ({@code @BeforeAll}, {@code @BeforeEach}, {@code @AfterEach}, {@code @AfterAll}) runs inside a
 * {@code Continuation} resumed until it is done, the method called through {@code SuspendableInvoker}
 * (a dynamic test's executable through a forwarder of the JVM's lambda metafactory): under the
 * agent's {@code torture} option every instrumented call on the way really suspends. Results are
 * reported as JUnit would report them without it. Without the property the extension changes nothing.
 *
 * <p>An {@link InvocationInterceptor} registered after this one (declared on the test class, say)
 * stands between it and the method: the extension then lets JUnit's chain call the method, inside
 * the continuation or the loop's task, so that the other interceptor runs; but JUnit's own frames
 * are not instrumented, so the method cannot suspend there (a suspension in it throws
 * {@link IllegalStateException} naming the frame). Methods of more than
 * {@value SuspendableInvoker#MAX_ARITY} parameters (the receiver counted) take the same path.
 *
 * <p>Threads: JUnit calls the extension on the thread that runs the test; the loop of an
 * {@code @OnEventLoop} test runs on that thread, and so does the continuation (resumed on other
 * threads only when the torture mode hops).
 */
public final class BobbinExtension implements InvocationInterceptor, TestTemplateInvocationContextProvider {
    /** The system property, or JUnit configuration parameter, that turns the continuation mode on. */
    public static final String CONTINUATIONS = "bobbin.junit.continuations";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BobbinExtension.class);
    private static final String SEED = "seed";
    /** JUnit's wrapper of an invocation that goes through another interceptor before the method. */
    private static final String INTERCEPTED = "$InterceptedInvocation";

    /** Made by JUnit (auto-detection, {@code @ExtendWith}). */
    public BobbinExtension() {}

    // ---- tests -----------------------------------------------------------------------------------

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext context) throws Throwable {
        runTest(invocation, call, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        runTest(invocation, call, context);
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        return runTest(invocation, call, context);
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext dynamic,
                                     ExtensionContext context) throws Throwable {
        if (!continuations(context)) {
            invocation.proceed();
            return;
        }
        if (!innermost(invocation)) {
            inContinuation(invocation::proceed);
            return;
        }
        invocation.skip();
        SuspendableExecutable body = adapt(dynamic.getExecutable());
        inContinuation(() -> {
            body.execute();
            return null;
        });
    }

    // ---- lifecycle methods (continuation mode only) ----------------------------------------------

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                         ExtensionContext context) throws Throwable {
        lifecycle(invocation, call, context);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                          ExtensionContext context) throws Throwable {
        lifecycle(invocation, call, context);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                         ExtensionContext context) throws Throwable {
        lifecycle(invocation, call, context);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                        ExtensionContext context) throws Throwable {
        lifecycle(invocation, call, context);
    }

    private void lifecycle(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                           ExtensionContext context) throws Throwable {
        if (continuations(context)) {
            inContinuation(invocation, call);
        } else {
            invocation.proceed();
        }
    }

    // ---- seeds: one invocation of a test template per seed --------------------------------------

    /** A method declared {@code @TestTemplate} itself (not through a composed annotation) whose {@code @OnEventLoop} has seeds. */
    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        Method m = context.getRequiredTestMethod();
        return m.getAnnotation(TestTemplate.class) != null && onEventLoop(context).map(o -> o.seeds().length > 0).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return Arrays.stream(onEventLoop(context).orElseThrow().seeds()).mapToObj(SeededRun::new);
    }

    /** One run of a seeded test template: named by its seed, which it hands to the interceptor. */
    private static final class SeededRun implements TestTemplateInvocationContext {
        private final long seed;

        SeededRun(long seed) {
            this.seed = seed;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return "seed " + seed;
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of((BeforeEachCallback) c -> c.getStore(NAMESPACE).put(SEED, seed));
        }
    }

    // ---- the two ways of running a test --------------------------------------------------------------

    private <T> T runTest(Invocation<T> invocation, ReflectiveInvocationContext<Method> call,
                          ExtensionContext context) throws Throwable {
        Optional<OnEventLoop> on = onEventLoop(context);
        if (on.isPresent()) {
            return onLoop(on.get(), invocation, call, context);
        }
        if (continuations(context)) {
            return inContinuation(invocation, call);
        }
        return invocation.proceed();
    }

    /** Runs the method inside a continuation resumed until done: directly, or through the chain when another interceptor waits. */
    private static <T> T inContinuation(Invocation<T> invocation, ReflectiveInvocationContext<Method> call) throws Throwable {
        if (!innermost(invocation) || !fits(call.getExecutable())) {
            return inContinuation(invocation::proceed);
        }
        invocation.skip();
        return inContinuation(() -> invokeDirectly(call));
    }

    private static <T> T inContinuation(Body<T> body) throws Throwable {
        Outcome<T> out = new Outcome<>();
        Continuation c = new Continuation(() -> out.run(body));
        while (!c.isDone()) {
            c.resume();
        }
        return out.get();
    }

    /** Runs the test as the main task of a fresh loop, then fails it if it left tasks running. */
    private <T> T onLoop(OnEventLoop on, Invocation<T> invocation, ReflectiveInvocationContext<Method> call,
                         ExtensionContext context) throws Throwable {
        Method method = call.getExecutable();
        String test = context.getRequiredTestClass().getName() + "#" + method.getName();
        Long seed = context.getStore(NAMESPACE).get(SEED, Long.class);
        if (on.seeds().length > 0 && seed == null) {
            invocation.skip();
            throw new ExtensionConfigurationException(test + " has @OnEventLoop(seeds = " + Arrays.toString(on.seeds())
                    + "), which runs a test once per seed, each a test of its own; JUnit runs a @Test (or a"
                    + " @ParameterizedTest, @RepeatedTest...) its own way: declare the method @TestTemplate instead");
        }
        boolean direct = innermost(invocation) && fits(method);
        if (direct && !method.isAnnotationPresent(Instrumented.class)) {
            invocation.skip();
            throw new ExtensionConfigurationException(test + " runs on an event loop (@OnEventLoop) but was not"
                    + " instrumented, so it could not suspend there: mark it (or its class) @io.bobbin.Suspendable, and run"
                    + " the tests with the agent (-javaagent:bobbin-agent.jar)");
        }
        if (direct) {
            invocation.skip();
        }
        EventLoop.Builder builder = EventLoop.builder()
                .name(context.getRequiredTestClass().getSimpleName() + "." + method.getName() + (seed != null ? "[seed " + seed + "]" : ""));
        if (on.virtualTime()) {
            builder.virtualTime();
        }
        if (seed != null) {
            builder.seed(seed);
        }
        Outcome<T> out = new Outcome<>();
        List<String> leaked = new ArrayList<>();
        Body<T> body = direct ? () -> invokeDirectly(call) : invocation::proceed;
        builder.run(() -> {
            out.run(body);
            leaked.addAll(tasksStillRunning());
            return null;
        });
        Throwable failure = out.failure;
        if (!leaked.isEmpty()) {
            AssertionError leak = new AssertionError(test + " returned while " + leaked.size()
                    + (leaked.size() == 1 ? " task it started was" : " tasks it started were") + " still running: "
                    + String.join(", ", leaked) + "; they have been cancelled. Join (or cancel) every task a test starts"
                    + " before it returns, or use a TaskGroup");
            if (failure == null) {
                failure = leak;
            } else {
                failure.addSuppressed(leak);
            }
        }
        if (failure != null) {
            throw seed != null ? withSeed(failure, seed, test) : failure;
        }
        return out.value;
    }

    /** In the main task, after the test method returned: the other live tasks of its loop, described, in order of creation. */
    private static List<String> tasksStillRunning() {
        LoopTask<?> me = LoopTask.currentOrNull();
        if (me == null || !(me.host() instanceof LoopCore)) {
            return List.of();
        }
        List<LoopTask<?>> others = new ArrayList<>();
        for (LoopTask<?> t : ((LoopCore) me.host()).liveTasks()) {
            if (t != me && !t.isDone()) {
                others.add(t);
            }
        }
        // names share the loop's prefix and end in the task's number: shorter first, then by text
        others.sort(Comparator.comparingInt((LoopTask<?> t) -> t.toString().length()).thenComparing(Object::toString));
        return others.stream().map(t -> {
            Wait w = t.currentWait();
            String state = t.stateName();
            return t + " (" + (w != null ? "waiting: " + w.describe() : state.equals("new") ? "not started" : state) + ")";
        }).collect(Collectors.toList());
    }

    /** A failure of a seeded run, saying which seed reproduces it; an aborted run (a failed assumption) stays as it is. */
    static Throwable withSeed(Throwable failure, long seed, String test) {
        if (failure instanceof TestAbortedException) {
            return failure;
        }
        String message = "seed " + seed + " fails " + test + " (@OnEventLoop(seeds = " + seed + ") reproduces it): " + failure;
        if (failure instanceof AssertionFailedError) {
            AssertionFailedError a = (AssertionFailedError) failure;
            if (a.isExpectedDefined() && a.isActualDefined()) {
                return new AssertionFailedError(message, a.getExpected().getValue(), a.getActual().getValue(), failure);
            }
        }
        return new AssertionError(message, failure);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** The {@code @OnEventLoop} of the test method, else of its class, its superclasses, or the classes a @Nested class is in. */
    private static Optional<OnEventLoop> onEventLoop(ExtensionContext context) {
        Optional<Method> method = context.getTestMethod();
        if (method.isPresent()) {
            Optional<OnEventLoop> on = AnnotationSupport.findAnnotation(method.get(), OnEventLoop.class);
            if (on.isPresent()) {
                return on;
            }
        }
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = enclosingOfInner(c)) {
            Optional<OnEventLoop> on = AnnotationSupport.findAnnotation(c, OnEventLoop.class);
            if (on.isPresent()) {
                return on;
            }
        }
        return Optional.empty();
    }

    private static Class<?> enclosingOfInner(Class<?> c) {
        return c.isMemberClass() && !Modifier.isStatic(c.getModifiers()) ? c.getEnclosingClass() : null;
    }

    /** The configuration parameter (JUnit's lookup: explicit, then system properties, then junit-platform.properties), else the system property. */
    private static boolean continuations(ExtensionContext context) {
        return context.getConfigurationParameter(CONTINUATIONS).map(Boolean::parseBoolean).orElseGet(() -> Boolean.getBoolean(CONTINUATIONS));
    }

    /** Whether this interceptor is the last before the method (JUnit hands the others a wrapper of the next one). */
    private static boolean innermost(Invocation<?> invocation) {
        return !invocation.getClass().getName().endsWith(INTERCEPTED);
    }

    /** Whether {@link SuspendableInvoker} can call the method. */
    private static boolean fits(Method m) {
        return m.getParameterCount() + (Modifier.isStatic(m.getModifiers()) ? 0 : 1) <= SuspendableInvoker.MAX_ARITY;
    }

    @Suspendable
    @SuppressWarnings("unchecked")
    private static <T> T invokeDirectly(ReflectiveInvocationContext<Method> call) throws Exception {
        return (T) SuspendableInvoker.invoke(call.getExecutable(), call.getTarget().orElse(null), call.getArguments().toArray());
    }

    /** What runs inside the continuation or the task. */
    @FunctionalInterface
    interface Body<T> {
        @Suspendable
        T call() throws Throwable;
    }

    /** What the body returned or threw, kept so that the continuation or task itself ends normally. */
    private static final class Outcome<T> {
        T value;
        Throwable failure;

        @Suspendable
        void run(Body<T> body) {
            try {
                value = body.call();
            } catch (Throwable e) {
                failure = e;
            }
        }

        T get() throws Throwable {
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }

    // ---- dynamic tests: an Executable reached through instrumented frames only --------------------------

    /** A dynamic test's body as a suspendable interface: the JVM spins a forwarder that calls {@link Executable#execute()}. */
    @FunctionalInterface
    interface SuspendableExecutable {
        @Suspendable
        void execute() throws Throwable;
    }

    private static final MethodHandle ADAPTER = adapterFactory();

    private static MethodHandle adapterFactory() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodType voidType = MethodType.methodType(void.class);
            MethodHandle execute = lookup.findVirtual(Executable.class, "execute", voidType);
            return LambdaMetafactory.metafactory(lookup, "execute", MethodType.methodType(SuspendableExecutable.class, Executable.class),
                    voidType, execute, voidType).getTarget();
        } catch (ReflectiveOperationException | java.lang.invoke.LambdaConversionException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * {@code executable} behind a forwarder of the lambda metafactory: the forwarders (this one, and the
     * executable's own when it is a lambda) hold no state, so a lambda body of an instrumented class
     * called through them is anchored, as with {@code SuspendableInvoker}.
     */
    private static SuspendableExecutable adapt(Executable executable) throws Throwable {
        return (SuspendableExecutable) ADAPTER.invoke(executable);
    }
}
