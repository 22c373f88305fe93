package io.bobbin.internal.observe;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Asks a loop's thread a question and waits, for a bounded time, for its answer: how other threads
 * read what only the loop's thread may read (a suspended task's frames, the live tasks). On the
 * loop's own thread the question is answered at once.
 *
 * <p>A loop whose thread is held by a step that does not return (a task that blocks the thread)
 * never answers: the wait then ends after {@link #ANSWER_WAIT_MILLIS} with {@link Outcome#NO_ANSWER}
 * instead of hanging, and the question, still queued, is answered later to nobody.
 *
 * <p>Threads: any. The answer is published through a latch (happens-before from the loop's thread).
 */
public final class OnLoop<T> {
    /** How long another thread waits for a loop's answer. */
    public static final long ANSWER_WAIT_MILLIS = 1000;

    /** How a question ended. */
    public enum Outcome {
        /** {@link #value()} is the answer. */
        ANSWERED,
        /** The loop has ended and runs nothing more. */
        LOOP_ENDED,
        /** The loop's thread did not answer in time (or the asking thread was interrupted). */
        NO_ANSWER
    }

    private final CountDownLatch answered = new CountDownLatch(1);
    private volatile T value;
    private Outcome outcome;
    private boolean interrupted;

    private OnLoop() {}

    /**
     * Runs {@code question} on the loop's thread and waits up to {@code waitMillis} for its answer.
     *
     * @param onHostThread the loop's way in: runs the action now on its thread, or posts it; {@code
     *     false} when the loop has ended
     */
    public static <T> OnLoop<T> ask(Predicate<Runnable> onHostThread, Supplier<T> question, long waitMillis) {
        OnLoop<T> q = new OnLoop<>();
        if (!onHostThread.test(() -> {
            q.value = question.get();
            q.answered.countDown();
        })) {
            q.outcome = Outcome.LOOP_ENDED;
            return q;
        }
        try {
            q.outcome = q.answered.await(waitMillis, TimeUnit.MILLISECONDS) ? Outcome.ANSWERED : Outcome.NO_ANSWER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            q.interrupted = true;
            q.outcome = Outcome.NO_ANSWER;
        }
        return q;
    }

    /** As {@link #ask(Predicate, Supplier, long)}, waiting {@link #ANSWER_WAIT_MILLIS}. */
    public static <T> OnLoop<T> ask(Predicate<Runnable> onHostThread, Supplier<T> question) {
        return ask(onHostThread, question, ANSWER_WAIT_MILLIS);
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The answer; {@code null} unless {@link Outcome#ANSWERED}. */
    public T value() {
        return outcome == Outcome.ANSWERED ? value : null;
    }

    /** Why there is no answer, in words (for {@link Outcome#NO_ANSWER}). */
    public String whyNoAnswer(String loopName) {
        if (interrupted) {
            return "the thread asking " + loopName + " was interrupted while it waited for the loop's answer";
        }
        return "the thread of " + loopName + " did not answer within " + ANSWER_WAIT_MILLIS + " ms: a task step or"
                + " callback holds it (a call that blocks the thread, or a long computation, in a task)";
    }
}
