package io.bobbin.agent;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The mark the instrumenter puts on every class it changed (agent/.../InstrumentedMark: the agent
 * has no such type, only the name in class files). Declared here so that a test class can carry it
 * and be left alone by the agent, as a class instrumented by another version would be.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface InstrumentedBy {
    String version();
}
