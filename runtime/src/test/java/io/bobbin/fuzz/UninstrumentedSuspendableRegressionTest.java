package io.bobbin.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.SuspendableRunnable;
import io.bobbin.Suspendable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A suspendable method with no suspendable call of its own is left uninstrumented, so it never
 * takes the call state that its (instrumented) caller armed. When it calls plain code that calls a
 * suspendable method, that method finds the chain still armed, believes every frame below it is
 * instrumented, and suspends through the plain frames silently: they go on running as if the call
 * had returned, and run again from their start on resume. The contract says that suspend() must
 * throw IllegalStateException naming the frame at fault, with nothing saved.
 *
 * <p>Failed on 360a91a; passes since main's d5bcdfb.
 */
class UninstrumentedSuspendableRegressionTest {
    static final List<String> LOG = new ArrayList<>();

    @Suspendable
    static void root() {
        middle();
        LOG.add("root after");
    }

    /** Suspendable, but calls nothing suspendable: the agent leaves it as it is. */
    @Suspendable
    static void middle() {
        helper();
        LOG.add("middle after");
    }

    /** Not suspendable. */
    static void helper() {
        leaf();
        LOG.add("helper after");
    }

    @Suspendable
    static void leaf() {
        LOG.add("leaf");
        Continuation.suspend();
        LOG.add("leaf after");
    }

    /** The same through a body whose run() has no suspendable call (and so is not instrumented). */
    static final class Body implements SuspendableRunnable {
        @Override
        public void run() {
            helper();
        }
    }

    @Test
    void suspendingThroughPlainFramesBelowAnUninstrumentedSuspendableMethodThrows() {
        LOG.clear();
        Continuation c = new Continuation(UninstrumentedSuspendableRegressionTest::root);
        IllegalStateException e = assertThrows(IllegalStateException.class, c::resume);
        assertTrue(c.isDone());
        assertTrue(e.getMessage().contains("helper"), e.getMessage());
        assertEquals(List.of("leaf"), LOG);
    }

    @Test
    void suspendingThroughAnUninstrumentedBodyThrows() {
        LOG.clear();
        Continuation c = new Continuation(new Body());
        IllegalStateException e = assertThrows(IllegalStateException.class, c::resume);
        assertTrue(c.isDone());
        assertTrue(e.getMessage().contains("helper") || e.getMessage().contains("Body"), e.getMessage());
        assertEquals(List.of("leaf"), LOG);
    }
}
