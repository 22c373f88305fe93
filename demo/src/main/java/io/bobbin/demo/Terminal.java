package io.bobbin.demo;

import java.io.Console;

/** Whether standard output is a terminal, where a progress line may rewrite itself with {@code \r}. */
final class Terminal {
    private Terminal() {}

    static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try { // JDK 22+: a console exists even when redirected; isTerminal() tells
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22, a console means a terminal
        }
    }
}
