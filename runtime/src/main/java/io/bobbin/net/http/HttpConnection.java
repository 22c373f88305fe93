package io.bobbin.net.http;

import io.bobbin.Async;
import io.bobbin.CallbackHandle;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import io.bobbin.net.TcpConnection;
import io.bobbin.net.http.HttpCodec.BadRequest;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * One HTTP/1.1 connection being served: reads requests one after the other from the socket
 * (pipelined ones included: they are answered in order), hands each to the server's handler and
 * writes the answer. Answers to requests already read are gathered and written together, before the
 * connection next waits for bytes.
 *
 * <p>The idle timeout costs no timer per wait: one callback per connection, on its loop, looks at
 * the time of the last byte read or written, and sets itself again for the rest of the timeout, or,
 * when the connection has been silent (and not in the handler) for the whole timeout, cancels the
 * connection's task, whose wait on the socket then ends in {@link IdleTimeout}.
 *
 * <p>Threads: the connection's task, and its loop's thread for the idle callback (never at the same
 * time: one thread runs both).
 */
final class HttpConnection {
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATUS_200 = "HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int LINE_LIMIT = 1024;

    /** The connection went quiet for longer than the idle timeout. */
    private static final class IdleTimeout extends IOException {
        private static final long serialVersionUID = 1L;

        IdleTimeout() {
            super("idle for longer than the timeout", null);
        }
    }

    private final HttpServer server;
    private final SocketChannel ch;
    /**
     * Bytes read and not consumed yet, between position and limit (read mode). Small at first (most
     * requests are), it grows up to the head's limit plus a line when a request needs it.
     */
    private ByteBuffer in = ByteBuffer.allocate(2048).flip();
    /** Answer bytes not written yet, before position (write mode); grows when an answer needs it. */
    private ByteBuffer out = ByteBuffer.allocate(2048);
    /** Bytes of the current request have been read (a timeout now is answered 408, not a quiet close). */
    private boolean requestStarted;
    /**
     * An answer was just written and nothing more is buffered: the client is most likely reading it
     * now, so the next read waits for readiness first rather than trying a read that finds nothing.
     */
    private boolean justAnswered;

    // ---- the idle timer (the task and its loop's thread) ----
    private final long idleNanos;
    /** {@code System.nanoTime()} of the last byte read or written. */
    private long lastActive = System.nanoTime();
    /** The handler runs: its own waits are not the connection's silence. */
    private boolean inHandler;
    /** The connection is being closed: the idle timer stops. */
    private boolean ending;
    /** The idle timer fired: the task's cancellation is the idle timeout's. */
    private boolean expired;
    private Task<?> self;
    private EventLoop loop;
    private CallbackHandle idleCheck;

    HttpConnection(HttpServer server, TcpConnection conn) throws IOException {
        this.server = server;
        this.ch = conn.channel();
        this.idleNanos = server.idleTimeout().toNanos();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }

    /** Starts the idle timer for the calling task. */
    private void watchIdle() {
        self = Async.currentTask();
        loop = EventLoop.current();
        idleCheck = loop.callLater(Duration.ofNanos(idleNanos), this::checkIdle);
    }

    /** Loop thread: the idle timer's callback. */
    private void checkIdle() {
        if (ending) {
            return;
        }
        long quiet = System.nanoTime() - lastActive;
        if (inHandler || quiet < idleNanos) {
            idleCheck = loop.callLater(Duration.ofNanos(inHandler ? idleNanos : idleNanos - quiet), this::checkIdle);
        } else {
            expired = true;
            self.cancel(); // its wait on the socket throws; awaitReady turns that into IdleTimeout
        }
    }

    private void stopIdleTimer() {
        ending = true;
        if (idleCheck != null) {
            idleCheck.cancel();
        }
    }

    /** Serves requests until the client closes, asks to close, goes idle, or sends a bad request. */
    @Suspendable
    void serve() throws IOException {
        watchIdle();
        try {
            serveRequests();
        } finally {
            stopIdleTimer();
        }
    }

    @Suspendable
    private void serveRequests() throws IOException {
        while (true) {
            HttpRequest request;
            try {
                request = readRequest();
            } catch (BadRequest e) {
                answerAndClose(e.status, e.getMessage());
                return;
            } catch (IdleTimeout e) {
                if (requestStarted) {
                    answerAndClose(408, "the request did not arrive within " + seconds(server.idleTimeout()));
                }
                return; // idle between requests: closed quietly
            }
            if (request == null) {
                return; // the client closed between requests
            }
            HttpResponse response;
            inHandler = true;
            try {
                response = server.handler().handle(request);
                if (response == null) {
                    throw new NullPointerException("the handler returned no response");
                }
            } catch (CancellationException e) {
                throw e;
            } catch (Exception e) {
                server.handlerFailed(request, e);
                response = HttpResponse.text(500, "500 Internal Server Error\n");
            } finally {
                inHandler = false;
                lastActive = System.nanoTime();
            }
            boolean keepAlive = request.keepAlive();
            writeResponse(response, request.method().equals("HEAD"), keepAlive);
            server.answered();
            if (!keepAlive) {
                flush();
                return;
            }
            if (!in.hasRemaining()) {
                flush(); // nothing pipelined behind it: answer now
                justAnswered = true;
            }
        }
    }

    /** Answers {@code 503} to a connection over the limit, without reading its request, and closes it. */
    @Suspendable
    void reject() throws IOException {
        answerAndClose(503, "the server has " + server.maxConnections() + " connections open already; try again later");
    }

    // ---- reading ---------------------------------------------------------------------------------

    /** The next request, or {@code null} if the stream ended cleanly before one began. */
    @Suspendable
    private HttpRequest readRequest() throws IOException, BadRequest {
        requestStarted = false;
        int scanned = 0;
        int headEnd;
        while (true) {
            if (scanned == 0) {
                skipEmptyLines(); // a client may send a CRLF after a body
            }
            if (in.hasRemaining()) {
                requestStarted = true;
            }
            headEnd = headEnd(scanned);
            if (headEnd >= 0) {
                break;
            }
            scanned = Math.max(0, in.remaining() - 3);
            if (in.remaining() >= server.maxHeaderBytes()) {
                throw headTooLarge();
            }
            if (!fill()) {
                if (!in.hasRemaining()) {
                    return null;
                }
                throw new BadRequest(400, "the connection ended in the middle of the request's head");
            }
        }
        if (headEnd - in.position() > server.maxHeaderBytes()) {
            throw headTooLarge();
        }
        return parse(headEnd);
    }

    private void skipEmptyLines() {
        while (in.hasRemaining()) {
            byte b = in.get(in.position());
            if (b != '\r' && b != '\n') {
                return;
            }
            in.position(in.position() + 1);
        }
    }

    /** The index just past the empty line that ends the head, or -1; looks from {@code position + from}. */
    private int headEnd(int from) {
        byte[] a = in.array();
        int lim = in.limit();
        for (int i = in.position() + from; i < lim; i++) {
            if (a[i] == '\n') {
                int j = i + 1;
                if (j < lim && a[j] == '\r') {
                    j++;
                }
                if (j < lim && a[j] == '\n') {
                    return j + 1;
                }
            }
        }
        return -1;
    }

    private BadRequest headTooLarge() {
        int nl = indexOf(in.array(), in.position(), in.limit(), '\n');
        if (nl >= 0 && nl - in.position() < server.maxHeaderBytes()) {
            return new BadRequest(431, "the request's header fields are larger than " + server.maxHeaderBytes() + " bytes");
        }
        return new BadRequest(414, "the request line is longer than " + server.maxHeaderBytes() + " bytes");
    }

    private static int indexOf(byte[] a, int from, int to, int b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The end of the line that starts at {@code from} (before its CR LF or LF), the LF at {@code nl}. */
    private static int lineEnd(byte[] a, int from, int nl) {
        return nl > from && a[nl - 1] == '\r' ? nl - 1 : nl;
    }

    private static String latin1(byte[] a, int from, int to) {
        return new String(a, from, to - from, StandardCharsets.ISO_8859_1);
    }

    @Suspendable
    private HttpRequest parse(int headEnd) throws IOException, BadRequest {
        byte[] a = in.array();
        int p = in.position();
        int nl = indexOf(a, p, headEnd, '\n');
        int le = lineEnd(a, p, nl);
        int sp1 = indexOf(a, p, le, ' ');
        int sp2 = sp1 < 0 ? -1 : indexOf(a, sp1 + 1, le, ' ');
        if (sp1 <= p || sp2 <= sp1 + 1 || indexOf(a, sp2 + 1, le, ' ') >= 0) {
            throw new BadRequest(400, "malformed request line '" + printable(a, p, le)
                    + "': expected METHOD SP TARGET SP HTTP/1.1");
        }
        for (int i = p; i < sp1; i++) {
            if (!HttpCodec.isTchar(a[i])) {
                throw new BadRequest(400, "malformed method in the request line '" + printable(a, p, le) + "'");
            }
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            if (a[i] <= 0x20 || a[i] == 0x7f) {
                throw new BadRequest(400, "malformed request target in the request line '" + printable(a, p, le) + "'");
            }
        }
        String version = latin1(a, sp2 + 1, le);
        if (!isVersion(a, sp2 + 1, le)) {
            throw new BadRequest(400, "malformed HTTP version '" + printable(a, sp2 + 1, le) + "' in the request line");
        }
        if (version.charAt(5) != '1') {
            throw new BadRequest(505, "this server speaks HTTP/1.1 and HTTP/1.0, not " + version);
        }
        if (version.charAt(7) > '1') {
            version = "HTTP/1.1"; // a later minor version is answered as 1.1
        }
        String method = latin1(a, p, sp1);
        String target = latin1(a, sp1 + 1, sp2);

        List<Map.Entry<String, String>> headers = new ArrayList<>(8);
        int ls = nl + 1;
        while (true) {
            nl = indexOf(a, ls, headEnd, '\n');
            int e = lineEnd(a, ls, nl);
            if (e == ls) {
                break; // the empty line
            }
            if (a[ls] == ' ' || a[ls] == '\t') {
                throw new BadRequest(400, "obsolete line folding in the header fields (a line starts with white space)");
            }
            int colon = indexOf(a, ls, e, ':');
            if (colon <= ls) {
                throw new BadRequest(400, "malformed header line '" + printable(a, ls, e) + "': expected NAME: VALUE");
            }
            for (int i = ls; i < colon; i++) {
                if (!HttpCodec.isTchar(a[i])) {
                    throw new BadRequest(400, "malformed header field name '" + printable(a, ls, colon)
                            + "' (no white space is allowed before the colon)");
                }
            }
            int vs = colon + 1;
            int ve = e;
            while (vs < ve && (a[vs] == ' ' || a[vs] == '\t')) {
                vs++;
            }
            while (ve > vs && (a[ve - 1] == ' ' || a[ve - 1] == '\t')) {
                ve--;
            }
            for (int i = vs; i < ve; i++) {
                int b = a[i] & 0xff;
                if ((b < 0x20 && b != '\t') || b == 0x7f) {
                    throw new BadRequest(400, "a control character in the value of header field '" + latin1(a, ls, colon) + "'");
                }
            }
            headers.add(Map.entry(latin1(a, ls, colon), latin1(a, vs, ve)));
            ls = nl + 1;
        }
        in.position(headEnd);
        return withBody(method, target, version, headers);
    }

    /** {@code HTTP/d.d}. */
    private static boolean isVersion(byte[] a, int from, int to) {
        return to - from == 8 && a[from] == 'H' && a[from + 1] == 'T' && a[from + 2] == 'T' && a[from + 3] == 'P'
                && a[from + 4] == '/' && Character.isDigit(a[from + 5]) && a[from + 6] == '.' && Character.isDigit(a[from + 7]);
    }

    private static String printable(byte[] a, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to && s.length() < 80; i++) {
            int b = a[i] & 0xff;
            s.append(b >= 0x20 && b < 0x7f ? (char) b : '?');
        }
        return s.toString();
    }

    @Suspendable
    private HttpRequest withBody(String method, String target, String version, List<Map.Entry<String, String>> headers)
            throws IOException, BadRequest {
        boolean http11 = version.equals("HTTP/1.1");
        int hosts = 0;
        String contentLength = null;
        String transferEncoding = null;
        boolean close = !http11;
        boolean expectContinue = false;
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey();
            String value = h.getValue();
            if (name.equalsIgnoreCase("Host")) {
                hosts++;
            } else if (name.equalsIgnoreCase("Content-Length")) {
                if (contentLength != null && !contentLength.equals(value)) {
                    throw new BadRequest(400, "two different Content-Length header fields");
                }
                contentLength = value;
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
            } else if (name.equalsIgnoreCase("Connection")) {
                for (String token : value.split(",")) {
                    String t = token.trim();
                    if (t.equalsIgnoreCase("close")) {
                        close = true;
                    } else if (t.equalsIgnoreCase("keep-alive") && !http11) {
                        close = false;
                    }
                }
            } else if (name.equalsIgnoreCase("Expect")) {
                if (!value.equalsIgnoreCase("100-continue")) {
                    throw new BadRequest(417, "the only expectation this server meets is 100-continue, not '" + value + "'");
                }
                expectContinue = http11;
            }
        }
        if (http11 && hosts != 1) {
            throw new BadRequest(400, "an HTTP/1.1 request needs exactly one Host header field, not " + hosts);
        }
        byte[] body;
        if (transferEncoding != null) {
            if (contentLength != null) {
                throw new BadRequest(400, "both Transfer-Encoding and Content-Length: the body's length is ambiguous");
            }
            String[] codings = transferEncoding.split(",");
            if (!codings[codings.length - 1].trim().equalsIgnoreCase("chunked")) {
                throw new BadRequest(400, "Transfer-Encoding '" + transferEncoding + "' does not end with chunked:"
                        + " the body's length cannot be known");
            }
            if (codings.length > 1) {
                throw new BadRequest(501, "this server decodes no transfer coding but chunked, not '" + transferEncoding + "'");
            }
            if (expectContinue) {
                put(CONTINUE);
            }
            body = readChunked();
        } else if (contentLength != null) {
            long n = parseLength(contentLength);
            if (n > server.maxBodyBytes()) {
                throw new BadRequest(413, "the body of " + n + " bytes is larger than the limit of " + server.maxBodyBytes() + " bytes");
            }
            if (expectContinue && n > 0) {
                put(CONTINUE);
            }
            body = n == 0 ? EMPTY : readFixed((int) n);
        } else {
            body = EMPTY;
        }
        return new HttpRequest(method, target, version, headers, body, !close);
    }

    private long parseLength(String v) throws BadRequest {
        if (v.isEmpty() || v.length() > 18) {
            if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new BadRequest(413, "the body of " + v + " bytes is larger than the limit of " + server.maxBodyBytes() + " bytes");
            }
            throw new BadRequest(400, "malformed Content-Length '" + v + "'");
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw new BadRequest(400, "malformed Content-Length '" + v + "': expected a number of bytes");
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** A body of exactly {@code n} bytes: what is buffered, then straight from the socket into the array. */
    @Suspendable
    private byte[] readFixed(int n) throws IOException, BadRequest {
        byte[] body = new byte[n];
        int have = Math.min(in.remaining(), n);
        in.get(body, 0, have);
        ByteBuffer dst = ByteBuffer.wrap(body, have, n - have);
        while (dst.hasRemaining()) {
            flush();
            int r = ch.read(dst);
            if (r < 0) {
                throw new BadRequest(400, "the connection ended after " + dst.position() + " of the body's " + n + " bytes");
            }
            if (r == 0) {
                awaitReadable();
            } else {
                lastActive = System.nanoTime();
            }
        }
        return body;
    }

    /** A chunked body, de-chunked; chunk extensions and trailer fields are read and dropped. */
    @Suspendable
    private byte[] readChunked() throws IOException, BadRequest {
        byte[] body = new byte[256];
        int size = 0;
        while (true) {
            String line = readLine("chunk size");
            int semi = line.indexOf(';');
            String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
            if (hex.isEmpty() || hex.length() > 16 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new BadRequest(400, "malformed chunk size '" + line + "': expected hexadecimal digits");
            }
            long len = Long.parseUnsignedLong(hex, 16);
            if (len == 0) {
                int trailers = 0;
                for (String t; !(t = readLine("trailer field")).isEmpty(); ) {
                    trailers += t.length() + 2;
                    if (trailers > server.maxHeaderBytes()) {
                        throw new BadRequest(431, "the request's trailer fields are larger than " + server.maxHeaderBytes() + " bytes");
                    }
                }
                return Arrays.copyOf(body, size);
            }
            if (len < 0 || len > server.maxBodyBytes() - size) {
                throw new BadRequest(413, "the chunked body is larger than the limit of " + server.maxBodyBytes() + " bytes");
            }
            int n = (int) len;
            if (size + n > body.length) {
                body = Arrays.copyOf(body, Math.max(size + n, Math.min(server.maxBodyBytes(), body.length * 2)));
            }
            while (n > 0) {
                if (!in.hasRemaining() && !fill()) {
                    throw new BadRequest(400, "the connection ended in the middle of a chunk");
                }
                int k = Math.min(n, in.remaining());
                in.get(body, size, k);
                size += k;
                n -= k;
            }
            if (!readLine("end of chunk").isEmpty()) {
                throw new BadRequest(400, "a chunk is longer than its size says (no line end after its data)");
            }
        }
    }

    /** A line of at most {@link #LINE_LIMIT} bytes, without its CR LF. */
    @Suspendable
    private String readLine(String what) throws IOException, BadRequest {
        int scanned = 0;
        while (true) {
            byte[] a = in.array();
            int nl = indexOf(a, in.position() + scanned, in.limit(), '\n');
            if (nl >= 0) {
                String line = latin1(a, in.position(), lineEnd(a, in.position(), nl));
                in.position(nl + 1);
                return line;
            }
            scanned = in.remaining();
            if (scanned > LINE_LIMIT) {
                throw new BadRequest(400, "the " + what + " line is longer than " + LINE_LIMIT + " bytes");
            }
            if (!fill()) {
                throw new BadRequest(400, "the connection ended in the middle of the chunked body");
            }
        }
    }

    /**
     * Reads more bytes after those buffered; {@code false} at the end of the stream. Writes the
     * answers gathered so far first: the client may be waiting for them.
     */
    @Suspendable
    private boolean fill() throws IOException {
        boolean waitFirst = justAnswered;
        justAnswered = false;
        flush();
        if (in.position() > 0) {
            in.compact().flip();
        }
        int max = server.maxHeaderBytes() + LINE_LIMIT;
        if (in.limit() == in.capacity() && in.capacity() < max) {
            in = ByteBuffer.allocate(Math.min(max, in.capacity() * 2)).put(in).flip();
        }
        int pos = in.position();
        in.position(in.limit()).limit(in.capacity());
        try {
            if (waitFirst) {
                awaitReadable();
            }
            while (true) {
                int n = ch.read(in);
                if (n < 0) {
                    return false;
                }
                if (n > 0) {
                    lastActive = System.nanoTime();
                    return true;
                }
                awaitReadable();
            }
        } finally {
            in.limit(in.position()).position(pos);
        }
    }

    @Suspendable
    private void awaitReadable() throws IOException {
        awaitReady(false);
    }

    /** Waits for the socket; the idle timer ends the wait with {@link IdleTimeout} when the connection is silent too long. */
    @Suspendable
    private void awaitReady(boolean write) throws IOException {
        try {
            if (write) {
                Async.writable(ch);
            } else {
                Async.readable(ch);
            }
        } catch (CancellationException e) {
            if (expired) {
                throw new IdleTimeout();
            }
            throw e;
        }
    }

    // ---- writing ---------------------------------------------------------------------------------

    @Suspendable
    private void writeResponse(HttpResponse r, boolean head, boolean keepAlive) throws IOException {
        int status = r.status();
        if (status == 200) {
            put(STATUS_200);
        } else {
            putAscii("HTTP/1.1 " + status + " " + HttpCodec.reason(status) + "\r\n");
        }
        put(HttpCodec.dateLine());
        byte[] body = r.body();
        if (status >= 200 && status != 204 && status != 304) {
            put(CONTENT_LENGTH);
            putAscii(Integer.toString(body.length));
            putCrlf();
        }
        for (String[] h : r.headerList()) {
            putAscii(h[0]);
            putAscii(": ");
            putAscii(h[1]);
            putCrlf();
        }
        if (!keepAlive) {
            put(CLOSE);
        }
        putCrlf();
        if (!head && body.length > 0 && status != 204 && status != 304) {
            putBody(body);
        }
    }

    /** Answers an error (the request could not be read, or the connection is refused) and closes gently. */
    @Suspendable
    private void answerAndClose(int status, String message) throws IOException {
        stopIdleTimer(); // the lingering close has a bound of its own
        writeResponse(HttpResponse.text(status, status + " " + HttpCodec.reason(status) + ": " + message + "\n"), false, false);
        server.answered();
        flush();
        lingeringClose();
    }

    /**
     * Half-closes, then reads and drops what the client still sends for a short while, so that the
     * answer is not lost to a reset (closing with unread bytes makes the kernel reset the connection).
     */
    @Suspendable
    private void lingeringClose() {
        try {
            ch.shutdownOutput();
            Async.withTimeout(Duration.ofSeconds(1), () -> {
                ByteBuffer sink = ByteBuffer.allocate(4096);
                for (int total = 0; total < (1 << 20); ) {
                    sink.clear();
                    int n = ch.read(sink);
                    if (n < 0) {
                        break;
                    }
                    if (n == 0) {
                        Async.readable(ch);
                    }
                    total += n;
                }
                return null;
            });
        } catch (CancellationException e) {
            throw e;
        } catch (Exception e) {
            // the client has gone, or took too long: close anyway
        }
    }

    private void ensure(int n) throws IOException {
        if (out.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + n));
            out.flip();
            bigger.put(out);
            out = bigger;
        }
    }

    private void put(byte[] b) throws IOException {
        ensure(b.length);
        out.put(b);
    }

    private void putCrlf() throws IOException {
        ensure(2);
        out.put((byte) '\r').put((byte) '\n');
    }

    private void putAscii(String s) throws IOException {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.put(c < 0x100 ? (byte) c : (byte) '?');
        }
    }

    /** A body: gathered with the head when it fits, else the head is written and then the body as it is. */
    @Suspendable
    private void putBody(byte[] body) throws IOException {
        if (body.length <= out.remaining()) {
            out.put(body);
            return;
        }
        flush();
        ByteBuffer b = ByteBuffer.wrap(body);
        while (b.hasRemaining()) {
            if (ch.write(b) == 0) {
                awaitReady(true);
            } else {
                lastActive = System.nanoTime();
            }
        }
    }

    /** Writes the answers gathered so far. */
    @Suspendable
    private void flush() throws IOException {
        if (out.position() == 0) {
            return;
        }
        out.flip();
        while (out.hasRemaining()) {
            if (ch.write(out) == 0) {
                awaitReady(true);
            } else {
                lastActive = System.nanoTime();
            }
        }
        out.clear();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
