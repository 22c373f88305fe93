package io.bobbin.core;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import io.bobbin.SuspendableCallable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Test helpers: run a body in a continuation to its end, counting suspensions. */
final class Drive {
    private Drive() {}

    /** The result of running a body to its end inside a continuation. */
    static final class Outcome<T> {
        final T value;
        final int suspensions;

        Outcome(T value, int suspensions) {
            this.value = value;
            this.suspensions = suspensions;
        }
    }

    /** Resumes until done; returns how many times it suspended. */
    static int toEnd(Continuation c) {
        int n = 0;
        while (true) {
            c.resume();
            if (c.isDone()) {
                return n;
            }
            n++;
        }
    }

    static <T> Outcome<T> run(SuspendableCallable<T> body) {
        List<T> out = new ArrayList<>(1);
        Continuation c = new Continuation(() -> out.add(body.call()));
        int n = toEnd(c);
        return new Outcome<>(out.get(0), n);
    }

    /** Like {@link #run}, but every resume after the first happens on another thread than the one before. */
    static <T> Outcome<T> runHopping(SuspendableCallable<T> body) throws Exception {
        List<T> out = new ArrayList<>(1);
        Continuation c = new Continuation(() -> out.add(body.call()));
        ExecutorService a = Executors.newSingleThreadExecutor();
        ExecutorService b = Executors.newSingleThreadExecutor();
        try {
            int n = 0;
            while (true) {
                Future<?> f = (n % 2 == 0 ? a : b).submit(c::resume);
                f.get();
                if (c.isDone()) {
                    return new Outcome<>(out.get(0), n);
                }
                n++;
            }
        } finally {
            a.shutdownNow();
            b.shutdownNow();
        }
    }

    /** A suspension point: suspends the current continuation; outside any, does nothing (for plain reference runs). */
    @Suspendable
    static void pause() {
        if (Continuation.current() != null) {
            Continuation.suspend();
        }
    }

    @Suspendable
    static int pauseThen(int v) {
        pause();
        return v;
    }
}
