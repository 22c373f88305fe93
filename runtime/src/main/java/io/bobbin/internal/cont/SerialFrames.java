package io.bobbin.internal.cont;

import io.bobbin.Continuation;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The serial form of a suspended continuation's frames: what {@code Continuation.writeObject} writes
 * after its own state, and {@code readObject} reads back into a fresh frame store.
 *
 * <p>Per frame, root first: its method's declaring class (written as an object, so that the stream's
 * class resolution and {@link java.io.ObjectInputFilter} apply to it), the method's name and
 * descriptor, its fingerprint ({@link Instrumented#fingerprint()}), the index of the suspension point
 * it stopped at, and its saved values: the ints (and floats, as raw bits), the longs (and doubles, as
 * raw bits) and the references (through {@code writeObject}), each in the order the frame pushed them.
 * Values come back bit for bit.
 *
 * <p>On read, each method is found again by class, name and descriptor, and its fingerprint compared
 * with the saved one: a frame is only restored into the code it was saved from. A method that
 * changed, or is gone, or is not instrumented, makes the read throw {@link InvalidClassException}
 * naming the class and the method; the other methods of its class may have changed at will. The
 * resume point is rebuilt from the method as it is now ({@link Instrumented#base()} plus the point's
 * index), so it does not depend on anything but the method's own code.
 *
 * <p>Threads: the caller's, while the continuation is not running (see {@code Continuation}).
 */
public final class SerialFrames {
    private SerialFrames() {}

    /**
     * Writes the frames that the suspended {@code c} saved.
     *
     * @throws NotSerializableException if a value a frame holds is not serializable (the message names
     *     its class and the frame: class, method, line), or a frame's method cannot be identified
     */
    public static void write(Continuation c, ObjectOutputStream out) throws IOException {
        FrameStack s = ContinuationAccess.stackOf(c);
        List<SavedFrames.Frame> frames = SavedFrames.of(c);
        int ints = 0;
        int longs = 0;
        int refs = 0;
        for (SavedFrames.Frame f : frames) {
            if (f.method == null) {
                throw new NotSerializableException(Continuation.class.getName() + ": the method of a suspended frame"
                        + " (resume point " + f.point + ") cannot be found, so the frame cannot be described;"
                        + " its class was redefined, or is not instrumented as it was when the continuation suspended");
            }
            ints += f.ints.length + 1;
            longs += f.longs.length;
            refs += f.refs.length;
        }
        if (ints != s.isp || longs != s.lsp || refs != s.rsp) {
            SavedFrames.Frame last = frames.get(frames.size() - 1);
            throw new NotSerializableException(Continuation.class.getName() + ": the frames saved below " + last
                    + " do not match what their methods say they save; a class was redefined since the continuation"
                    + " suspended");
        }
        out.writeInt(frames.size());
        for (SavedFrames.Frame f : frames) {
            Method m = f.method;
            out.writeObject(m.getDeclaringClass());
            out.writeUTF(m.getName());
            out.writeUTF(SavedFrames.descriptor(m));
            out.writeLong(f.fingerprint);
            out.writeInt(f.point);
            out.writeInt(f.ints.length);
            for (int v : f.ints) {
                out.writeInt(v);
            }
            out.writeInt(f.longs.length);
            for (long v : f.longs) {
                out.writeLong(v);
            }
            out.writeInt(f.refs.length);
            for (Object v : f.refs) {
                try {
                    out.writeObject(v);
                } catch (NotSerializableException e) {
                    NotSerializableException named = new NotSerializableException(e.getMessage()
                            + " (not serializable) is held, or reached from a value held, by the suspended frame of "
                            + f.toStackTraceElement() + "; every value a suspended frame holds must be serializable");
                    named.initCause(e);
                    throw named;
                }
            }
        }
    }

    /**
     * Reads frames written by {@link #write} into the frame store of {@code c}, which has never run.
     *
     * @throws InvalidClassException if the code of a frame's method differs from the code the frame
     *     was saved from, or the method is gone or not instrumented (the message names class and method)
     * @throws InvalidObjectException if the stream does not hold what {@link #write} writes
     */
    public static void read(ObjectInputStream in, Continuation c) throws IOException, ClassNotFoundException {
        int n = in.readInt();
        if (n < 1) {
            throw new InvalidObjectException("a suspended continuation with " + n + " frames");
        }
        List<Frame> frames = new ArrayList<>();
        int ints = 0;
        int longs = 0;
        int refs = 0;
        for (int i = 0; i < n; i++) {
            Frame f = readFrame(in);
            frames.add(f);
            ints += f.ints.length + 1;
            longs += f.longs.length;
            refs += f.refs.length;
        }
        rebuild(ContinuationAccess.stackOf(c), frames, ints, longs, refs);
    }

    /** One frame as read: its resume point as the method is now, and its values in push order. */
    static final class Frame {
        final int id;
        final int[] ints;
        final long[] longs;
        final Object[] refs;

        Frame(int id, int[] ints, long[] longs, Object[] refs) {
            this.id = id;
            this.ints = ints;
            this.longs = longs;
            this.refs = refs;
        }
    }

    private static Frame readFrame(ObjectInputStream in) throws IOException, ClassNotFoundException {
        Object k = in.readObject();
        if (!(k instanceof Class)) {
            throw new InvalidObjectException("a suspended frame's class is a " + (k == null ? "null" : k.getClass().getName()));
        }
        Class<?> owner = (Class<?>) k;
        String name = in.readUTF();
        String desc = in.readUTF();
        long fingerprint = in.readLong();
        int point = in.readInt();
        String method = owner.getName() + "." + name + desc;
        InstrumentedMethods.Entry m = InstrumentedMethods.of(owner).named(name, desc);
        if (m == null) {
            throw new InvalidClassException(owner.getName(), "method " + method + ", in which the continuation was"
                    + " suspended, is gone from the class; a continuation can only be read where its suspended methods"
                    + " are as they were");
        }
        Instrumented meta = m.meta;
        if (meta == null) {
            throw new InvalidClassException(owner.getName(), "method " + method + ", in which the continuation was"
                    + " suspended, is not instrumented here; run with the Bobbin agent (or classes instrumented ahead of time)");
        }
        if (meta.fingerprint() != fingerprint) {
            throw new InvalidClassException(owner.getName(), "the code of method " + method + " changed since the"
                    + " continuation was written (fingerprint " + Long.toHexString(meta.fingerprint()) + ", saved with "
                    + Long.toHexString(fingerprint) + "); a suspended frame can only be restored into the code it was"
                    + " saved from");
        }
        String[] plan = m.point(point);
        if (plan == null) {
            throw new InvalidObjectException("method " + method + " has no suspension point " + point);
        }
        int ni = readCount(in, Integer.parseInt(plan[1]), "ints", method);
        int[] ints = new int[ni];
        for (int i = 0; i < ni; i++) {
            ints[i] = in.readInt();
        }
        int nl = readCount(in, Integer.parseInt(plan[2]), "longs", method);
        long[] longs = new long[nl];
        for (int i = 0; i < nl; i++) {
            longs[i] = in.readLong();
        }
        int nr = readCount(in, Integer.parseInt(plan[3]), "references", method);
        Object[] refs = new Object[nr];
        for (int i = 0; i < nr; i++) {
            refs[i] = in.readObject();
        }
        return new Frame(meta.base() + point, ints, longs, refs);
    }

    private static int readCount(ObjectInputStream in, int expected, String what, String method) throws IOException {
        int n = in.readInt();
        if (n != expected) {
            throw new InvalidObjectException("a suspended frame of " + method + " holds " + n + " " + what + " where the"
                    + " method saves " + expected);
        }
        return n;
    }

    /**
     * Loads {@code frames} (root first) into {@code s} in the layout the capture leaves: the leaf frame
     * at the bottom of each array, every frame's values in push order and then, among the ints, its
     * resume point; so the root's resume point is on top, where restoring starts.
     */
    static void rebuild(FrameStack s, List<Frame> frames, int ints, int longs, int refs) {
        int[] ia = new int[ints];
        long[] la = new long[longs];
        Object[] ra = new Object[refs];
        int isp = 0;
        int lsp = 0;
        int rsp = 0;
        for (int j = frames.size() - 1; j >= 0; j--) {
            Frame f = frames.get(j);
            System.arraycopy(f.ints, 0, ia, isp, f.ints.length);
            isp += f.ints.length;
            ia[isp++] = f.id;
            System.arraycopy(f.longs, 0, la, lsp, f.longs.length);
            lsp += f.longs.length;
            System.arraycopy(f.refs, 0, ra, rsp, f.refs.length);
            rsp += f.refs.length;
        }
        s.load(ia, isp, la, lsp, ra, rsp);
    }
}
