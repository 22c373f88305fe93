package io.bobbin.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A class whose loader cannot see the runtime would fail with {@code NoClassDefFoundError} at its
 * first call if instrumented: it is left as it was, and the loader is reported once.
 */
class RuntimeVisibilityTest {
    @Test
    void classesOfALoaderThatCannotSeeTheRuntimeAreLeftAsTheyWereWithOneWarningPerLoader() {
        SuspendableTransformer t = new SuspendableTransformer(AgentOptions.parse(""));
        TestClasses.Loader blind = new TestClasses.Loader(false);
        TestClasses.Loader blindToo = new TestClasses.Loader(false);
        List<String> warnings = TestClasses.warnings(() -> {
            assertNull(t.transform(blind, "test/A", null, null, TransformerTest.sample("test/A")));
            assertNull(t.transform(blind, "test/B", null, null, TransformerTest.sample("test/B")));
            assertNull(t.transform(blindToo, "test/C", null, null, TransformerTest.sample("test/C")));
        });
        assertEquals(2, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        assertTrue(w.startsWith("class test.A is left uninstrumented, so its methods cannot suspend: class loader "
                + blind + ", which defines it, cannot see the Bobbin runtime (io.bobbin.internal.cont.FrameStack, in"
                + " bobbin-runtime.jar)"), w);
        assertTrue(w.contains("add bobbin-runtime.jar to the class path of that loader, or of a parent of it"), w);
        assertTrue(warnings.get(1).startsWith("class test.C is left uninstrumented"), warnings.get(1));
        assertEquals(0, t.classes.get());
    }

    @Test
    void aClassWithoutSuspendableMethodsIsNotReported() {
        SuspendableTransformer t = new SuspendableTransformer(AgentOptions.parse(""));
        List<String> warnings = TestClasses.warnings(() -> assertNull(t.transform(new TestClasses.Loader(false), "t/P",
                null, null, TestClasses.plain("t/P", "java/lang/Object"))));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aClassInstrumentedAtBuildTimeWhoseLoaderCannotSeeTheRuntimeIsReportedOnce() {
        byte[] marked = new SuspendableTransformer(AgentOptions.parse("")).transform(TransformerTest.RUNTIME_LOADER,
                "test/Aot", null, null, TransformerTest.sample("test/Aot"));
        assertNotNull(marked);
        SuspendableTransformer t = new SuspendableTransformer(AgentOptions.parse(""));
        TestClasses.Loader blind = new TestClasses.Loader(false);
        List<String> warnings = TestClasses.warnings(() -> {
            assertNull(t.transform(blind, "test/Aot", null, null, marked));
            assertNull(t.transform(blind, "test/Aot", null, null, marked));
        });
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("class test.Aot was instrumented at build time, but class loader " + blind
                + ", which defines it, cannot see the Bobbin runtime"), warnings.get(0));
        assertTrue(warnings.get(0).contains("will throw NoClassDefFoundError"), warnings.get(0));
    }
}
