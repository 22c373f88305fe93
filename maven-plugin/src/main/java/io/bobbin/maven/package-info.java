/**
 * The Bobbin Maven plugin: build-time instrumentation of a project's classes ({@code instrument},
 * phase {@code process-classes}) and test classes ({@code instrument-tests}, phase
 * {@code process-test-classes}), in place, by the agent's own code ({@code io.bobbin.agent.AheadOfTime}).
 * An incremental build rewrites only the classes the compiler rewrote (see {@link ClassesState}).
 *
 * <p>Threads: a goal runs on the thread Maven gives it; the plugin keeps no state between goals but
 * its state files under {@code target/bobbin/}.
 */
package io.bobbin.maven;
