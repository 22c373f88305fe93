package io.bobbin.agent;

/** Code that the agent cannot make suspendable; the method is left as it was, with a warning. */
final class UnsupportedCodeException extends Exception {
    private static final long serialVersionUID = 1L;

    UnsupportedCodeException(String message) {
        super(message);
    }
}
