/**
 * TCP on the event loop: {@link io.bobbin.net.TcpServer} accepts connections and runs a task per
 * connection; {@link io.bobbin.net.TcpConnection} reads, writes and reads lines, suspending the
 * calling task (never blocking its loop) while the socket is not ready, with its buffers handled
 * for the user. In plain code (no loop on the thread) the same calls simply block.
 */
package io.bobbin.net;
