package io.bobbin.core;

import io.bobbin.Suspendable;

/** Loaded before the agent is attached in {@link LateAttachMain}: the agent must retransform it. */
final class LoadedEarly {
    static int touched;

    static void touch() {
        touched++;
    }

    @Suspendable
    static int work() {
        int a = 20;
        Drive.pause();
        return a + 22;
    }
}
