package io.bobbin.internal.cont;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The torture mode, for testing the agent on code nobody wrote for it: the agent (option
 * {@code torture}) puts a suspension point at the entry of every instrumented method, and every time
 * one suspends the continuation resumes it at once, every {@code bobbin.torture.hop}-th time (7 by
 * default) on another thread. Off, it costs nothing: the agent then writes no such point.
 */
public final class Torture {
    /** Set by the agent's {@code torture} option, through the system property {@code bobbin.torture}. */
    public static final boolean ENABLED = Boolean.getBoolean("bobbin.torture");
    private static final int HOP_EVERY = Integer.getInteger("bobbin.torture.hop", 7);
    private static final AtomicLong SUSPENSIONS = new AtomicLong();
    private static volatile ExecutorService hops;

    private Torture() {}

    /** How many suspensions the torture mode has forced in this JVM. */
    public static long suspensions() {
        return SUSPENSIONS.get();
    }

    /** Counts a forced suspension; {@code true} when the resumption should hop to another thread. */
    public static boolean countAndHop() {
        long n = SUSPENSIONS.incrementAndGet();
        return HOP_EVERY > 0 && n % HOP_EVERY == 0;
    }

    /** Runs {@code work} on a hop thread and waits for it; its exception is rethrown as it is. */
    public static <T> T onAnotherThread(Callable<T> work) throws Exception {
        Future<T> f = executor().submit(work);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the continuation must finish its pass before this thread may go on
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw (Error) cause;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ExecutorService executor() {
        ExecutorService e = hops;
        if (e == null) {
            synchronized (Torture.class) {
                e = hops;
                if (e == null) {
                    e = hops = Executors.newCachedThreadPool(r -> {
                        Thread t = new Thread(r, "bobbin-torture-hop");
                        t.setDaemon(true);
                        return t;
                    });
                }
            }
        }
        return e;
    }
}
