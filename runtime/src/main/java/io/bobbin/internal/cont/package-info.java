/**
 * The continuation machinery that instrumented code calls: the frame store
 * ({@link io.bobbin.internal.cont.FrameStack}), the check of the JVM's lambda forwarders, fault
 * reports and the torture mode; the reading of a suspended continuation's frames
 * ({@link io.bobbin.internal.cont.SavedFrames}) and their serial form
 * ({@link io.bobbin.internal.cont.SerialFrames}), both only when asked. The only runtime package the
 * agent never instruments. Public only because the code the agent writes into user classes calls it;
 * <b>internal</b>, never used directly by applications.
 *
 * <p>Threads: a frame store is used by the one thread that has mounted it; it is read (and, for a
 * continuation read from a stream, filled) only while its continuation is not running; see each class.
 */
package io.bobbin.internal.cont;
