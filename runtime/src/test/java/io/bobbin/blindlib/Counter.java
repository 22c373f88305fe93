package io.bobbin.blindlib;

/** A second library class of the same loader (see {@code io.bobbin.core.aot.BlindLoaderMain}). */
public final class Counter {
    private Counter() {}

    public static String run(String who) {
        return who.length() + " letters";
    }
}
