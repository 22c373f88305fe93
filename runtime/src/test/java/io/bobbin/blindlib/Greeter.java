package io.bobbin.blindlib;

/** A library class that knows nothing of Bobbin (see {@code io.bobbin.core.aot.BlindLoaderMain}). */
public final class Greeter {
    private Greeter() {}

    public static String run(String who) {
        return greeting() + ", " + who;
    }

    static String greeting() {
        return "hello";
    }
}
