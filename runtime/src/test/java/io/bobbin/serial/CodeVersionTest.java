package io.bobbin.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Continuation;
import io.bobbin.internal.cont.SavedFrames;
import java.io.InvalidClassException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A continuation written with one version of a class and read where another version is loaded (each
 * version compiled from its source and loaded by a loader of its own, under the agent): a frame of a
 * method whose code changed is refused, naming the class and the method; frames of unchanged methods
 * are accepted whatever else changed in their class, lines included.
 */
class CodeVersionTest {
    static final String NAME = "io.bobbin.serial.gen.Versioned";

    /** {@code work} suspends twice; {@code neighbour} is instrumented too, but never on the stack when it is written. */
    static String source(String shift, int factor, int plus) {
        return String.join("\n",
                "package io.bobbin.serial.gen;",
                "",
                "import io.bobbin.Continuation;",
                "import io.bobbin.Suspendable;",
                "import io.bobbin.SuspendableRunnable;",
                "import java.io.Serializable;",
                "",
                "public class Versioned {",
                shift,
                "    public static Continuation start(int n) {",
                "        return new Continuation((SuspendableRunnable & Serializable) () -> work(n));",
                "    }",
                "",
                "    @Suspendable",
                "    static void work(int n) {",
                "        int acc = n * " + factor + ";",
                "        Object in = Continuation.suspend(acc);",
                "        Continuation.suspend(acc + neighbour((Integer) in));",
                "    }",
                "",
                "    @Suspendable",
                "    static int neighbour(int x) {",
                "        if (x < 0) {",
                "            Continuation.suspend();",
                "        }",
                "        return x + " + plus + ";",
                "    }",
                "}",
                "");
    }

    static Compiled original;
    static Compiled workChanged;
    static Compiled neighbourChanged;
    static Compiled linesMoved;
    static byte[] written;

    @BeforeAll
    static void writeWithTheOriginal() throws Exception {
        original = Compiled.of(NAME, source("", 10, 1));
        workChanged = Compiled.of(NAME, source("", 20, 1));
        neighbourChanged = Compiled.of(NAME, source("", 10, 2));
        linesMoved = Compiled.of(NAME, source("\n    // three lines\n    // further down\n", 10, 1));
        Continuation c = start(original, 3);
        assertEquals(30, c.send(null));
        written = Bytes.write(c);
    }

    @AfterAll
    static void forgetTheVersions() throws Exception {
        Compiled.forgetDumps("io.bobbin.serial.gen");
    }

    static Continuation start(Compiled version, int n) throws Exception {
        return (Continuation) version.load(NAME).getMethod("start", int.class).invoke(null, n);
    }

    @Test
    void theSameCodeInAnotherLoaderTakesTheContinuationBack() throws Exception {
        Continuation c = (Continuation) Bytes.read(written, null, original.again());
        assertEquals(30, c.lastValue());
        assertEquals(30 + 5 + 1, c.send(5));
    }

    @Test
    void aChangedMethodOnTheStackIsRefusedNamingTheClassAndTheMethod() throws Exception {
        InvalidClassException e = assertThrows(InvalidClassException.class, () -> Bytes.read(written, null, workChanged));
        assertEquals(NAME, e.classname);
        assertTrue(e.getMessage().startsWith(NAME + "; the code of method " + NAME + ".work(I)V changed since the"
                + " continuation was written"), e.getMessage());
    }

    @Test
    void aChangedNeighbourMethodInTheSameClassIsAcceptedAndItsNewCodeRuns() throws Exception {
        Continuation c = (Continuation) Bytes.read(written, null, neighbourChanged);
        assertEquals(30, c.lastValue());
        assertEquals(30 + 5 + 2, c.send(5), "the new neighbour adds 2");
        assertEquals(null, c.send(null));
        assertTrue(c.isDone());
    }

    @Test
    void methodsMovedToOtherLinesKeepTheirFingerprintsAndTheFramesShowTheNewLines() throws Exception {
        Continuation c = (Continuation) Bytes.read(written, null, linesMoved);
        Continuation fresh = start(original, 3);
        fresh.send(null);
        SavedFrames.Frame moved = SavedFrames.of(c).get(1);
        SavedFrames.Frame before = SavedFrames.of(fresh).get(1);
        assertEquals("work", moved.method.getName());
        assertEquals(before.fingerprint, moved.fingerprint);
        assertEquals(before.line + 3, moved.line);
        assertEquals(36, c.send(5));
    }

    @Test
    void theFingerprintsOfTheVersionsDifferOnlyWhereTheCodeDoes() throws Exception {
        long[] work = new long[4];
        long[] neighbour = new long[4];
        Compiled[] all = {original, workChanged, neighbourChanged, linesMoved};
        for (int i = 0; i < 4; i++) {
            Class<?> k = all[i].load(NAME);
            work[i] = k.getDeclaredMethod("work", int.class).getAnnotation(io.bobbin.internal.cont.Instrumented.class).fingerprint();
            neighbour[i] = k.getDeclaredMethod("neighbour", int.class).getAnnotation(io.bobbin.internal.cont.Instrumented.class)
                    .fingerprint();
        }
        assertNotEquals(work[0], work[1]);
        assertEquals(work[0], work[2]);
        assertEquals(work[0], work[3]);
        assertEquals(neighbour[0], neighbour[1]);
        assertNotEquals(neighbour[0], neighbour[2]);
        assertEquals(neighbour[0], neighbour[3]);
    }
}
