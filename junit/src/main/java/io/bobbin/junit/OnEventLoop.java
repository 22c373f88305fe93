package io.bobbin.junit;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test method (or every test method of the annotated class, nested classes included) as the
 * main task of a fresh {@link io.bobbin.EventLoop}, closed when the test ends. The method must be
 * instrumented: mark it, or its class, {@link io.bobbin.Suspendable}, and run the tests with the agent.
 *
 * <pre>{@code
 * @Test @OnEventLoop(virtualTime = true) @Suspendable
 * void aDayPassesAtOnce() {
 *     Async.sleep(Duration.ofDays(1));
 *     assertEquals(Duration.ofDays(1).toNanos(), EventLoop.current().time());
 * }
 *
 * @TestTemplate @OnEventLoop(seeds = {1, 2, 3}) @Suspendable   // three tests: "seed 1", "seed 2", "seed 3"
 * void noLostUpdate() { ... }
 * }</pre>
 *
 * <ul>
 *   <li>Tasks the test spawned that are still running when the test method returns are cancelled
 *       (their {@code finally} blocks run) and fail the test with a message naming them.</li>
 *   <li>{@link #virtualTime()}: the loop is built with {@code EventLoop.Builder.virtualTime()}.</li>
 *   <li>{@link #seeds()}: the test runs once per seed, each run a test of its own in the report,
 *       named {@code seed <s>}, on a loop built with {@code EventLoop.Builder.seed(s)}; a failure
 *       says which seed reproduces it. Such a method is a test template: declare it
 *       {@code @TestTemplate}, not {@code @Test} (JUnit runs a {@code @Test} once; one with seeds
 *       fails and says so), nor {@code @ParameterizedTest}/{@code @RepeatedTest}.</li>
 *   <li>On a {@code @ParameterizedTest} or {@code @RepeatedTest} without seeds, each invocation runs
 *       on a loop of its own. On a {@code @TestFactory} the factory method runs on the loop, and the
 *       dynamic tests it returns run after it, not on it. Lifecycle methods ({@code @BeforeEach}...)
 *       do not run on the loop.</li>
 * </ul>
 *
 * <p>The annotation on a method wins over the one on its class.
 */
@Documented
@Inherited
@Target({TYPE, METHOD})
@Retention(RUNTIME)
@ExtendWith(BobbinExtension.class)
public @interface OnEventLoop {
    /** Whether the loop's clock is virtual: it starts at 0 and jumps to the next timer when nothing can progress. */
    boolean virtualTime() default false;

    /** The seeds of the order of each turn's ready steps: one test per seed. None: FIFO, one test. */
    long[] seeds() default {};
}
