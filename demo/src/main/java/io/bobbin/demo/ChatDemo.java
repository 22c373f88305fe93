package io.bobbin.demo;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import io.bobbin.TaskGroup;
import io.bobbin.net.TcpConnection;
import io.bobbin.net.TcpServer;
import io.bobbin.sync.Channel;
import io.bobbin.sync.ChannelClosedException;
import io.bobbin.sync.Event;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 9: structured concurrency and channels. A TCP chat room on loopback: every client is a task
 * that reads its lines and a task that writes what it is sent; the room is one task that owns the
 * list of members and receives joins, leaves and messages on a {@link Channel}, then hands each line
 * to every member's own bounded outbox channel. All of them are children of one {@link TaskGroup}:
 * when the room closes, cancelling the group ends the acceptor, the room and every connection, and
 * the group's {@code open} returns only once they all have.
 *
 * <p>By default a few bots join one after another (each waits for an {@link Event} that the previous
 * one has joined), say hello, wait until they have everyone else's messages, and leave; then the
 * room closes. With {@code --bots 0} the room stays open for {@code --seconds}; try it with
 * {@code nc 127.0.0.1 PORT}.
 */
final class ChatDemo implements Demo {
    /** Lines a member may have waiting to be written before the room starts dropping lines for it. */
    static final int OUTBOX = 1024;
    /** Chat lines printed one by one; the others are counted. */
    private static final int SHOWN = 12;

    /** What members tell the room, on its inbox. */
    private record Note(String kind, String name, String text, Channel<String> outbox) {}

    // ---- the room's state: its own task only (and the summary, after the group has ended) ----
    private final Map<String, Channel<String>> members = new LinkedHashMap<>();
    private final Channel<Note> inbox = Channel.unbounded();
    private int came;
    /** Clients connected now. */
    private int connected;
    private int messages;
    private int deliveries;
    private int dropped;
    private Stopwatch clock;

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public String summary() {
        return "a TCP chat room: a task per client, Channels between them, all in one TaskGroup; bots chat, then it closes";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--port", "P", "the port to listen on, 0 for any free one (default 0)"),
                Option.valued("--bots", "N", "bots that join, chat and leave (default 3; 0: none)"),
                Option.valued("--messages", "M", "lines each bot says (default 4)"),
                Option.valued("--seconds", "S", "how long the room stays open after the bots have left"
                        + " (default 0; 60 with --bots 0)"));
    }

    @Override
    public int run(Args args) throws Exception {
        int port = args.getInt("--port", 0, 0, 65535);
        int bots = args.getInt("--bots", 3, 0, 20);
        int lines = args.getInt("--messages", 4, 1, 50);
        int seconds = args.getInt("--seconds", bots == 0 ? 60 : 0, 0, 24 * 3600);
        clock = new Stopwatch();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        TcpServer server;
        try {
            server = TcpServer.bind(address);
        } catch (BindException e) {
            System.err.println("chat: cannot listen on " + address.getAddress().getHostAddress() + ":" + port + ": " + e.getMessage());
            return 1;
        }
        EventLoop.run(() -> {
            try (server) {
                InetSocketAddress at = server.localAddress();
                System.out.println("chat room on 127.0.0.1:" + at.getPort() + " (join with: nc 127.0.0.1 " + at.getPort()
                        + "; type a name, then lines; /quit leaves)");
                System.out.flush();
                TaskGroup.open(room -> {
                    room.spawn(this::runRoom);
                    room.spawn(() -> acceptClients(server, room));
                    if (bots > 0) {
                        runBots(at, bots, lines); // a group of its own: returns once every bot has left
                    }
                    if (seconds > 0) {
                        say((bots > 0 ? "the bots have left; " : "") + "the room stays open for " + seconds + " s");
                        Async.sleep(Duration.ofSeconds(seconds));
                    }
                    say("the room closes: cancelling its group (the acceptor, the room, " + connected + " connection"
                            + (connected == 1 ? "" : "s") + " still open)");
                    room.cancel();
                    return null;
                });
            }
            return null;
        });
        System.out.println("room: " + came + " clients came, " + messages + " messages, " + deliveries + " deliveries, "
                + dropped + " dropped; all on one thread (" + Thread.currentThread().getName() + ")");
        return 0;
    }

    private void say(String line) {
        System.out.println(clock.stamp() + "  " + line);
    }

    // ---- the room: one task, the only one that touches the member list ----

    @Suspendable
    private void runRoom() throws Exception {
        inbox.consumeEach(note -> {
            switch (note.kind()) {
                case "join":
                    members.put(note.name(), note.outbox());
                    came++;
                    broadcast("* " + note.name() + " joined (" + members.size() + " here)", null);
                    break;
                case "leave":
                    if (members.remove(note.name()) != null) {
                        broadcast("* " + note.name() + " left (" + members.size() + " here)", null);
                    }
                    break;
                default:
                    messages++;
                    if (messages <= SHOWN) {
                        say("<" + note.name() + "> " + note.text());
                    } else if (messages == SHOWN + 1) {
                        say("(more messages: counted, not shown)");
                    }
                    broadcast("<" + note.name() + "> " + note.text(), note.name());
            }
        });
    }

    /** Hands a line to every member but {@code from}; never waits: a member whose outbox is full misses it. */
    private void broadcast(String line, String from) {
        if (from == null) {
            say(line.substring(2));
        }
        for (Map.Entry<String, Channel<String>> m : members.entrySet()) {
            if (m.getKey().equals(from)) {
                continue;
            }
            try {
                if (m.getValue().trySend(line)) {
                    deliveries += from == null ? 0 : 1;
                } else {
                    dropped++;
                }
            } catch (ChannelClosedException leaving) {
                // its client has gone; its leave note is on its way
            }
        }
    }

    // ---- the clients ----

    @Suspendable
    private void acceptClients(TcpServer server, TaskGroup room) throws IOException {
        while (true) {
            TcpConnection conn;
            try {
                conn = server.accept();
            } catch (ClosedChannelException closed) {
                return;
            }
            room.spawn(() -> client(conn, room));
        }
    }

    /** One client: asks its name, joins, then passes its lines to the room until /quit or the end. */
    @Suspendable
    private void client(TcpConnection conn, TaskGroup room) throws Exception {
        connected++;
        try (conn) {
            conn.write("welcome to the room; your name?\n");
            String name = conn.readLine();
            if (name == null || name.isBlank() || members.containsKey(name.strip())) {
                conn.write("that name will not do; bye\n");
                return;
            }
            name = name.strip();
            Channel<String> outbox = Channel.bounded(OUTBOX);
            Task<Void> writer = room.spawn(() -> outbox.consumeEach(line -> conn.write(line + "\n")));
            inbox.send(new Note("join", name, null, outbox));
            try {
                for (String line; (line = conn.readLine()) != null && !line.equals("/quit"); ) {
                    inbox.send(new Note("say", name, line, null));
                }
            } finally {
                inbox.trySend(new Note("leave", name, null, null)); // an unbounded channel: never waits
                outbox.close(); // the writer writes what is left, then ends
                if (room.isCancelled()) {
                    Async.shielded(() -> { // a goodbye that the closing room's cancellation does not cut short
                        conn.write("* the room is closing\n");
                        return null;
                    });
                } else {
                    writer.join();
                    conn.write("bye\n");
                }
            }
        } finally {
            connected--;
        }
    }

    // ---- the bots ----

    /** The bots, in a group of their own: each joins once the one before it has joined. */
    @Suspendable
    private void runBots(InetSocketAddress at, int bots, int lines) throws Exception {
        Event[] joined = new Event[bots + 1];
        for (int i = 0; i <= bots; i++) {
            joined[i] = new Event();
        }
        joined[0].set();
        TaskGroup.open(group -> {
            for (int i = 1; i <= bots; i++) {
                int me = i;
                group.spawn(() -> bot(at, me, bots, lines, joined[me - 1], joined[me]));
            }
            return null;
        });
    }

    @Suspendable
    private void bot(InetSocketAddress at, int me, int bots, int lines, Event previousJoined, Event joined) throws Exception {
        String name = "bot-" + me;
        previousJoined.await();
        try (TcpConnection c = TcpConnection.connect(at)) {
            c.readLine(); // the welcome
            c.write(name + "\n");
            for (String l; !(l = c.readLine()).equals("* " + name + " joined (" + me + " here)"); ) {
                // notices before its own
            }
            joined.set();
            if (me < bots) {
                for (String l; !(l = c.readLine()).endsWith(" joined (" + bots + " here)"); ) {
                    // wait until everybody is here
                }
            }
            for (int k = 1; k <= lines; k++) {
                c.write("hello " + k + " from " + name + "\n");
            }
            int expected = (bots - 1) * lines;
            int got = 0;
            while (got < expected) {
                String l = c.readLine();
                if (l == null) {
                    throw new IOException(name + ": the room closed the connection after " + got + " messages");
                }
                if (l.startsWith("<bot-")) {
                    got++;
                }
            }
            say(name + " got all " + expected + " messages of the others");
            c.write("/quit\n");
            while (c.readLine() != null) {
                // the rest, up to the room's bye
            }
        }
    }
}
