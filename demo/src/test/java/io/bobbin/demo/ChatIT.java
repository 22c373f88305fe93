package io.bobbin.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.demo.DemoProcess.Result;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Step 9: the chat room, with its bots and with clients of our own, from the packaged jar. */
class ChatIT {
    static final Pattern ROOM = Pattern.compile("^chat room on 127\\.0\\.0\\.1:(\\d+) ");

    /** A chat client over a plain socket, as nc would be. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final PrintWriter out;

        Client(int port, String name) throws Exception {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(20_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            assertEquals("welcome to the room; your name?", in.readLine());
            out.println(name);
        }

        /** Reads lines up to and including the first that starts with {@code prefix}; fails at the end of the stream. */
        String readUntil(String prefix) throws Exception {
            List<String> seen = new ArrayList<>();
            for (String l; (l = in.readLine()) != null; ) {
                seen.add(l);
                if (l.startsWith(prefix)) {
                    return l;
                }
            }
            throw new AssertionError("no line starting with '" + prefix + "'; got " + seen);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void theBotsJoinInTurnGetEveryMessageOfTheOthersLeaveAndTheRoomCloses() throws Exception {
        Result r = StepsIT.ok("chat", "--bots", "3", "--messages", "5");
        String out = r.outText();
        int j1 = StepsIT.indexOf(r, "  bot-1 joined (1 here)");
        int j2 = StepsIT.indexOf(r, "  bot-2 joined (2 here)");
        int j3 = StepsIT.indexOf(r, "  bot-3 joined (3 here)");
        assertTrue(j1 < j2 && j2 < j3, "one after another\n" + r.describe());
        for (int b = 1; b <= 3; b++) {
            int got = StepsIT.indexOf(r, "  bot-" + b + " got all 10 messages of the others");
            int left = StepsIT.indexOf(r, "  bot-" + b + " left (");
            assertTrue(j3 < got && got < left, "bot-" + b + ": joined, got everything, then left\n" + r.describe());
        }
        assertTrue(out.contains("  <bot-1> hello 1 from bot-1"), r.describe());
        assertTrue(out.contains("  (more messages: counted, not shown)"), r.describe());
        assertTrue(out.contains(" left (0 here)"), r.describe());
        assertTrue(out.contains("  the room closes: cancelling its group (the acceptor, the room, 0 connections still open)"), r.describe());
        assertTrue(out.contains("room: 3 clients came, 15 messages, 30 deliveries, 0 dropped; all on one thread (main)"), r.describe());
    }

    @Test
    void clientsChatThroughTheRoomAndOneStillConnectedWhenItClosesIsToldSo() throws Exception {
        try (DemoProcess room = DemoProcess.start("chat", "--bots", "0", "--seconds", "5")) {
            Matcher m = ROOM.matcher(room.awaitLine(l -> ROOM.matcher(l).find(), Duration.ofSeconds(30)));
            assertTrue(m.find());
            int port = Integer.parseInt(m.group(1));
            try (Client ann = new Client(port, "ann")) {
                assertEquals("* ann joined (1 here)", ann.readUntil("* ann joined"));
                try (Client bob = new Client(port, "bob")) {
                    assertEquals("* bob joined (2 here)", ann.readUntil("* bob joined"));
                    assertEquals("* bob joined (2 here)", bob.readUntil("* bob joined"));
                    ann.out.println("hi bob");
                    assertEquals("<ann> hi bob", bob.readUntil("<"));
                    bob.out.println("hi ann");
                    assertEquals("<bob> hi ann", ann.readUntil("<"));
                    bob.out.println("/quit");
                    assertEquals("bye", bob.readUntil("bye"));
                    assertEquals(null, bob.in.readLine(), "the room closed bob's connection");
                }
                assertEquals("* bob left (1 here)", ann.readUntil("* bob left"));
                // ann stays: the room closes under her after its 5 seconds
                assertEquals("* the room is closing", ann.readUntil("* the room is closing"));
                assertEquals(null, ann.in.readLine());
            }
            Result r = room.await(Duration.ofSeconds(30));
            assertEquals(0, r.exit(), r.describe());
            assertEquals(List.of(), r.err(), r.describe());
            assertTrue(r.outText().contains("  the room stays open for 5 s"), r.describe());
            assertTrue(r.outText().contains("  <ann> hi bob"), r.describe());
            assertTrue(r.outText().contains("  the room closes: cancelling its group (the acceptor, the room, 1 connection still open)"), r.describe());
            assertTrue(r.outText().contains("room: 2 clients came, 2 messages, 2 deliveries, 0 dropped"), r.describe());
        }
    }

    @Test
    void theRoomSaysSoWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result r = DemoProcess.run("chat", "--port", "" + taken.getLocalPort());
            assertEquals(1, r.exit(), r.describe());
            assertTrue(r.errText().startsWith("chat: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "), r.describe());
        }
    }
}
