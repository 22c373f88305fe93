package io.bobbin.internal.task;

import io.bobbin.internal.util.Exceptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A task waiting for an outcome that arrives from another thread: work on the blocking pool
 * ({@code Async.blocking}) or a {@link CompletionStage} ({@code Async.await}). Both take the same
 * path to the loop: the completing thread records the outcome and posts the wake-up to the loop
 * ({@link LoopTask#wakeFromAnyThread}), which wakes its poller.
 */
public abstract class CompletionWait<T> extends Wait {
    private volatile T value;
    private volatile Throwable failure;

    CompletionWait(LoopTask<?> task) {
        super(task);
    }

    /** Any thread: records the outcome and has the loop wake the task. */
    final void complete(T v, Throwable e) {
        value = v;
        failure = e;
        task.wakeFromAnyThread(this);
    }

    /** The outcome, after the wake-up: the value, or the exception rethrown as it is. */
    public final T outcome() throws Exception {
        Throwable e = failure;
        if (e != null) {
            throw Exceptions.rethrowable(e);
        }
        return value;
    }

    /** Work run on the loop's blocking pool; cancelling the wait cancels the work and interrupts its thread. */
    public static final class OnPool<T> extends CompletionWait<T> {
        private final FutureTask<T> job;

        public OnPool(LoopTask<?> task, Callable<T> work) {
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
        protected void arm() {
            try {
                task.host.submitBlocking(job);
            } catch (RuntimeException e) {
                complete(null, e);
            }
        }

        @Override
        protected void abort() {
            job.cancel(true);
        }

        @Override
        public String describe() {
            return "blocking work on the pool";
        }

        /** Called for work the pool dropped at shutdown. */
        public static void dropped(Runnable job) {
            if (job instanceof FutureTask) {
                ((FutureTask<?>) job).cancel(false);
            }
        }
    }

    /** A {@link CompletionStage}; cancelling the wait leaves the stage alone. */
    public static final class OnStage<T> extends CompletionWait<T> {
        private final CompletionStage<T> stage;

        public OnStage(LoopTask<?> task, CompletionStage<T> stage) {
            super(task);
            this.stage = stage;
        }

        @Override
        protected void arm() {
            stage.whenComplete((v, e) -> complete(v, e == null ? null : Exceptions.unwrap(e)));
        }

        @Override
        protected void abort() {
            // the stage's callback stays; its late wake-up is ignored
        }

        @Override
        public String describe() {
            return "await of " + stage;
        }
    }
}
