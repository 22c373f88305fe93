package io.bobbin.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.EventLoopGroup;
import io.bobbin.Task;
import io.bobbin.net.TcpConnection;
import io.bobbin.net.TcpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code TcpServer.serve(group, handler)}: the accepting in the calling task, the connections spread over the group. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupServerTest {

    /**
     * Placement spreads the connections; an idle loop may also take over tasks a busy sibling has not
     * started, so on a machine so loaded that two loops' threads never get to run, one loop can end up
     * with all of them, legitimately. Up to three rounds, then: placement that never spreads fails all.
     */
    @Test
    void theServerSpreadsConnectionsOverEveryLoopOfTheGroup() throws Exception {
        int loops = 3;
        int connections = 30;
        Map<String, Integer> served = null;
        for (int round = 0; round < 3; round++) {
            served = serveOnce(loops, connections);
            if (served.size() == loops && served.values().stream().allMatch(n -> n >= 3)) {
                break;
            }
        }
        assertEquals(loops, served.size(), "every loop serves some connections: " + served);
        assertEquals(connections, served.values().stream().mapToInt(Integer::intValue).sum());
        for (int n : served.values()) {
            assertTrue(n >= 3, "spread by load, not all on one loop: " + served);
        }
    }

    private static Map<String, Integer> serveOnce(int loops, int connections) throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(loops)) {
            return EventLoop.run(() -> {
                String acceptingOn = EventLoop.current().name();
                TcpServer server = TcpServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                Task<Void> accepting = Async.spawn(() -> {
                    server.serve(group, conn -> {
                        String here = EventLoop.current().name();
                        assertNotEquals(acceptingOn, here);
                        for (String line; (line = conn.readLine()) != null; ) {
                            conn.write(line + " on " + here + "\n"); // each connection on the loop that runs its task
                        }
                    });
                    return null; // serve returned normally: the server was closed
                });
                List<TcpConnection> clients = new ArrayList<>();
                for (int i = 0; i < connections; i++) { // all open at once: each is live load on its loop
                    TcpConnection c = TcpConnection.connect(server.localAddress());
                    c.write("hello " + i + "\n");
                    clients.add(c);
                }
                Map<String, Integer> perLoop = new TreeMap<>();
                for (int i = 0; i < connections; i++) {
                    String answer = clients.get(i).readLine();
                    assertTrue(answer.startsWith("hello " + i + " on bobbin-group-"), answer);
                    perLoop.merge(answer.substring(answer.indexOf(" on ") + 4), 1, Integer::sum);
                }
                for (TcpConnection c : clients) {
                    c.close();
                }
                server.close();
                accepting.join(); // returns normally once the server is closed
                return perLoop;
            });
        }
    }
}
