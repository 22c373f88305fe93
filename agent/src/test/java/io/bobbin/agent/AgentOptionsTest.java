package io.bobbin.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentOptionsTest {
    @Test
    void noOptions() {
        AgentOptions o = AgentOptions.parse(null);
        assertFalse(o.verbose);
        assertFalse(o.verify);
        assertEquals(null, o.dump);
        assertTrue(o.extras.isEmpty());
    }

    @Test
    void everyOption(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.txt");
        Files.writeString(file, "# comment\ncom.example.Api.call\n\ncom.example.Other.*  # all\ncom.example.X.m(I)V\n");
        AgentOptions o = AgentOptions.parse("verbose, verify,dump=/tmp/d,suspendables=" + file);
        assertTrue(o.verbose);
        assertTrue(o.verify);
        assertEquals(Paths.get("/tmp/d"), o.dump);
        assertTrue(o.extras.matches("com/example/Api", "call", "()Ljava/lang/Object;"));
        assertTrue(o.extras.matches("com/example/Other", "anything", "()V"));
        assertTrue(o.extras.matches("com/example/X", "m", "(I)V"));
        assertFalse(o.extras.matches("com/example/X", "m", "(J)V"));
        assertFalse(o.extras.matches("com/example/Api", "other", "()V"));
        assertFalse(o.extras.matches("com/example/Other", "<init>", "()V"));
    }

    @Test
    void badOptionsSayWhat() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("verbose,nope")).getMessage()
                .contains("unknown option 'nope'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("dump")).getMessage()
                .contains("'dump' needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("verbose=yes")).getMessage()
                .contains("'verbose' takes no value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("suspendables=/no/such/file"))
                .getMessage().contains("cannot read suspendables file"));
    }

    @Test
    void badSuspendablesLinesSayWhere() {
        ExtraSuspendables e = new ExtraSuspendables();
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> e.parse("a.b.C.m\njust_a_word\n", "file.txt"));
        assertTrue(x.getMessage().startsWith("file.txt:2:"), x.getMessage());
    }
}
