/**
 * Small pieces shared by the other internal packages: the waiter queue of the coordination
 * primitives, exception helpers, the short spin before parking. <b>Internal</b>: no compatibility promise.
 *
 * <p>Threads: each class says; none has state shared between threads of its own.
 */
package io.bobbin.internal.util;
