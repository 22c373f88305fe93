package io.bobbin.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bobbin.Continuation;
import io.bobbin.SuspendableRunnable;
import io.bobbin.Suspendable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lambda and method-reference shapes the generator does not write: intersections, super::m, varargs. */
class LambdaShapesTest {
    static final List<String> LOG = new ArrayList<>();

    @Suspendable
    static void step(String s) {
        LOG.add(s);
        Continuation.suspend();
    }

    static void drive(SuspendableRunnable body) {
        LOG.clear();
        Continuation c = new Continuation(body);
        int n = 0;
        while (!c.isDone()) {
            c.resume();
            n++;
        }
        LOG.add("resumes " + n);
    }

    @Test
    void serializableLambda() {
        long big = 1L << 40;
        drive((SuspendableRunnable & Serializable) () -> {
            step("a" + big);
            step("b");
        });
        assertEquals(List.of("a1099511627776", "b", "resumes 3"), LOG);
    }

    @Test
    void markerFirstIntersection() {
        drive((Serializable & SuspendableRunnable) () -> {
            step("a");
            step("b");
        });
        assertEquals(List.of("a", "b", "resumes 3"), LOG);
    }

    @Test
    void runnableFirstIntersection() {
        drive((Runnable & SuspendableRunnable) () -> {
            step("a");
            step("b");
        });
        assertEquals(List.of("a", "b", "resumes 3"), LOG);
    }

    @Suspendable
    void both(String s) {
        step(s);
        step(s + "!");
    }

    @Test
    void boundMethodReference() {
        LambdaShapesTest self = this;
        drive(() -> ((SuspendableRunnable) () -> self.both("x")).run());
        assertEquals(List.of("x", "x!", "resumes 3"), LOG);
    }

    static class Parent {
        @Suspendable
        void go() {
            step("parent");
            step("parent2");
        }
    }

    static class Child extends Parent {
        @Override
        void go() {
            step("child");
        }

        @Suspendable
        void viaSuperSuspendable() throws Exception {
            SuspendableRunnable r = super::go;
            r.run();
        }
    }

    @Test
    void superMethodReference() {
        drive(() -> {
            Child c = new Child();
            SuspendableRunnable r = c::viaSuperSuspendable;
            r.run();
        });
        assertEquals(List.of("parent", "parent2", "resumes 3"), LOG);
    }

    @Test
    void varargsMethodReference() {
        drive(() -> {
            SuspendableRunnable r = LambdaShapesTest::many;
            r.run();
        });
        assertEquals(List.of("0", "resumes 2"), LOG);
    }

    @Suspendable
    static void many(int... xs) {
        step(String.valueOf(xs.length));
    }
}
