package io.bobbin.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 10, HTTP/1.1 keep-alive on loopback, driven by {@code wrk} (2 threads; 100 and 1,000
 * connections; a short warm-up run, then a measured one): requests/s and wrk's p99 latency, plus
 * socket errors and non-2xx answers (which should be 0). Each server in a JVM of its own:
 * <ul>
 *   <li>{@code bobbin}: the demo jar's {@code http} demo as a user runs it (a loop per processor,
 *       route {@code /hello});</li>
 *   <li>{@code jdk}: the JDK's {@code com.sun.net.httpserver.HttpServer} with a virtual thread per
 *       exchange (JDK 21+), {@code sun.net.httpserver.maxIdleConnections} raised so that it keeps
 *       every connection alive;</li>
 *   <li>{@code netty}: a minimal Netty hello-world ({@link NettyServers}).</li>
 * </ul>
 * All three answer the same 14-byte body.
 */
final class HttpBench {
    private HttpBench() {}

    /** The JDK's server, for the {@code jdk} kind: prints READY and serves until killed. */
    static void jdkServer() throws Exception {
        com.sun.net.httpserver.HttpServer s = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        ThreadFactory virtual = Threads.virtualFactory();
        s.setExecutor(r -> virtual.newThread(r).start());
        s.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, NettyServers.HELLO.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(NettyServers.HELLO);
            }
        });
        s.start();
        System.out.println("READY " + s.getAddress().getPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    static void server(String kind) throws Exception {
        switch (kind) {
            case "jdk":
                jdkServer();
                break;
            case "netty":
                NettyServers.run(true, 0);
                break;
            default:
                throw new IllegalArgumentException("no HTTP server kind " + kind + " (jdk, netty; bobbin is the demo jar)");
        }
    }

    static boolean wrkInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Paths.get(dir, "wrk"))) {
                return true;
            }
        }
        return false;
    }

    static Path demoJar() {
        String p = System.getProperty("bobbin.demo.jar");
        if (p != null) {
            return Paths.get(p);
        }
        return Paths.get(Main.selfJar()).toAbsolutePath().getParent().getParent().getParent()
                .resolve("demo").resolve("target").resolve("bobbin-demo.jar");
    }

    /** Runs each kind against 100 and 1,000 connections; returns rows for results.tsv. */
    static Map<String, String> measure(List<String> kinds, int warmupSeconds, int seconds) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        if (!wrkInstalled()) {
            System.out.println("http: wrk is not installed (Debian package 'wrk'): the HTTP rows are skipped");
            return rows;
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        for (String kind : kinds) {
            List<String> cmd = new ArrayList<>(List.of(java, "-Xms1g", "-Xmx1g"));
            if (kind.equals("bobbin")) {
                Path demo = demoJar();
                if (!Files.isRegularFile(demo)) {
                    System.out.println("http: no demo jar at " + demo + " (mvn -B -q package -DskipTests -pl demo -am):"
                            + " the Bobbin HTTP rows are skipped");
                    continue;
                }
                cmd.addAll(List.of("-jar", demo.toString(), "http", "--port", "0", "--seconds", "600"));
            } else {
                cmd.add("-Dsun.net.httpserver.maxIdleConnections=2000");
                cmd.addAll(List.of("-cp", Main.selfJar(), Main.class.getName(), "http-server", kind));
            }
            Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
                Pattern ready = Pattern.compile("^(?:READY |listening on 127\\.0\\.0\\.1:)(\\d+)");
                String port = null;
                for (String line; (line = out.readLine()) != null; ) {
                    Matcher m = ready.matcher(line);
                    if (m.find()) {
                        port = m.group(1);
                        break;
                    }
                }
                if (port == null) {
                    throw new IllegalStateException("HTTP server " + kind + " did not start");
                }
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discard
                        }
                    } catch (IOException e) {
                        // ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                String url = "http://127.0.0.1:" + port + "/hello";
                for (int conns : new int[] {100, 1000}) {
                    wrk(conns, warmupSeconds, url); // warms the server's JIT up; not counted
                    String report = wrk(conns, seconds, url);
                    double rps = number(report, "Requests/sec:\\s+([\\d.]+)");
                    double p99 = micros(report);
                    long errors = socketErrors(report);
                    long non2xx = (long) number(report, "Non-2xx or 3xx responses:\\s+(\\d+)");
                    String key = "Http:" + kind + ":" + conns;
                    rows.put(key + ":rps", String.format(Locale.ROOT, "%.0f\t0\treq/s", rps));
                    rows.put(key + ":p99", String.format(Locale.ROOT, "%.1f\t0\tus", p99));
                    rows.put(key + ":errors", (errors + non2xx) + "\t0\tcount");
                    System.out.printf(Locale.ROOT, "http %s %d connections: %.0f req/s, p99 %.0f us, %d socket errors,"
                            + " %d non-2xx%n", kind, conns, rps, p99, errors, non2xx);
                }
            } finally {
                server.destroy();
                server.waitFor();
            }
        }
        return rows;
    }

    private static String wrk(int conns, int seconds, String url) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("wrk", "-t", "2", "-c", Integer.toString(conns), "-d", seconds + "s",
                "--timeout", "5s", "--latency", url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + out);
        }
        return out;
    }

    private static double number(String report, String regex) {
        Matcher m = Pattern.compile(regex).matcher(report);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** wrk's 99th percentile, in microseconds. */
    private static double micros(String report) {
        Matcher m = Pattern.compile("99%\\s+([\\d.]+)(us|ms|s)").matcher(report);
        if (!m.find()) {
            return 0;
        }
        double v = Double.parseDouble(m.group(1));
        return m.group(2).equals("us") ? v : m.group(2).equals("ms") ? v * 1e3 : v * 1e6;
    }

    private static long socketErrors(String report) {
        Matcher m = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(report);
        long n = 0;
        if (m.find()) {
            for (int g = 1; g <= 4; g++) {
                n += Long.parseLong(m.group(g));
            }
        }
        return n;
    }
}
