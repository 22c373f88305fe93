/**
 * A small HTTP/1.1 server on {@link io.bobbin.net.TcpServer}: {@link io.bobbin.net.http.HttpServer}
 * serves each connection in a task of its own, as plain blocking-style code, on one loop or spread
 * over an {@link io.bobbin.EventLoopGroup}; a {@link io.bobbin.net.http.HttpHandler} turns each
 * {@link io.bobbin.net.http.HttpRequest} into an {@link io.bobbin.net.http.HttpResponse}.
 *
 * <p>Threads: a connection, its requests and responses belong to the connection's task; the
 * server's settings are fixed before it serves, and its counters may be read from any thread.
 */
package io.bobbin.net.http;
