package io.bobbin.net.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.EventLoopGroup;
import io.bobbin.Task;
import io.bobbin.net.TcpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP/1.1 server against a plain socket client: keep-alive, pipelining, bodies, limits and errors. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpServerTest {
    private EventLoopGroup group;
    private TcpServer tcp;
    private Task<Void> serving;
    private HttpServer http;

    /** Routes: / hello, /echo the body, /loop the loop's name, /sleep, /fail throws. */
    static HttpResponse route(HttpRequest r) throws Exception {
        switch (r.path()) {
            case "/":
                return HttpResponse.text(200, "hello\n");
            case "/echo":
                return HttpResponse.of(200, "application/octet-stream", r.body()).header("X-Method", r.method());
            case "/loop":
                return HttpResponse.text(200, EventLoop.current().name());
            case "/sleep":
                Async.sleep(Duration.ofMillis(Long.parseLong(r.queryParameter("ms"))));
                return HttpResponse.text(200, "slept\n");
            case "/fail":
                throw new IllegalStateException("the handler broke");
            default:
                return HttpResponse.text(404, "no " + r.path() + "\n");
        }
    }

    void start(Consumer<HttpServer> settings) throws Exception {
        group = EventLoopGroup.start(2);
        http = new HttpServer(HttpServerTest::route);
        settings.accept(http);
        tcp = TcpServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        serving = group.spawn(() -> {
            http.serve(tcp, group);
            return null;
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (tcp != null) {
            tcp.close();
            serving.cancel(); // a close from another thread is noticed within a second: do not wait for it
            try {
                serving.join();
            } catch (java.util.concurrent.CancellationException expected) {
                // stopped
            }
        }
        if (group != null) {
            group.close();
        }
    }

    /** A blocking client on a plain socket. */
    final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Client() throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), tcp.localAddress().getPort());
            socket.setSoTimeout(20_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        Client send(String raw) throws IOException {
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
                }
                b.write(c);
            }
            String s = b.toString(StandardCharsets.ISO_8859_1);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        Response response() throws IOException {
            String status = line();
            if (status == null) {
                return null;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h; !(h = line()).isEmpty(); ) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            int n = headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length")) : 0;
            byte[] body = in.readNBytes(n);
            assertEquals(n, body.length, "the whole body");
            return new Response(status, headers, body);
        }

        /** Reads until the server closes; true if it did (no more bytes). */
        boolean closedByServer() throws IOException {
            return in.read() < 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    record Response(String status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        int code() {
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        start(s -> { });
        try (Client c = new Client()) {
            for (int i = 0; i < 5; i++) {
                Response r = c.send(get("/")).response();
                assertEquals("HTTP/1.1 200 OK", r.status());
                assertEquals("hello\n", r.text());
                assertEquals("text/plain; charset=utf-8", r.headers().get("content-type"));
                assertTrue(r.headers().get("date").matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"),
                        r.headers().get("date"));
                assertNull(r.headers().get("connection"));
            }
        }
        assertEquals(5, http.requests());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        start(s -> { });
        try (Client c = new Client()) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 20; i++) { // slow and fast ones: the answers still come in request order
                all.append(i % 3 == 0 ? get("/sleep?ms=" + (20 - i)) : "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: "
                        + ("req " + i).length() + "\r\n\r\nreq " + i);
            }
            c.send(all.toString());
            for (int i = 0; i < 20; i++) {
                Response r = c.response();
                assertEquals(i % 3 == 0 ? "slept\n" : "req " + i, r.text(), "answer " + i);
            }
        }
    }

    @Test
    void aContentLengthBodyIsReadWhole() throws Exception {
        start(s -> { });
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        try (Client c = new Client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + big.length + "\r\n\r\n");
            c.out.write(big);
            Response r = c.response();
            assertEquals(200, r.code());
            assertArrayEquals(big, r.body());
            assertEquals("POST", r.headers().get("x-method"));
        }
    }

    @Test
    void aChunkedBodyIsDeChunkedWithItsExtensionsAndTrailersDropped() throws Exception {
        start(s -> { });
        try (Client c = new Client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n" + "1;name=value\r\n \r\n" + "A\r\n0123456789\r\n" + "0\r\nX-Trailer: yes\r\n\r\n");
            assertEquals("hello 0123456789", c.response().text());
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"); // empty, same connection
            assertEquals("", c.response().text());
        }
    }

    @Test
    void expect100ContinueIsAnsweredBeforeTheBodyIsSent() throws Exception {
        start(s -> { });
        try (Client c = new Client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", c.line());
            assertEquals("", c.line());
            c.send("body");
            assertEquals("body", c.response().text());
        }
    }

    @Test
    void headGetsTheLengthButNoBody() throws Exception {
        start(s -> { });
        try (Client c = new Client()) {
            Response r = c.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\n" + get("/")).response(); // the client reads 6 body bytes
            assertEquals("6", r.headers().get("content-length"));
            assertEquals(6, r.body().length); // ...so the next 6 bytes read are the next answer's start
            assertEquals("HTTP/1", new String(r.body(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void http10ClosesUnlessAskedToKeepAlive() throws Exception {
        start(s -> { });
        try (Client c = new Client()) {
            Response r = c.send("GET / HTTP/1.0\r\n\r\n").response();
            assertEquals("close", r.headers().get("connection"));
            assertTrue(c.closedByServer());
        }
        try (Client c = new Client()) {
            assertEquals("hello\n", c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").response().text());
            assertEquals("hello\n", c.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").response().text());
            assertTrue(c.closedByServer());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET /\\r\\nHost: t\\r\\n\\r\\n|400 Bad Request: malformed request line 'GET /': expected METHOD SP TARGET SP HTTP/1.1",
        "GET  / HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n|400 Bad Request: malformed request line",
        "G(T / HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n|400 Bad Request: malformed method",
        "GET / HTTX/1.1\\r\\nHost: t\\r\\n\\r\\n|400 Bad Request: malformed HTTP version 'HTTX/1.1'",
        "GET / HTTP/2.0\\r\\nHost: t\\r\\n\\r\\n|505 HTTP Version Not Supported: this server speaks HTTP/1.1 and HTTP/1.0, not HTTP/2.0",
        "GET / HTTP/1.1\\r\\nHost t\\r\\n\\r\\n|400 Bad Request: malformed header line 'Host t': expected NAME: VALUE",
        "GET / HTTP/1.1\\r\\nHost : t\\r\\n\\r\\n|400 Bad Request: malformed header field name 'Host ' (no white space is allowed before the colon)",
        "GET / HTTP/1.1\\r\\nHost: t\\r\\n folded\\r\\n\\r\\n|400 Bad Request: obsolete line folding",
        "GET / HTTP/1.1\\r\\n\\r\\n|400 Bad Request: an HTTP/1.1 request needs exactly one Host header field, not 0",
        "POST /echo HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: 12x\\r\\n\\r\\n|400 Bad Request: malformed Content-Length '12x'",
        "POST /echo HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\n|400 Bad Request: two different Content-Length header fields",
        "POST /echo HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n|400 Bad Request: both Transfer-Encoding and Content-Length",
        "POST /echo HTTP/1.1\\r\\nHost: t\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n|400 Bad Request: malformed chunk size 'zz': expected hexadecimal digits",
        "POST /echo HTTP/1.1\\r\\nHost: t\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n2\\r\\nabc\\r\\n|400 Bad Request: a chunk is longer than its size says",
        "POST /echo HTTP/1.1\\r\\nHost: t\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n|400 Bad Request: Transfer-Encoding 'gzip' does not end with chunked",
        "POST /echo HTTP/1.1\\r\\nHost: t\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n|501 Not Implemented: this server decodes no transfer coding but chunked",
        "POST /echo HTTP/1.1\\r\\nHost: t\\r\\nExpect: teapot\\r\\n\\r\\n|417 Expectation Failed: the only expectation this server meets is 100-continue",
        "POST /echo HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: 2000\\r\\n\\r\\n|413 Content Too Large: the body of 2000 bytes is larger than the limit of 1000 bytes",
        "POST /echo HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: 99999999999999999999\\r\\n\\r\\n|413 Content Too Large: the body of 99999999999999999999 bytes is larger",
        "POST /echo HTTP/1.1\\r\\nHost: t\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3e9\\r\\n|413 Content Too Large: the chunked body is larger than the limit of 1000 bytes",
    })
    void aBadRequestGetsAClearErrorAndTheConnectionIsClosed(String raw, String expected) throws Exception {
        start(s -> s.maxBodyBytes(1000));
        try (Client c = new Client()) {
            Response r = c.send(raw.replace("\\r\\n", "\r\n")).response();
            assertTrue(r.text().startsWith(expected), r.text());
            assertEquals(expected.substring(0, 3), r.status().split(" ")[1]);
            assertEquals("close", r.headers().get("connection"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void oversizedHeadersGet431AndAnOversizedRequestLine414() throws Exception {
        start(s -> s.maxHeaderBytes(1024));
        try (Client c = new Client()) {
            Response r = c.send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n").response();
            assertEquals("HTTP/1.1 431 Request Header Fields Too Large", r.status());
            assertEquals("431 Request Header Fields Too Large: the request's header fields are larger than 1024 bytes\n", r.text());
            assertTrue(c.closedByServer());
        }
        try (Client c = new Client()) {
            Response r = c.send("GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: t\r\n\r\n").response();
            assertEquals("HTTP/1.1 414 URI Too Long", r.status());
            assertEquals("414 URI Too Long: the request line is longer than 1024 bytes\n", r.text());
        }
        try (Client c = new Client()) { // just under the limit is fine
            assertEquals(200, c.send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(900) + "\r\n\r\n").response().code());
        }
    }

    @Test
    void aLargeHeadWithinTheLimitIsReadWholeAndTheConnectionGoesOn() throws Exception {
        start(s -> { }); // the default limit, 8192 bytes: more than the connection's first buffer holds
        try (Client c = new Client()) {
            for (int size : new int[] {100, 3000, 7000, 50}) {
                Response r = c.send("POST /echo HTTP/1.1\r\nHost: t\r\nX-Pad: " + "p".repeat(size)
                        + "\r\nContent-Length: 5\r\n\r\nabcde").response();
                assertEquals("abcde", r.text(), "a head of about " + size + " bytes");
            }
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheTimeoutAndAStalledRequestGets408() throws Exception {
        start(s -> s.idleTimeout(Duration.ofMillis(300)));
        try (Client c = new Client()) {
            assertEquals(200, c.send(get("/")).response().code());
            long t0 = System.nanoTime();
            assertTrue(c.closedByServer(), "closed quietly, no answer");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 200 && ms < 10_000, "closed after about the idle timeout: " + ms + " ms");
        }
        try (Client c = new Client()) { // a handler slower than the idle timeout is not silence
            assertEquals("slept\n", c.send(get("/sleep?ms=900")).response().text());
            assertEquals("hello\n", c.send(get("/")).response().text());
        }
        try (Client c = new Client()) {
            Response r = c.send("GET / HTTP/1.1\r\nHost:").response(); // and then nothing
            assertEquals("HTTP/1.1 408 Request Timeout", r.status());
            assertEquals("408 Request Timeout: the request did not arrive within 300 ms\n", r.text());
        }
    }

    @Test
    void connectionsPastTheLimitAreAnswered503() throws Exception {
        start(s -> s.maxConnections(2));
        try (Client a = new Client(); Client b = new Client()) {
            assertEquals(200, a.send(get("/")).response().code());
            assertEquals(200, b.send(get("/")).response().code());
            try (Client c = new Client()) {
                Response r = c.send(get("/")).response();
                assertEquals("HTTP/1.1 503 Service Unavailable", r.status());
                assertEquals("503 Service Unavailable: the server has 2 connections open already; try again later\n", r.text());
                assertTrue(c.closedByServer());
            }
            assertEquals(200, a.send(get("/")).response().code(), "the open ones go on");
        }
        assertEquals(1, http.rejectedConnections());
    }

    @Test
    void aFailingHandlerIsAnswered500AndTheConnectionGoesOn() throws Exception {
        start(s -> { });
        try (Client c = new Client()) {
            Response r = c.send(get("/fail")).response();
            assertEquals("HTTP/1.1 500 Internal Server Error", r.status());
            assertEquals(404, c.send(get("/nothing")).response().code());
            assertEquals("hello\n", c.send(get("/")).response().text());
        }
    }

    @Test
    void connectionsAreServedOnEveryLoopOfTheGroup() throws Exception {
        start(s -> { });
        java.util.Set<String> loops = new java.util.TreeSet<>();
        java.util.List<Client> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Client c = new Client();
                clients.add(c);
                loops.add(c.send(get("/loop")).response().text());
            }
        } finally {
            for (Client c : clients) {
                c.close();
            }
        }
        assertEquals(2, loops.size(), "both loops serve: " + loops);
    }

    @Test
    void badSettingsAreRefused() {
        HttpServer s = new HttpServer(r -> null);
        assertThrows(IllegalArgumentException.class, () -> s.maxConnections(0));
        assertThrows(IllegalArgumentException.class, () -> s.maxHeaderBytes(10));
        assertThrows(IllegalArgumentException.class, () -> s.idleTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> s.maxBodyBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.text(200, "x").header("Content-Length", "3"));
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.text(200, "x").header("X", "a\r\nb: c"));
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.text(200, "x").header("X Y", "a"));
    }
}
