package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.ContinuationException;
import io.bobbin.Generator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    static <T> List<T> collect(Iterable<T> it) {
        List<T> out = new ArrayList<>();
        for (T t : it) {
            out.add(t);
        }
        return out;
    }

    @Test
    void runsLazilyOneElementAtATime() {
        List<String> log = new ArrayList<>();
        Generator<Integer> g = Generator.of(out -> {
            for (int i = 0; i < 3; i++) {
                log.add("emit " + i);
                out.emit(i);
            }
            log.add("end");
        });
        Iterator<Integer> it = g.iterator();
        assertEquals(List.of(), log);
        assertTrue(it.hasNext());
        assertEquals(List.of("emit 0"), log);
        assertTrue(it.hasNext());
        assertEquals(List.of("emit 0"), log);
        assertEquals(0, it.next());
        assertEquals(1, it.next());
        assertEquals(List.of("emit 0", "emit 1"), log);
        assertEquals(2, it.next());
        assertFalse(it.hasNext());
        assertEquals(List.of("emit 0", "emit 1", "emit 2", "end"), log);
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void eachIteratorRunsTheBodyAfresh() {
        Generator<String> g = Generator.of(out -> {
            out.emit("a");
            out.emit("b");
        });
        assertEquals(List.of("a", "b"), collect(g));
        assertEquals(List.of("a", "b"), collect(g));
    }

    @Test
    void nullElementsAndRemoveUnsupported() {
        Generator<String> g = Generator.of(out -> {
            out.emit(null);
            out.emit("x");
        });
        Iterator<String> it = g.iterator();
        assertTrue(it.hasNext());
        assertNull(it.next());
        assertThrows(UnsupportedOperationException.class, it::remove);
        assertEquals("x", it.next());
    }

    @Test
    void exceptionsComeOutOfHasNextAndNext() {
        IllegalStateException boom = new IllegalStateException("boom");
        Iterator<Integer> it = Generator.<Integer>of(out -> {
            out.emit(1);
            throw boom;
        }).iterator();
        assertEquals(1, it.next());
        assertSame(boom, assertThrows(IllegalStateException.class, it::hasNext));
        IOException io = new IOException("io");
        Iterator<Integer> checked = Generator.<Integer>of(out -> {
            throw io;
        }).iterator();
        assertSame(io, assertThrows(ContinuationException.class, checked::next).getCause());
    }

    @Test
    void anAbandonedIteratorRunsNoFinally() {
        List<String> log = new ArrayList<>();
        Iterator<Integer> it = Generator.<Integer>of(out -> {
            try {
                out.emit(1);
                out.emit(2);
            } finally {
                log.add("finally");
            }
        }).iterator();
        assertEquals(1, it.next());
        it = null;
        assertEquals(List.of(), log);
    }

    @Test
    void generatorsNest() {
        Generator<Integer> numbers = Generator.of(out -> {
            for (int i = 1; i <= 4; i++) {
                out.emit(i);
            }
        });
        Generator<String> pairs = Generator.of(out -> {
            for (int a : numbers) {
                for (int b : numbers) {
                    if (a < b && (a + b) % 2 == 1) {
                        out.emit(a + "+" + b);
                    }
                }
            }
        });
        assertEquals(List.of("1+2", "1+4", "2+3", "3+4"), collect(pairs));
    }

    /** A recursive generator: in-order walk of a tree, with the recursion in a suspendable helper. */
    static final class Node {
        final Node left;
        final int value;
        final Node right;

        Node(Node left, int value, Node right) {
            this.left = left;
            this.value = value;
            this.right = right;
        }
    }

    @io.bobbin.Suspendable
    static void walk(Node n, Generator.Emitter<Integer> out) {
        if (n == null) {
            return;
        }
        walk(n.left, out);
        out.emit(n.value);
        walk(n.right, out);
    }

    @Test
    void recursiveGenerator() {
        Node tree = new Node(new Node(null, 1, new Node(null, 2, null)), 3, new Node(new Node(null, 4, null), 5, null));
        assertEquals(List.of(1, 2, 3, 4, 5), collect(Generator.<Integer>of(out -> walk(tree, out))));
    }
}
