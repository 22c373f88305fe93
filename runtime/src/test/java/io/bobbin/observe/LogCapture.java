package io.bobbin.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records logged to {@code io.bobbin.EventLoop} (System.Logger's default backend is
 * java.util.logging) while open; they are kept from the console meanwhile.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("io.bobbin.EventLoop");
    private final List<LogRecord> records = new ArrayList<>();
    private final boolean parents;

    LogCapture() {
        parents = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord r) {
        records.add(r);
        notifyAll();
    }

    /** The messages of the WARNING records that start with {@code prefix}, in order. */
    synchronized List<String> warnings(String prefix) {
        List<String> out = new ArrayList<>();
        for (LogRecord r : records) {
            if (r.getLevel() == Level.WARNING && r.getMessage().startsWith(prefix)) {
                out.add(r.getMessage());
            }
        }
        return out;
    }

    /** Waits up to {@code millis} for a WARNING record starting with {@code prefix}; returns them all. */
    synchronized List<String> awaitWarning(String prefix, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (warnings(prefix).isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return warnings(prefix);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(parents);
    }
}
