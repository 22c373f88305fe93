package io.bobbin.serial;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import io.bobbin.serial.Bytes.Job;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A journey that starts in one JVM and ends in another: {@link #start} makes a continuation that
 * suspends two frames deep holding values of every kind; {@link #main} (run in a second JVM, with the
 * agent) reads it from a file, resumes it with a value, and prints what it finds.
 */
public final class SecondJvm {
    private SecondJvm() {}

    /** Held in a frame; a filter may refuse it. */
    static final class Cargo implements Serializable {
        private static final long serialVersionUID = 1L;
        final String what;
        final int weight;

        Cargo(String what, int weight) {
            this.what = what;
            this.weight = weight;
        }
    }

    static Continuation start(String from) {
        return new Continuation((Job) () -> journey(from));
    }

    static void write(Continuation c, Path file) throws Exception {
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(file))) {
            out.writeObject(c);
        }
    }

    @Suspendable
    static void journey(String from) {
        boolean z = true;
        byte b = Byte.MIN_VALUE;
        char c = '\u00e9';
        short s = Short.MIN_VALUE;
        int i = Integer.MAX_VALUE;
        long j = Long.MIN_VALUE;
        float nan = Float.intBitsToFloat(0x7fc1_2345);
        double negativeZero = -0.0;
        int[] squares = {1, 4, 9};
        Cargo cargo = new Cargo("crate", 42);
        long pid = ProcessHandle.current().pid();
        // from waits on the operand stack below the suspending call
        String line = from + " -> " + leg(cargo, Math.PI, pid);
        System.out.println("in another process: " + (ProcessHandle.current().pid() != pid));
        System.out.println("values: " + z + " " + b + " " + (int) c + " " + s + " " + i + " " + j + " "
                + Arrays.toString(squares) + " " + cargo.what + "/" + cargo.weight);
        System.out.println("bits: " + Integer.toHexString(Float.floatToRawIntBits(nan)) + " "
                + Long.toHexString(Double.doubleToRawLongBits(negativeZero)));
        System.out.println("line: " + line);
    }

    @Suspendable
    static String leg(Cargo cargo, double pi, long pid) {
        Object reply = Continuation.suspend("packed " + cargo.what + " in " + pid);
        return reply + " (pi " + pi + ")";
    }

    /** {@code SecondJvm FILE}: reads the continuation, resumes it with a value; exit 3 when reading refuses it. */
    public static void main(String[] args) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(Path.of(args[0])))) {
            Continuation c = (Continuation) in.readObject();
            System.out.println("read: " + c + ", handed out: " + c.lastValue());
            Object out = c.send("hello from the second JVM");
            System.out.println("done: " + c.isDone() + ", handed out: " + out);
        } catch (InvalidClassException e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(3);
        }
    }
}
