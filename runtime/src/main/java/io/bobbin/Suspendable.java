package io.bobbin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks code whose frames can be suspended and resumed by a {@link Continuation}.
 *
 * <p>On a method: the Bobbin agent instruments it so that it can save its locals and operand stack
 * at every call to another suspendable method, and restore them later. On a class or interface:
 * every method declared in it, lambda bodies declared in it included, but not constructors, static
 * initialisers or nested classes.
 *
 * <p>Suspendability is inherited: every override and implementation of a marked method is
 * suspendable too. A lambda whose functional interface method is marked is suspendable, and so is a
 * method reference to a marked method or to any method declared in the class that makes the
 * reference.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Suspendable {}
