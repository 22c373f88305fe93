package io.bobbin.suites.regress;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * Regression repro (fixed on main by c863aad and c2ba920), found by commons-collections4's {@code HashMultiSetTest.testMultiSetRetainAll}
 * ({@code MultiSet.retainAll} is suspendable under {@code all=}, and {@code HashMultiSet} inherits it
 * from {@code java.util.AbstractCollection}): a suspendable interface method whose implementation is
 * inherited from a class that is not instrumented (here the JDK's). The caller arms the call; the
 * uninstrumented implementation calls an instrumented method ({@code iterator()}), which takes the arm
 * as if its caller were instrumented, so a suspension inside it (a real one, or the torture mode's)
 * unwinds through {@code AbstractCollection.retainAll} silently: {@code iterator()} returns
 * {@code null} to it and it throws a {@code NullPointerException} (under torture the frame store
 * is left unbalanced: {@code FrameStack.clear} throws "fromIndex(0) > toIndex(-1)" from {@code resume()}).
 *
 * <p>Expected: {@code suspend()} throws {@code IllegalStateException} naming
 * {@code java.util.AbstractCollection.retainAll}; the output is
 * {@code changed=true items=[b] refused=<that message>}.
 */
public final class InheritedJdkImplementation {
    public interface Bag {
        @Suspendable
        boolean retainAll(Collection<?> c);
    }

    static final class MyBag extends AbstractCollection<String> implements Bag {
        final List<String> items = new ArrayList<>(List.of("a", "b", "c"));
        static String refused;

        @Override
        @Suspendable
        public Iterator<String> iterator() {
            try {
                Continuation.suspend(); // called from AbstractCollection.retainAll: must be refused
            } catch (IllegalStateException e) {
                refused = e.getMessage();
            }
            return items.iterator();
        }

        @Override
        public int size() {
            return items.size();
        }
    }

    public static void main(String[] args) {
        MyBag bag = new MyBag();
        boolean[] out = new boolean[1];
        Continuation c = new Continuation(() -> {
            Bag b = bag;
            out[0] = b.retainAll(List.of("b"));
        });
        try {
            while (!c.isDone()) {
                c.resume();
            }
            System.out.println("changed=" + out[0] + " items=" + bag.items + " refused=" + MyBag.refused);
        } catch (Throwable t) {
            System.out.println("threw " + t);
        }
    }
}
