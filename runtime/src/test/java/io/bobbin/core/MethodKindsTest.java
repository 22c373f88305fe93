package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bobbin.Suspendable;
import io.bobbin.SuspendableCallable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Suspension through every kind of method, and through objects under construction. */
class MethodKindsTest {
    static final class Pair {
        final Object a;
        final Object b;
        final Object c;

        Pair(Object a, Object b, Object c) {
            this.a = a;
            this.b = b;
            this.c = c;
        }

        Pair(Object a, Object b) {
            this(a, b, null);
        }

        @Override
        public String toString() {
            return "(" + a + "," + b + (c == null ? "" : "," + c) + ")";
        }
    }

    @Suspendable
    static String uninitialized(String a) {
        Pair p = new Pair(a, Drive.pauseThen(2), 'c');
        Pair nested = new Pair(new Pair(a, Drive.pauseThen(3)), new Pair(Drive.pauseThen(4), new StringBuilder("sb" + Drive.pauseThen(5))));
        List<Object> list = new ArrayList<>(Drive.pauseThen(6));
        list.add(new Pair(1L, 2.0, Drive.pauseThen(7)));
        return p + " " + nested + " " + list;
    }

    @Test
    void objectsUnderConstructionAcrossSuspensions() throws Exception {
        String plain = uninitialized("x");
        Drive.Outcome<String> o = Drive.runHopping(() -> uninitialized("x"));
        assertEquals(plain, o.value);
        assertEquals("(x,2,c) ((x,3),(4,sb5)) [(1,2.0,7)]", o.value);
        assertEquals(6, o.suspensions);
    }

    @Suspendable
    static String indy(int n) throws Exception {
        String s = "n=" + n + ", half=" + Drive.pauseThen(n / 2) + ", text=" + "abc".substring(Drive.pauseThen(1));
        SuspendableCallable<String> lambda = () -> s + "/" + Drive.pauseThen(n * 2);
        int captured = n + 1;
        SuspendableCallable<Integer> other = () -> captured + Drive.pauseThen(10);
        return lambda.call() + "/" + other.call();
    }

    @Test
    void invokedynamicAroundSuspensionPoints() throws Exception {
        Drive.Outcome<String> o = Drive.run(() -> indy(8));
        assertEquals("n=8, half=4, text=bc/16/19", o.value);
        assertEquals(4, o.suspensions);
    }

    interface Shape {
        @Suspendable
        double area();

        @Suspendable
        default String describe() {
            Drive.pause();
            return name() + ":" + area();
        }

        String name();
    }

    static final class Square implements Shape {
        private final double side;

        Square(double side) {
            this.side = side;
        }

        @Override
        public double area() { // suspendable by inheritance, not annotated
            Drive.pause();
            return side * side;
        }

        @Override
        public String name() {
            return "square";
        }
    }

    abstract static class Base {
        @Suspendable
        abstract int value();

        @Suspendable
        int twice() {
            return value() + helper();
        }

        @Suspendable
        private int helper() {
            Drive.pause();
            return value();
        }
    }

    static class Derived extends Base {
        @Override
        int value() {
            Drive.pause();
            return 21;
        }
    }

    @Test
    void interfaceDefaultAbstractPrivateAndInheritedMethods() {
        Drive.Outcome<String> o = Drive.run(() -> new Square(3).describe());
        assertEquals("square:9.0", o.value);
        assertEquals(2, o.suspensions);
        Drive.Outcome<Integer> d = Drive.run(() -> new Derived().twice());
        assertEquals(42, (int) d.value);
        assertEquals(3, d.suspensions);
    }

    interface Transformer<T, R> {
        @Suspendable
        R apply(T t);
    }

    /** javac writes a bridge apply(Object)Object that calls apply(String)Integer. */
    static final class Length implements Transformer<String, Integer> {
        @Override
        public Integer apply(String s) {
            Drive.pause();
            return s.length();
        }
    }

    @Suspendable
    static <T, R> List<R> mapAll(Transformer<T, R> f, List<T> in) {
        List<R> out = new ArrayList<>();
        for (T t : in) {
            out.add(f.apply(t));
        }
        return out;
    }

    @Suspendable
    @SafeVarargs
    static <T> String varargs(String sep, T... items) {
        StringBuilder b = new StringBuilder();
        for (T item : items) {
            b.append(Objects.toString(item)).append(sep.repeat(Drive.pauseThen(1)));
        }
        return b.toString();
    }

    @Test
    void bridgeGenericAndVarargsMethods() {
        Drive.Outcome<List<Integer>> o = Drive.run(() -> mapAll(new Length(), List.of("a", "bb", "ccc")));
        assertEquals(List.of(1, 2, 3), o.value);
        assertEquals(3, o.suspensions);
        Drive.Outcome<String> v = Drive.run(() -> varargs(";", 1, "two", null));
        assertEquals("1;two;null;", v.value);
        assertEquals(3, v.suspensions);
        Drive.Outcome<Integer> direct = Drive.run(() -> new Length().apply("four"));
        assertEquals(4, (int) direct.value);
        assertEquals(1, direct.suspensions);
    }

    record Point(int x, int y) {
        @Suspendable
        Point moved(int dx) {
            Drive.pause();
            return new Point(x + dx, y);
        }
    }

    enum Op {
        ADD {
            @Override
            int apply(int a, int b) {
                Drive.pause();
                return a + b;
            }
        },
        MUL {
            @Override
            int apply(int a, int b) {
                return a * Drive.pauseThen(b);
            }
        };

        @Suspendable
        abstract int apply(int a, int b);
    }

    @Test
    void recordsAndEnums() {
        Drive.Outcome<Point> p = Drive.run(() -> new Point(1, 2).moved(3).moved(4));
        assertEquals(new Point(8, 2), p.value);
        assertEquals(2, p.suspensions);
        Drive.Outcome<Integer> e = Drive.run(() -> Op.ADD.apply(2, 3) * Op.MUL.apply(4, 5));
        assertEquals(100, (int) e.value);
        assertEquals(2, e.suspensions);
    }

    @Suspendable
    static final class MarkedClass {
        // every method of a marked class is suspendable, lambdas declared in it included
        int run(int n) {
            SuspendableCallable<Integer> inner = () -> step(n) * 2;
            try {
                return inner.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private int step(int n) {
            Drive.pause();
            return n + 1;
        }
    }

    @Suspendable
    int instanceWithSyntheticLambda(int n) throws Exception {
        SuspendableCallable<Integer> viaThis = this::helperRef;
        return viaThis.call() + n;
    }

    /** Not annotated: suspendable because a method reference to it, in its own class, implements a suspendable method. */
    int helperRef() {
        Drive.pause();
        return 100;
    }

    @Test
    void markedClassesLambdasAndMethodReferences() {
        Drive.Outcome<Integer> o = Drive.run(() -> new MarkedClass().run(4));
        assertEquals(10, (int) o.value);
        assertEquals(1, o.suspensions);
        Drive.Outcome<Integer> r = Drive.run(() -> instanceWithSyntheticLambda(5));
        assertEquals(105, (int) r.value);
        assertEquals(1, r.suspensions);
    }

    /** Unmarked, but suspendable: a method reference to it is made in its own class. */
    static int square(int x) {
        Drive.pause();
        return x * x;
    }

    @Test
    void forwardersThatUnboxTheirArgumentsAreReenteredWithTheRealArguments() {
        // The JVM's forwarder for this reference unboxes Integer to int before calling square.
        Transformer<Integer, Integer> sq = MethodKindsTest::square;
        Transformer<Long, String> hex = Long::toHexString; // a JDK target: runs plainly, never suspends
        Drive.Outcome<String> o = Drive.run(() -> sq.apply(7) + "/" + sq.apply(sq.apply(2)) + "/" + hex.apply(255L));
        assertEquals("49/16/ff", o.value);
        assertEquals(3, o.suspensions);
    }
}
