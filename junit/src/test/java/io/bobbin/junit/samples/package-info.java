/**
 * Test classes that the module's tests run with JUnit's {@code EngineTestKit}, never by themselves:
 * their names end in {@code Sample}, which Surefire does not pick. Each records what it saw in a static
 * log that the test reads.
 */
package io.bobbin.junit.samples;
