package io.bobbin.suites.regress;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;

/**
 * Regression repro (fixed on main by c863aad), found by the library suites (commons-collections4's BagUtils, ComparatorUtils,
 * ...; commons-codec's bm.Rule): the arm that an instrumented frame sets for a suspendable call
 * leaks into the static initializer that the call triggers ({@code invokestatic} on a class not yet
 * initialized). The first instrumented method the initializer calls takes the arm as its own, so a
 * suspension below it (forced by the torture mode, or a real {@code Continuation.suspend()}) unwinds
 * through the {@code <clinit>} frame, which is not instrumented: the initializer goes on with the
 * callee's dummy return value, the class is initialized with wrong static fields, and the
 * continuation later fails ("the body returned while restoring its frames") or computes wrong values.
 *
 * <p>Expected: {@code torture VALUE=210} (no suspension through the initializer) and
 * {@code real VALUE=42} with {@code suspend()} throwing {@code IllegalStateException} there (a static
 * initializer cannot suspend). Run with {@code torture} as the argument under the agent's torture
 * mode, with {@code real} under the plain agent.
 */
public final class ClinitArmLeak {
    static final class Tortured {
        static final int VALUE = sum(20);

        @Suspendable
        static int sum(int n) {
            return n == 0 ? 0 : n + sum(n - 1);
        }

        @Suspendable
        static int get() {
            return VALUE;
        }
    }

    static final class Suspending {
        static String refused;
        static final int VALUE = compute();

        @Suspendable
        static int compute() {
            try {
                Continuation.suspend(); // inside a static initializer: must be refused
            } catch (IllegalStateException e) {
                refused = e.getMessage();
            }
            return 42;
        }

        @Suspendable
        static int get() {
            return VALUE;
        }
    }

    public static void main(String[] args) {
        int[] out = new int[1];
        boolean torture = args.length > 0 && args[0].equals("torture");
        Continuation c = new Continuation(() -> out[0] = torture ? Tortured.get() : Suspending.get());
        try {
            while (!c.isDone()) {
                c.resume();
            }
            if (torture) {
                System.out.println("torture VALUE=" + Tortured.VALUE + " got=" + out[0]);
            } else {
                System.out.println("real VALUE=" + Suspending.VALUE + " got=" + out[0] + " refused=" + Suspending.refused);
            }
        } catch (Throwable t) {
            System.out.println((torture ? "torture" : "real") + " threw " + t);
        }
    }
}
