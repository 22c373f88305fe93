package io.bobbin.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.demo.DemoProcess.Result;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Step 8: the echo server on a free port, the load generator against it, and their failures. */
class ServerIT {
    static final Pattern LISTENING = Pattern.compile("^listening on 127\\.0\\.0\\.1:(\\d+) ");

    /** Starts {@code echo-server --port 0} and returns it with the port it printed. */
    static DemoProcess startServer(int[] port, String seconds) throws Exception {
        DemoProcess server = DemoProcess.start("echo-server", "--port", "0", "--seconds", seconds);
        Matcher m = LISTENING.matcher(server.awaitLine(l -> LISTENING.matcher(l).find(), Duration.ofSeconds(30)));
        assertTrue(m.find());
        port[0] = Integer.parseInt(m.group(1));
        assertTrue(port[0] > 0);
        return server;
    }

    @Test
    void loadAgainstTheEchoServerGetsEveryRequestAnswered() throws Exception {
        int[] port = new int[1];
        try (DemoProcess server = startServer(port, "60")) {
            Result load = DemoProcess.run("load", "--port", "" + port[0], "--connections", "20", "--requests", "150", "--shutdown");
            assertEquals(0, load.exit(), load.describe());
            assertEquals(List.of(), load.err(), load.describe());
            String out = load.outText();
            assertTrue(out.contains("load: 20 connections x 150 requests to 127.0.0.1:" + port[0]), load.describe());
            assertTrue(load.out().stream().anyMatch(l -> l.matches("progress: \\d+/3000 answered \\(\\d+%\\), \\d+ requests/s")),
                    "a progress line while it runs\n" + load.describe());
            assertTrue(Pattern.compile("3000 of 3000 requests answered in [\\d.]+ s: \\d+ requests/s").matcher(out).find(), load.describe());
            assertTrue(Pattern.compile("latency ms: p50 [\\d.]+  p90 [\\d.]+  p99 [\\d.]+  p99\\.9 [\\d.]+  max [\\d.]+").matcher(out).find(), load.describe());
            assertTrue(out.contains("asked the server to shut down: bye"), load.describe());
            assertTrue(!out.contains("problem:") && !out.contains("FAILED"), load.describe());

            Result s = server.await(Duration.ofSeconds(30)); // /shutdown stopped it, well before its 60 s
            assertEquals(0, s.exit(), s.describe());
            assertEquals(List.of(), s.err(), s.describe());
            assertTrue(s.outText().contains("  connection 1 from /127.0.0.1:"), s.describe());
            assertTrue(s.outText().contains("  connection 1 closed after 150 lines"), s.describe());
            assertTrue(s.outText().contains("stopping: connection 21 asked for it"), s.describe());
            assertTrue(s.outText().contains("served 21 connections and echoed 3000 lines"), s.describe());
        }
    }

    @Test
    void theServerStopsByItselfAfterItsSeconds() throws Exception {
        int[] port = new int[1];
        try (DemoProcess server = startServer(port, "1")) {
            Result s = server.await(Duration.ofSeconds(30));
            assertEquals(0, s.exit(), s.describe());
            assertTrue(s.outText().contains("stopping: 1 s are up"), s.describe());
            assertTrue(s.outText().contains("served 0 connections and echoed 0 lines"), s.describe());
        }
    }

    @Test
    void loadExitsNonZeroWhenRequestsGoUnanswered() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free now, and nobody listens once closed
        }
        Result r = DemoProcess.run("load", "--port", "" + port, "--connections", "3", "--requests", "5", "--seconds", "10");
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.out().stream().anyMatch(l -> l.matches("problem: connection \\d: java\\.net\\.ConnectException.*")), r.describe());
        assertTrue(r.outText().contains("0 of 15 requests answered"), r.describe());
        assertTrue(r.outText().contains("FAILED: 15 requests went unanswered"), r.describe());
    }

    @Test
    void loadGivesUpAfterItsSecondsWhenNobodyAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) { // connects, never answers
            long start = System.nanoTime();
            Result r = DemoProcess.run("load", "--port", "" + silent.getLocalPort(), "--connections", "4", "--requests", "10", "--seconds", "1");
            assertEquals(1, r.exit(), r.describe());
            assertTrue(r.outText().contains("problem: gave up after 1 s"), r.describe());
            assertTrue(r.outText().contains("0 of 40 requests answered"), r.describe());
            assertTrue(r.outText().contains("FAILED: 40 requests went unanswered"), r.describe());
            assertTrue(System.nanoTime() - start < 20_000_000_000L, "bounded in time");
        }
    }

    @Test
    void theServerSaysSoWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result r = DemoProcess.run("echo-server", "--port", "" + taken.getLocalPort(), "--seconds", "1");
            assertEquals(1, r.exit(), r.describe());
            assertTrue(r.errText().startsWith("echo-server: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "), r.describe());
        }
    }
}
