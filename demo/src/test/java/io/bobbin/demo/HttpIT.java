package io.bobbin.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bobbin.demo.DemoProcess.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step 9: the {@code http} demo from the packaged jar, driven by real clients: {@code curl}
 * (keep-alive, a chunked upload, bad and oversized requests, the routes) and a short {@code wrk} run
 * that must see no socket error and no non-2xx answer. Each test skips itself, saying so, where its
 * client is not installed ({@code .ci/run} installs both).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpIT {
    static final Pattern LISTENING = Pattern.compile("^listening on 127\\.0\\.0\\.1:(\\d+) with (\\d+) loops? ");

    @TempDir
    Path tmp;

    static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static void need(String tool) {
        assumeTrue(installed(tool), tool + " is not installed (Debian package '" + tool + "'; .ci/run installs it): test skipped");
    }

    /** A running {@code http} demo and its port. */
    record Server(DemoProcess process, int port) implements AutoCloseable {
        static Server start(String... options) throws Exception {
            List<String> args = new ArrayList<>(List.of("http", "--port", "0", "--seconds", "90"));
            args.addAll(List.of(options));
            DemoProcess p = DemoProcess.start(args.toArray(new String[0]));
            Matcher m = LISTENING.matcher(p.awaitLine(l -> LISTENING.matcher(l).find(), Duration.ofSeconds(30)));
            assertTrue(m.find());
            return new Server(p, Integer.parseInt(m.group(1)));
        }

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        /** POST /shutdown, then the process's whole run. */
        Result shutdown() throws Exception {
            Run bye = run("curl", "-s", "-S", "-X", "POST", url("/shutdown"));
            assertEquals("bye\n", bye.out(), bye.describe());
            return process.await(Duration.ofSeconds(30));
        }

        @Override
        public void close() {
            process.close();
        }
    }

    /** A client's run: exit code, stdout, stderr. */
    record Run(int exit, String out, String err) {
        String describe() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Run run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException e) {
                // gone
            }
        });
        errReader.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running: " + String.join(" ", command));
        errReader.join(5_000);
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void curlGetsTheRoutesOverOneKeptAliveConnection() throws Exception {
        need("curl");
        try (Server s = Server.start("--loops", "2")) {
            Run r = run("curl", "-s", "-S", "-v", s.url("/hello"), s.url("/hello"), s.url("/sleep?ms=30"), s.url("/blocking?ms=30"));
            assertEquals(0, r.exit(), r.describe());
            String[] lines = r.out().split("\n");
            assertEquals("Hello, world!", lines[0], r.describe());
            assertEquals("Hello, world!", lines[1], r.describe());
            assertTrue(lines[2].matches("slept 30 ms on bobbin-group-\\d+-loop-[12]"), r.describe());
            assertTrue(lines[3].matches("blocked 30 ms on bobbin-group-\\d+-loop-[12]-blocking-\\d+, answered on bobbin-group-\\d+-loop-[12]"),
                    r.describe());
            // One connection for the four requests: curl says it reused it three times.
            assertEquals(3, Pattern.compile("(?i)re-?using existing connection").matcher(r.err()).results().count(), r.describe());
            assertEquals(1, Pattern.compile("Connected to 127\\.0\\.0\\.1").matcher(r.err()).results().count(), r.describe());

            Run notFound = run("curl", "-s", "-w", "%{http_code}", s.url("/nope"));
            assertTrue(notFound.out().startsWith("404 Not Found: no route /nope;") && notFound.out().endsWith("404"), notFound.describe());
            Run wrongMethod = run("curl", "-s", "-i", s.url("/echo"));
            assertTrue(wrongMethod.out().startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), wrongMethod.describe());
            assertTrue(wrongMethod.out().contains("\r\nAllow: POST\r\n"), wrongMethod.describe());
            Result end = s.shutdown();
            assertEquals(0, end.exit(), end.describe());
            assertTrue(end.outText().contains("stopping: POST /shutdown"), end.describe());
            assertTrue(Pattern.compile("served \\d+ connections and answered \\d+ requests").matcher(end.outText()).find(), end.describe());
        }
    }

    @Test
    void curlUploadsAChunkedBodyAndGetsItBack() throws Exception {
        need("curl");
        byte[] data = new byte[200_000];
        new Random(12).nextBytes(data);
        Path in = Files.write(tmp.resolve("upload.bin"), data);
        Path out = tmp.resolve("echo.bin");
        try (Server s = Server.start()) {
            Run r = run("curl", "-s", "-S", "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: application/x-test",
                    "--data-binary", "@" + in, "-o", out.toString(), "-w", "%{http_code} %{content_type}", s.url("/echo"));
            assertEquals("200 application/x-test", r.out(), r.describe());
            assertArrayEquals(data, Files.readAllBytes(out));
            Run plain = run("curl", "-s", "-S", "--data-binary", "plain body", s.url("/echo"));
            assertEquals("plain body", plain.out(), plain.describe());
            assertEquals(0, s.shutdown().exit());
        }
    }

    @Test
    void badAndOversizedRequestsGetClearAnswers() throws Exception {
        need("curl");
        Path big = Files.write(tmp.resolve("big.bin"), new byte[70_000]);
        try (Server s = Server.start("--max-body", "65536", "--max-header", "4096")) {
            Run badHeader = run("curl", "-s", "-w", " %{http_code}", "-H", "Bad Header: x", s.url("/hello"));
            assertEquals("400 Bad Request: malformed header field name 'Bad Header' (no white space is allowed before the colon)\n 400",
                    badHeader.out(), badHeader.describe());
            Run bigHeader = run("curl", "-s", "-w", " %{http_code}", "-H", "X-Big: " + "a".repeat(5000), s.url("/hello"));
            assertEquals("431 Request Header Fields Too Large: the request's header fields are larger than 4096 bytes\n 431",
                    bigHeader.out(), bigHeader.describe());
            Run bigBody = run("curl", "-s", "-w", " %{http_code}", "--data-binary", "@" + big, s.url("/echo"));
            assertEquals("413 Content Too Large: the body of 70000 bytes is larger than the limit of 65536 bytes\n 413",
                    bigBody.out(), bigBody.describe());
            Run bigChunked = run("curl", "-s", "-w", " %{http_code}", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + big,
                    s.url("/echo"));
            assertEquals("413 Content Too Large: the chunked body is larger than the limit of 65536 bytes\n 413",
                    bigChunked.out(), bigChunked.describe());
            Run badParameter = run("curl", "-s", "-w", " %{http_code}", s.url("/sleep?ms=forever"));
            assertEquals("400 Bad Request: ms must be a number of milliseconds between 0 and 10000, not 'forever'\n 400",
                    badParameter.out(), badParameter.describe());
            assertEquals(0, s.shutdown().exit());
        }
    }

    @Test
    void idleConnectionsAreClosedAndConnectionsPastTheLimitGet503() throws Exception {
        need("curl");
        try (Server s = Server.start("--idle-seconds", "1", "--max-connections", "1");
             Socket idle = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
            idle.setSoTimeout(20_000);
            idle.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = idle.getInputStream();
            String first = readAnswer(in, "Hello, world!\n"); // it is being served: the one connection allowed
            assertTrue(first.startsWith("HTTP/1.1 200 OK\r\n"), first);
            // Busy (not idle) with a slow request meanwhile, it holds the limit of one: curl is turned away.
            idle.getOutputStream().write("GET /sleep?ms=2500 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Run turnedAway = run("curl", "-s", "-w", " %{http_code}", s.url("/hello"));
            assertEquals("503 Service Unavailable: the server has 1 connections open already; try again later\n 503",
                    turnedAway.out(), turnedAway.describe());
            String slept = readAnswer(in, "\r\n\r\n");
            assertTrue(slept.startsWith("HTTP/1.1 200 OK\r\n"), slept);
            String body = readAnswer(in, "\n");
            assertTrue(body.startsWith("slept 2500 ms on "), body);
            long t0 = System.nanoTime();
            assertEquals(-1, in.read(), "the idle connection is closed, with no answer");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 15_000, "closed after about a second of silence, not " + ms + " ms");
            Result end = s.shutdown(); // the one connection is free again
            assertTrue(end.outText().contains("(1 connections turned away with 503)"), end.describe());
        }
    }

    /** Reads up to and with {@code end}, or to the end of the stream. */
    private static String readAnswer(InputStream in, String end) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.US_ASCII).endsWith(end)) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void aShortWrkRunSeesNoErrorsAndEveryLoopServes() throws Exception {
        need("wrk");
        need("curl");
        try (Server s = Server.start("--loops", "2")) {
            Run wrk = run("wrk", "-t", "2", "-c", "50", "-d", "3s", "--latency", s.url("/hello"));
            assertEquals(0, wrk.exit(), wrk.describe());
            Matcher done = Pattern.compile("(\\d+) requests in [\\d.]+s").matcher(wrk.out());
            assertTrue(done.find(), wrk.describe());
            assertTrue(Long.parseLong(done.group(1)) > 100, wrk.describe());
            assertTrue(!wrk.out().contains("Socket errors"), "no socket errors\n" + wrk.describe());
            assertTrue(!wrk.out().contains("Non-2xx or 3xx responses"), "only 2xx answers\n" + wrk.describe());
            assertTrue(Pattern.compile("99%\\s+[\\d.]+(us|ms|s)").matcher(wrk.out()).find(), wrk.describe());
            Result end = s.shutdown();
            assertEquals(0, end.exit(), end.describe());
            Matcher spread = Pattern.compile("connections per loop: (\\d+) (\\d+)").matcher(end.outText());
            assertTrue(spread.find(), end.describe());
            assertTrue(Integer.parseInt(spread.group(1)) > 0 && Integer.parseInt(spread.group(2)) > 0,
                    "both loops served connections\n" + end.describe());
        }
    }

    @Test
    void oneLoopWithLoops1() throws Exception {
        need("curl");
        try (Server s = Server.start("--loops", "1")) {
            for (int i = 0; i < 3; i++) {
                Run r = run("curl", "-s", "-S", s.url("/loop"));
                assertTrue(r.out().matches("bobbin-group-\\d+-loop-1\n"), r.describe());
            }
            Result end = s.shutdown();
            assertTrue(end.out().get(0).contains(" with 1 loop for 90 s"), end.describe());
            assertTrue(Pattern.compile("connections per loop: \\d+$").matcher(end.outText()).find(), end.describe());
        }
    }

    @Test
    void theDemoSaysSoWhenItsPortIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result r = DemoProcess.run("http", "--port", "" + taken.getLocalPort(), "--seconds", "1");
            assertEquals(1, r.exit(), r.describe());
            assertTrue(r.errText().startsWith("http: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "), r.describe());
        }
    }
}
