/**
 * Bobbin's public API: stackful continuations for plain Java ({@link io.bobbin.Continuation},
 * {@link io.bobbin.Generator}, {@link io.bobbin.Suspendable}) and, on top of them, an event loop in
 * the spirit of asyncio ({@link io.bobbin.EventLoop}, {@link io.bobbin.Task}, {@link io.bobbin.Async}).
 *
 * <p>Code that suspends must be instrumented by the Bobbin agent: mark it {@code @Suspendable}.
 * Everything under {@code io.bobbin.internal} is the implementation, with no compatibility promise.
 *
 * <p>Threads: each class says which of its methods may be called from which thread. A loop's tasks
 * run on its one thread, never in parallel with each other; a continuation runs on the thread that
 * resumes it.
 */
package io.bobbin;
