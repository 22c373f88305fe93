package io.bobbin.demo;

/**
 * One command-line option of a demo: {@code --name VALUE}, or a flag ({@code value == null}).
 *
 * @param name the option as typed, with its dashes: {@code --port}
 * @param value what its value is called in {@code --help} ({@code PORT}), or {@code null} for a flag
 * @param help one line for {@code --help}, saying what it does and its default
 */
record Option(String name, String value, String help) {
    static Option valued(String name, String value, String help) {
        return new Option(name, value, help);
    }

    static Option flag(String name, String help) {
        return new Option(name, null, help);
    }

    boolean isFlag() {
        return value == null;
    }
}
