package io.bobbin;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A task waiting for an outcome that arrives from another thread: work on the blocking pool
 * ({@link Async#blocking}) or a {@link CompletionStage} ({@link Async#await}). Both take the same
 * path to the loop: the completing thread records the outcome and posts the wake-up to the loop's
 * {@link Inbox}, which wakes the selector through the {@link WakeupChannel}.
 */
abstract class CompletionWait<T> extends Wait {
    private volatile T value;
    private volatile Throwable failure;

    CompletionWait(LoopTask<?> task) {
        super(task);
    }

    /** Any thread: records the outcome and has the loop wake the task. */
    final void complete(T v, Throwable e) {
        value = v;
        failure = e;
        task.loop.onLoopThread(() -> task.loop.scheduler.wake(task, this));
    }

    /** The outcome, after the wake-up: the value, or the exception rethrown as it is. */
    final T outcome() throws Exception {
        Throwable e = failure;
        if (e != null) {
            throw rethrowable(e);
        }
        return value;
    }

    /** Strips {@link CompletionException}/{@link ExecutionException} wrappers. */
    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** {@code e} as something a {@code throws Exception} method can throw, as it is when possible. */
    static Exception rethrowable(Throwable e) {
        if (e instanceof Exception) {
            return (Exception) e;
        }
        if (e instanceof Error) {
            throw (Error) e;
        }
        return new UndeclaredThrowableException(e);
    }

    /** Work run on the loop's blocking pool; cancelling the wait cancels the work and interrupts its thread. */
    static final class OnPool<T> extends CompletionWait<T> {
        private final FutureTask<T> job;

        OnPool(LoopTask<?> task, Callable<T> work) {
            super(task);
            this.job = new FutureTask<>(work) {
                @Override
                protected void done() {
                    if (isCancelled()) {
                        return;
                    }
                    try {
                        complete(get(), null);
                    } catch (ExecutionException e) {
                        complete(null, e.getCause());
                    } catch (Throwable e) {
                        complete(null, e);
                    }
                }
            };
        }

        @Override
        void arm() {
            try {
                task.loop.pool.submit(job);
            } catch (RuntimeException e) {
                complete(null, e);
            }
        }

        @Override
        void abort() {
            job.cancel(true);
        }

        /** Called for work the pool dropped at shutdown. */
        static void dropped(Runnable job) {
            if (job instanceof FutureTask) {
                ((FutureTask<?>) job).cancel(false);
            }
        }
    }

    /** A {@link CompletionStage}; cancelling the wait leaves the stage alone. */
    static final class OnStage<T> extends CompletionWait<T> {
        private final CompletionStage<T> stage;

        OnStage(LoopTask<?> task, CompletionStage<T> stage) {
            super(task);
            this.stage = stage;
        }

        @Override
        void arm() {
            stage.whenComplete((v, e) -> complete(v, e == null ? null : unwrap(e)));
        }

        @Override
        void abort() {
            // the stage's callback stays; its late wake-up is ignored
        }
    }
}
