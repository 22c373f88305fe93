package io.bobbin.demo;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import io.bobbin.SuspendableRunnable;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Step 9: a job that outlives its JVM. An order waits for a payment, then for a shipment, written as
 * plain sequential code in a {@link Continuation}. At each wait the job hands out what it waits for
 * ({@code Continuation.suspend(value)}), and the driver writes the whole continuation, frames and all,
 * to a file; when the event comes, {@code send(event)} passes it in. Kill the JVM whenever you like: the
 * next run reads the file and goes on from the last checkpoint, locals included.
 */
final class DurableDemo implements Demo {
    /** A body that can be written: lambdas of this type are serializable. */
    interface Job extends SuspendableRunnable, Serializable {}

    record Payment(String method) implements Serializable {}

    record Shipment(String carrier, String tracking) implements Serializable {}

    /** What a checkpoint may hold: the runtime, this demo's classes, a few of java.lang; nothing else. */
    static final ObjectInputFilter ALLOWED = ObjectInputFilter.Config.createFilter(
            "io.bobbin.*;io.bobbin.demo.*;java.lang.*;java.lang.invoke.SerializedLambda;!*");

    private static final Stopwatch CLOCK = new Stopwatch();

    @Override
    public String name() {
        return "durable";
    }

    @Override
    public String summary() {
        return "an order waiting for a payment and a shipment, checkpointed to a file at each wait: kill it, it goes on";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--file", "FILE", "the checkpoint (default durable-order.ser in the current directory)"),
                Option.valued("--wait", "MS", "how long each outside event takes to come (default 1000)"));
    }

    /** The job: plain code that waits twice. Nothing in it knows about files. */
    @Suspendable
    static void order(String id, long cents) {
        say(id + ": placed, " + money(cents));
        Payment paid = (Payment) Continuation.suspend("payment");
        say(id + ": paid " + money(cents) + " by " + paid.method());
        Shipment sent = (Shipment) Continuation.suspend("shipment");
        say(id + ": shipped with " + sent.carrier() + ", tracking " + sent.tracking());
        say(id + ": complete (" + money(cents) + " paid by " + paid.method() + ", shipped with " + sent.carrier() + ")");
    }

    @Override
    public int run(Args args) throws Exception {
        Path file = Path.of(args.get("--file", "durable-order.ser"));
        int wait = args.getInt("--wait", 1000, 0, 600_000);
        Continuation job;
        if (Files.exists(file)) {
            try {
                job = read(file);
            } catch (IOException | ClassNotFoundException e) {
                System.out.println("the checkpoint in " + file + " cannot be read (" + e + "); delete it to start over");
                return 1;
            }
            System.out.println("checkpoint found in " + file + ": the order goes on from it, waiting for a " + job.lastValue());
        } else {
            System.out.println("no checkpoint in " + file + ": a new order");
            job = new Continuation((Job) () -> order("order 1042", 4250));
            job.send(null); // runs the job up to its first wait
            checkpoint(job, file);
        }
        while (!job.isDone()) {
            Thread.sleep(wait); // the outside world takes its time
            job.send(job.lastValue().equals("payment") ? new Payment("card") : new Shipment("ParcelCo", "PC-1042-7"));
            if (!job.isDone()) {
                checkpoint(job, file);
            }
        }
        Files.delete(file);
        System.out.println("order done: checkpoint deleted");
        return 0;
    }

    /** At each wait: the whole job, frames and all, to the file. */
    static void checkpoint(Continuation job, Path file) throws IOException {
        write(job, file);
        say("checkpoint: waiting for a " + job.lastValue() + " (" + Files.size(file) + " bytes in " + file + ")");
    }

    /** Writes to a file beside it, then moves it over the checkpoint: a kill mid-write leaves the last one whole. */
    static void write(Continuation job, Path file) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(next))) {
            out.writeObject(job);
        }
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Continuation read(Path file) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
            in.setObjectInputFilter(ALLOWED); // never read what the allow-list does not name
            return (Continuation) in.readObject();
        }
    }

    static void say(String what) {
        System.out.println(CLOCK.stamp() + "  " + what);
    }

    static String money(long cents) {
        return cents / 100 + "." + String.format("%02d", cents % 100);
    }
}
