package io.bobbin.net.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One HTTP/1.1 request, read whole: its request line, its header fields in the order they came
 * (names as sent; look them up without regard to case), and its body, de-chunked (empty when
 * there was none). Immutable.
 */
public final class HttpRequest {
    private final String method;
    private final String target;
    private final String version;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final boolean keepAlive;

    HttpRequest(String method, String target, String version, List<Map.Entry<String, String>> headers, byte[] body,
                boolean keepAlive) {
        this.method = method;
        this.target = target;
        this.version = version;
        this.headers = Collections.unmodifiableList(headers);
        this.body = body;
        this.keepAlive = keepAlive;
    }

    /** The method, as sent: {@code GET}, {@code POST}, ... (methods are case-sensitive). */
    public String method() {
        return method;
    }

    /** The request target as sent: {@code /path?query}. */
    public String target() {
        return target;
    }

    /** The target's path: the target up to its {@code ?}. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The value of query parameter {@code name} ({@code a=1&b=2}, not decoded), or {@code null}. */
    public String queryParameter(String name) {
        int q = target.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : target.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : pair.substring(eq + 1);
            }
        }
        return null;
    }

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    public String version() {
        return version;
    }

    /** The first value of the header field {@code name} (any case), or {@code null}. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** Every value of the header field {@code name} (any case), in order. */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>(1);
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                values.add(h.getValue());
            }
        }
        return values;
    }

    /** Every header field, in the order they came. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The body (a copy is not made: do not change it). */
    public byte[] body() {
        return body;
    }

    /** Whether the connection stays open after the answer (HTTP/1.1 unless {@code Connection: close}). */
    public boolean keepAlive() {
        return keepAlive;
    }

    @Override
    public String toString() {
        return method + " " + target + " " + version;
    }
}
