package io.bobbin.suites.regress;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import io.bobbin.internal.cont.Torture;

/**
 * Regression repro (run under {@code -javaagent:bobbin-agent.jar=torture}): a continuation whose body
 * makes many calls to an instrumented method, resumed once. Under the torture mode each call is a
 * forced suspension, resumed at once, every 7th on another thread. Prints the forced suspensions and
 * the most live threads seen during the run.
 *
 * <p>Bug found by the library suites (fixed on main by 53ad975 "Torture hops run one pass on another
 * thread and come back" while this was being written): {@code Continuation.runToSuspension} hops by calling
 * {@code Torture.onAnotherThread(this::runToSuspension)}, so the hop thread runs the rest of the body
 * <em>and its next hop nests inside</em>: the thread that hopped waits in {@code Future.get()} until the
 * whole body ends. One {@code resume()} that forces N suspensions holds about N/7 threads blocked at
 * once (20,000 calls: about 2,900 threads); a real test suite exhausts the process's threads
 * ({@code pthread_create failed (EAGAIN)}) and the JVM dies.
 */
public final class TortureHopNesting {
    static long sink;

    @Suspendable
    static void leaf(int i) {
        sink += i;
    }

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int[] maxThreads = new int[1];
        Continuation c = new Continuation(() -> {
            for (int i = 0; i < calls; i++) {
                leaf(i);
                if (i % 500 == 0) {
                    maxThreads[0] = Math.max(maxThreads[0], Thread.activeCount());
                }
            }
        });
        while (!c.isDone()) {
            c.resume();
        }
        System.out.println("suspensions=" + Torture.suspensions() + " maxThreads=" + maxThreads[0] + " sink=" + sink);
    }
}
