package io.bobbin.net.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An answer: a status, header fields and a body. The server adds {@code Date},
 * {@code Content-Length} and, when it closes the connection, {@code Connection: close}. Built by the
 * handler of one request and not shared: not thread-safe.
 */
public final class HttpResponse {
    private final int status;
    private final byte[] body;
    private final List<String[]> headers = new ArrayList<>(2);

    private HttpResponse(int status, byte[] body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("an HTTP status has three digits, not " + status);
        }
        this.status = status;
        this.body = Objects.requireNonNull(body, "body");
    }

    /** A response with {@code body} of type {@code contentType} (none if {@code null}). */
    public static HttpResponse of(int status, String contentType, byte[] body) {
        HttpResponse r = new HttpResponse(status, body);
        if (contentType != null) {
            if (contentType.indexOf('\r') >= 0 || contentType.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a header field value cannot hold a line break: Content-Type");
            }
            r.headers.add(new String[] {"Content-Type", contentType});
        }
        return r;
    }

    /** A {@code text/plain; charset=utf-8} response. */
    public static HttpResponse text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds a header field and returns this response.
     *
     * @throws IllegalArgumentException if the name is not a token, or either holds a line break, or
     *     the name is one the server sets itself ({@code Content-Length}, {@code Transfer-Encoding},
     *     {@code Connection}, {@code Date})
     */
    public HttpResponse header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || !HttpCodec.isToken(name)) {
            throw new IllegalArgumentException("not a header field name: '" + name + "'");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a header field value cannot hold a line break: " + name);
        }
        for (String own : new String[] {"Content-Length", "Transfer-Encoding", "Connection", "Date"}) {
            if (own.equalsIgnoreCase(name)) {
                throw new IllegalArgumentException(own + " is set by the server");
            }
        }
        headers.add(new String[] {name, value});
        return this;
    }

    public int status() {
        return status;
    }

    public byte[] body() {
        return body;
    }

    /** The first value of header field {@code name} (any case), or {@code null}. */
    public String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    List<String[]> headerList() {
        return headers;
    }
}
