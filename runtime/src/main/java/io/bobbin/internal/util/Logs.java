package io.bobbin.internal.util;

/** The runtime's loggers, through {@link System.Logger}. */
public final class Logs {
    /** Everything a loop reports: failed callbacks, failed tasks nobody joined. Named {@code io.bobbin.EventLoop}. */
    public static final System.Logger LOOP = System.getLogger("io.bobbin.EventLoop");

    private Logs() {}
}
