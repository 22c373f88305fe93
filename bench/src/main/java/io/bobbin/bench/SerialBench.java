package io.bobbin.bench;

import io.bobbin.Continuation;
import io.bobbin.SuspendableRunnable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Benchmark 9, serializable continuations: a continuation suspended 3 frames deep ({@link Frames#down},
 * each frame holding an int and a long, below the body's lambda), written with {@code ObjectOutputStream}
 * and read back with {@code ObjectInputStream}, as a checkpoint would be: {@link #bobbinRoundTrip} is one
 * write and one read, with fresh streams each time; {@link #bytes()} is the size of what is written.
 *
 * <p>The peer is plain Java serialization of the same information without a continuation: a
 * serializable lambda and three small objects holding an int and a long each ({@link #plainRoundTrip}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerialBench {
    static final int DEPTH = 3;

    /** A body that can be written. */
    interface Job extends SuspendableRunnable, Serializable {}

    /** The peer's stand-in for a frame. */
    static final class PlainFrame implements Serializable {
        private static final long serialVersionUID = 1L;
        final int n;
        final long acc;
        final PlainFrame below;

        PlainFrame(int n, long acc, PlainFrame below) {
            this.n = n;
            this.acc = acc;
            this.below = below;
        }
    }

    /** The peer's whole state: a serializable lambda, as the continuation's body is, and its frames. */
    static final class PlainState implements Serializable {
        private static final long serialVersionUID = 1L;
        final Job body;
        final PlainFrame top;

        PlainState(Job body, PlainFrame top) {
            this.body = body;
            this.top = top;
        }
    }

    private Continuation suspended;
    private PlainState plain;

    /** A continuation suspended {@link #DEPTH} frames deep, with a body that can be written. */
    static Continuation suspended() {
        Continuation c = new Continuation((Job) () -> Frames.down(DEPTH, 7));
        c.resume();
        return c;
    }

    static PlainState plain() {
        Job body = () -> Frames.down(DEPTH, 7);
        return new PlainState(body, new PlainFrame(3, 7, new PlainFrame(2, 10, new PlainFrame(1, 12, null))));
    }

    @Setup(Level.Trial)
    public void setUp() {
        suspended = suspended();
        plain = plain();
        Continuation copy = (Continuation) read(write(suspended));
        copy.resume();
        if (!copy.isDone()) {
            throw new IllegalStateException("the copy did not end where the original would: " + copy);
        }
    }

    @Benchmark
    public Object bobbinRoundTrip() {
        return read(write(suspended));
    }

    @Benchmark
    public Object plainRoundTrip() {
        return read(write(plain));
    }

    /** Bytes written for a continuation suspended {@link #DEPTH} frames deep, and for the peer: {bobbin, plain}. */
    public static int[] bytes() {
        return new int[] {write(suspended()).length, write(plain()).length};
    }

    static byte[] write(Object o) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(1024);
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    static Object read(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
