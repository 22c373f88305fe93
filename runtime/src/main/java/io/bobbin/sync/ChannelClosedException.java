package io.bobbin.sync;

/**
 * Thrown by a {@link Channel} that has been closed: to a sender (its value was not delivered), and to
 * a receiver once every value sent before the close has been received.
 */
public class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ChannelClosedException(String message) {
        super(message);
    }
}
