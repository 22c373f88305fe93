package io.bobbin.junit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of JUnit 5 method, each saying whether it runs inside a continuation; inside one it
 * really suspends (which only an anchored chain of instrumented frames allows) and is resumed.
 */
@Suspendable
public class AutoSample {

    static void probe(String where) {
        boolean inside = Continuation.current() != null;
        if (inside) {
            Continuation.suspend();
        }
        Log.add(where + (inside ? ": suspended and resumed" : ": plain"));
    }

    @BeforeAll
    static void beforeAll() {
        probe("beforeAll");
    }

    @BeforeEach
    void beforeEach() {
        probe("beforeEach");
    }

    @AfterEach
    void afterEach() {
        probe("afterEach");
    }

    @AfterAll
    static void afterAll() {
        probe("afterAll");
    }

    @Test
    void aTest() {
        probe("test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "y"})
    void aParameterizedTest(String value) {
        probe("parameterized " + value);
    }

    @RepeatedTest(2)
    void aRepeatedTest() {
        probe("repeated");
    }

    @TestFactory
    Stream<DynamicTest> aTestFactory() {
        probe("factory");
        return List.of("p", "q").stream().map(name -> dynamicTest("dynamic " + name, () -> probe("dynamic " + name)));
    }

    @Test
    void failsByAnAssertion() {
        probe("failing");
        assertEquals("expected", "actual");
    }

    @Test
    void isAbortedByAnAssumption() {
        probe("aborted");
        assumeTrue(false, "an assumption that does not hold");
    }

    @Test
    @Disabled("disabled on purpose")
    void isDisabled() {
        probe("disabled");
    }
}
