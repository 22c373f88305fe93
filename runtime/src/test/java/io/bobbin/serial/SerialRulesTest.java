package io.bobbin.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.internal.cont.SavedFrames;
import io.bobbin.serial.Bytes.Job;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What cannot be written or read, and how it is said: a value that is not serializable (named with the
 * frame that held it), a body that is not, a running continuation, a task's, a resume during a write;
 * a class refused by the stream's filter; a frame whose code changed.
 */
class SerialRulesTest {
    static final List<Object> OUT = new ArrayList<>();
    static int line;

    @BeforeEach
    void clear() {
        OUT.clear();
    }

    /** The line of the caller: call it on the same line as the suspendable call it marks. */
    static int here() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst().orElseThrow()).getLineNumber();
    }

    /** Not serializable. */
    static final class Opaque {
        final String name;

        Opaque(String name) {
            this.name = name;
        }
    }

    @Suspendable
    static void holds(Object value) {
        Object held = value;
        line = here(); Continuation.suspend();
        OUT.add(String.valueOf(held instanceof Opaque ? ((Opaque) held).name : held));
    }

    @Test
    void aValueThatIsNotSerializableIsNamedWithTheFrameThatHeldIt() throws Exception {
        Continuation c = new Continuation((Job) () -> holds(new Opaque("kept")));
        c.resume();
        NotSerializableException e = assertThrows(NotSerializableException.class, () -> Bytes.write(c));
        String m = e.getMessage();
        assertTrue(m.startsWith(Opaque.class.getName() + " (not serializable) is held, or reached from a value held,"
                + " by the suspended frame of " + SerialRulesTest.class.getName() + ".holds(SerialRulesTest.java:" + line
                + ")"), m);
        // Nothing changed: it is still suspended, and goes on.
        assertEquals("Continuation[suspended]", c.toString());
        c.resume();
        assertTrue(c.isDone());
        assertEquals(List.of("kept"), OUT);
    }

    @Test
    void aValueReachedFromAFrameValueIsNamedToo() {
        Continuation c = new Continuation((Job) () -> holds(new ArrayList<>(List.of("a", new Opaque("deep")))));
        c.resume();
        NotSerializableException e = assertThrows(NotSerializableException.class, () -> Bytes.write(c));
        assertTrue(e.getMessage().startsWith(Opaque.class.getName() + " (not serializable)"), e.getMessage());
        assertTrue(e.getMessage().contains(".holds(SerialRulesTest.java:" + line + ")"), e.getMessage());
    }

    @Test
    void aValueTheBodyCapturedIsNamedWithTheBody() {
        Opaque captured = new Opaque("captured");
        Continuation c = new Continuation((Job) () -> holds(captured));
        NotSerializableException e = assertThrows(NotSerializableException.class, () -> Bytes.write(c));
        assertTrue(e.getMessage().startsWith(Opaque.class.getName() + " (not serializable) is reached from the body of"
                + " the continuation, " + SerialRulesTest.class.getName() + "$$Lambda"), e.getMessage());
    }

    @Test
    void aBodyThatIsNotSerializableIsNamedWithWhatToDo() {
        Continuation c = new Continuation(() -> holds("x"));
        NotSerializableException e = assertThrows(NotSerializableException.class, () -> Bytes.write(c));
        assertTrue(e.getMessage().startsWith(SerialRulesTest.class.getName() + "$$Lambda"), e.getMessage());
        assertTrue(e.getMessage().contains("the body of a continuation must be serializable"), e.getMessage());
        assertTrue(e.getMessage().contains("(SuspendableRunnable & Serializable) () -> ..."), e.getMessage());
    }

    @Test
    void aRunningContinuationCannotBeWrittenFromItsOwnBody() {
        Continuation c = new Continuation((Job) () -> {
            try {
                Bytes.write(Continuation.current());
            } catch (NotSerializableException e) {
                OUT.add(e.getMessage());
            }
        });
        c.resume();
        assertEquals(List.of("io.bobbin.Continuation: the continuation is running; a continuation can be written only"
                + " while it is new, suspended or done, never from its own body"), OUT);
    }

    @Test
    void theContinuationOfATaskIsNotSerializable() throws Exception {
        String message = EventLoop.run(() -> {
            try {
                Bytes.write(Continuation.current());
                return "written";
            } catch (NotSerializableException e) {
                return e.getMessage();
            }
        });
        assertTrue(message.startsWith("io.bobbin.Continuation: the continuation of a task of an event loop belongs to"
                + " its loop (io.bobbin.internal.task.LoopTask) and cannot be written"), message);
    }

    /** A value whose own writeObject meddles with the continuation being written. */
    static final class Meddler implements Serializable {
        private static final long serialVersionUID = 1L;
        transient Continuation target;

        private void writeObject(ObjectOutputStream out) throws IOException {
            try {
                target.resume();
                OUT.add("resumed");
            } catch (IllegalStateException e) {
                OUT.add(e.getMessage());
            }
            try {
                Bytes.write(target);
                OUT.add("written twice");
            } catch (NotSerializableException e) {
                OUT.add(e.getMessage());
            }
            out.defaultWriteObject();
        }
    }

    @Test
    void aSuspendedContinuationIsHeldWhileItIsWritten() throws Exception {
        Meddler meddler = new Meddler();
        Continuation c = new Continuation((Job) () -> holds(meddler));
        meddler.target = c;
        c.resume();
        Bytes.write(c);
        assertEquals(List.of("The continuation is being written to a stream", "io.bobbin.Continuation: the continuation"
                + " is being written already; a continuation can be written only while it is new, suspended or done,"
                + " never from its own body"), OUT);
        c.resume();
        assertTrue(c.isDone(), "released once written");
    }

    /** Serializable, but a filter may refuse it. */
    static final class Secret implements Serializable {
        private static final long serialVersionUID = 1L;
        final String text = "classified";

        @Override
        public String toString() {
            return text;
        }
    }

    @Test
    void aStreamFilterThatRefusesAClassHeldInAFrameRefusesTheContinuation() throws Exception {
        Continuation c = new Continuation((Job) () -> holds(new Secret()));
        c.resume();
        byte[] bytes = Bytes.write(c);
        ObjectInputFilter noSecrets = ObjectInputFilter.Config.createFilter("!" + Secret.class.getName());
        InvalidClassException e = assertThrows(InvalidClassException.class, () -> Bytes.read(bytes, noSecrets, null));
        assertTrue(e.getMessage().contains("REJECTED"), e.getMessage());
        // The same bytes, read without that filter:
        Continuation copy = (Continuation) Bytes.read(bytes, null, null);
        copy.resume();
        assertEquals(List.of("classified"), OUT);
    }

    @Test
    void anAllowListFilterAppliesToTheClassesOfTheFramesToo() throws Exception {
        Continuation c = new Continuation((Job) () -> holds(42L));
        c.resume();
        byte[] bytes = Bytes.write(c);
        // The frames' methods are declared in io.bobbin.serial, which this list does not admit.
        ObjectInputFilter narrow = ObjectInputFilter.Config.createFilter("io.bobbin.*;java.base/*;!*");
        InvalidClassException e = assertThrows(InvalidClassException.class, () -> Bytes.read(bytes, narrow, null));
        assertTrue(e.getMessage().contains("REJECTED"), e.getMessage());
        // README's allow-list: the runtime, the application's own packages, the JDK's base module.
        ObjectInputFilter allow = ObjectInputFilter.Config.createFilter("io.bobbin.*;io.bobbin.serial.**;java.base/*;!*");
        Continuation copy = (Continuation) Bytes.read(bytes, allow, null);
        copy.resume();
        assertEquals(List.of("42"), OUT);
    }

    @Test
    void aFrameWhoseFingerprintDiffersIsRefusedNamingTheClassAndTheMethod() throws Exception {
        Continuation c = new Continuation((Job) () -> holds("x"));
        c.resume();
        long fingerprint = SavedFrames.of(c).get(1).fingerprint; // holds, below the body's lambda
        byte[] bytes = Bytes.write(c);
        byte[] pattern = ByteBuffer.allocate(8).putLong(fingerprint).array();
        int at = indexOf(bytes, pattern);
        assertTrue(at > 0 && indexOf(bytes, pattern, at + 1) < 0, "the fingerprint is in the bytes once");
        bytes[at + 7] ^= 1;
        InvalidClassException e = assertThrows(InvalidClassException.class, () -> Bytes.read(bytes));
        assertEquals(SerialRulesTest.class.getName(), e.classname);
        assertTrue(e.getMessage().startsWith(SerialRulesTest.class.getName() + "; the code of method "
                + SerialRulesTest.class.getName() + ".holds(Ljava/lang/Object;)V changed since the continuation was"
                + " written"), e.getMessage());
        assertFalse(c.isDone());
    }

    private static int indexOf(byte[] a, byte[] p) {
        return indexOf(a, p, 0);
    }

    private static int indexOf(byte[] a, byte[] p, int from) {
        outer:
        for (int i = from; i <= a.length - p.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (a[i + j] != p[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
