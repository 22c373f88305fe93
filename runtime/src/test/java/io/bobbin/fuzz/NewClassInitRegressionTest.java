package io.bobbin.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code new Lazy(arg())} with a suspendable argument: javac writes {@code NEW Lazy; DUP; <args>;
 * INVOKESPECIAL}, and {@code NEW} initialises {@code Lazy} before the arguments are evaluated. The
 * agent moves {@code NEW/DUP} after the arguments (so that no unconstructed object sits on the
 * stack at the suspension point), which also moves the class's initialisation after them: its
 * static initialiser runs after {@code arg()}'s side effects, even outside any continuation.
 */
class NewClassInitRegressionTest {
    static final List<String> LOG = new ArrayList<>();

    static final class Lazy {
        static {
            LOG.add("<clinit>");
        }

        Lazy(int a) {
            LOG.add("<init> " + a);
        }
    }

    static final class Lazy2 {
        static {
            LOG.add("<clinit>");
        }

        Lazy2(int a) {
            LOG.add("<init> " + a);
        }
    }

    @Suspendable
    static int arg(int v) {
        LOG.add("arg");
        if (Continuation.current() != null) {
            Continuation.suspend();
        }
        return v;
    }

    @Suspendable
    static Object make() {
        return new Lazy(arg(1));
    }

    @Suspendable
    static Object make2() {
        return new Lazy2(arg(2));
    }

    @Test

    void plainRunInitialisesTheClassBeforeTheArguments() {
        LOG.clear();
        make();
        assertEquals(List.of("<clinit>", "arg", "<init> 1"), LOG);
    }

    @Test

    void continuationInitialisesTheClassBeforeTheArguments() {
        LOG.clear();
        Continuation c = new Continuation(NewClassInitRegressionTest::make2);
        while (!c.isDone()) {
            c.resume();
        }
        assertEquals(List.of("<clinit>", "arg", "<init> 2"), LOG);
    }
}
