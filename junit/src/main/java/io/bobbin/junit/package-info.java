/**
 * Bobbin for JUnit 5: {@link io.bobbin.junit.OnEventLoop} runs a test as the main task of a fresh
 * (virtual-time, seeded) event loop and fails it when it leaves tasks running;
 * {@link io.bobbin.junit.BobbinExtension}, auto-detected with
 * {@code -Dbobbin.junit.continuations=true}, runs every test of any JUnit 5 suite inside a
 * continuation, so that the agent's torture mode reaches it.
 *
 * <p>Threads: everything runs on the thread JUnit runs the test on (the loop's thread, for an
 * {@code @OnEventLoop} test).
 */
package io.bobbin.junit;
