package io.bobbin.net.http;

import io.bobbin.Suspendable;

/**
 * What an {@link HttpServer} does with each request: runs in the connection's task, and may wait
 * ({@code Async.sleep}, {@code Async.blocking}, other tasks) without holding up the loop. An exception
 * it throws is answered with {@code 500 Internal Server Error} (and logged); the connection goes on.
 */
@FunctionalInterface
public interface HttpHandler {
    @Suspendable
    HttpResponse handle(HttpRequest request) throws Exception;
}
