package io.bobbin.internal.cont;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Put by the agent on every method it instrumented, so that the runtime can tell, by reflection,
 * whether a method's frame can be suspended. <b>Internal</b>: never written by hand.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Instrumented {}
