package io.bobbin.internal.cont;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Put by the agent on every method it instrumented, so that the runtime can tell, by reflection,
 * whether a method's frame can be suspended, and read what it needs to describe a saved frame of it
 * (only when asked: stack traces of suspended tasks, serialized continuations). <b>Internal</b>:
 * never written by hand.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Instrumented {
    /**
     * The method's first resume-point id: its points are {@code base()} to
     * {@code base() + points().length - 1}; the bits above {@link SavedFrames#POINT_BITS} name the method.
     */
    int base() default 0;

    /** A hash of the method's code and of the plan of its points: a frame is restored only into the same. */
    long fingerprint() default 0;

    /** The source file of the method's class, or empty. */
    String source() default "";

    /**
     * Per resume point, {@code line|ints|longs|refs|receiver|opcode|owner|name|desc}: the source line of
     * the call, how many values the frame saves in each of the store's stacks (the point not counted),
     * the index of the call's receiver among the frame's references (-1 when none), and the call.
     */
    String[] points() default {};
}
