package io.bobbin.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.demo.DemoProcess.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar under {@code -javaagent:agent/target/bobbin-agent.jar} as well: the agent is then started
 * twice (the command line's, then the jar's Launcher-Agent-Class), which must be harmless.
 */
class JavaagentIT {
    static List<String> agent() {
        return List.of("-javaagent:" + DemoProcess.agentJar());
    }

    /** With the agent's {@code verify} option: a class that fails ASM's analyzer would be warned about on stderr. */
    static List<String> verifyingAgent() {
        return List.of("-javaagent:" + DemoProcess.agentJar() + "=verify");
    }

    @Test
    void simplestPrintsTheSameUnderJavaagent() throws Exception {
        Result plain = DemoProcess.run(List.of(), "", "simplest");
        Result agent = DemoProcess.run(agent(), "", "simplest");
        assertEquals(0, agent.exit(), agent.describe());
        assertEquals(List.of(), agent.err(), agent.describe());
        assertEquals(plain.out(), agent.out());
    }

    @Test
    void theLoopDemosRunUnderJavaagent(@TempDir Path dir) throws Exception {
        Result select = DemoProcess.run(verifyingAgent(), "", "select", "--messages", "2", "--gap", "20");
        assertEquals(0, select.exit(), select.describe());
        assertEquals(List.of(), select.err(), select.describe());
        assertTrue(select.outText().contains("both channels read to their end"), select.describe());

        Result stdin = DemoProcess.run(verifyingAgent(), "x\ny\n", "stdin", "--out", dir.resolve("out.txt").toString(), "--lines", "1", "--interval", "10");
        assertEquals(0, stdin.exit(), stdin.describe());
        assertEquals(List.of(), stdin.err(), stdin.describe());
        assertTrue(stdin.outText().matches("(?s).*\\b2 stdin lines and \\d+ pipe lines appended.*"), stdin.describe());
    }
}
