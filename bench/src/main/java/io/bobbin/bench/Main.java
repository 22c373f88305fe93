package io.bobbin.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmark jar's entry point. The jar is its own Java agent: {@code java -jar bobbin-bench.jar}
 * starts it (Launcher-Agent-Class), and every JVM this forks (JMH forks, memory runs) gets
 * {@code -javaagent:<this jar>}.
 *
 * <pre>
 *   suite  --out DIR [--bobbin-only] [--forks N] [--warmups N] [--iterations N] [--time S]
 *          runs the suite on this JVM's JDK and writes DIR/results.tsv (+ DIR/jmh.json, DIR/env.txt)
 *   report --results DIR   merges DIR/raw/jdk*&#47;results.tsv into DIR/results.md and DIR/chart.png
 *   jmh    [JMH options]   plain JMH command line, with the agent and exports added to the forks
 *   memory KIND COUNT      one memory measurement (continuation | virtual | platform), in this JVM
 *   echo KIND...           the TCP echo benchmark alone (bobbin, group1, group2, virtual, platform, nio, netty)
 *   http KIND...           the HTTP benchmark alone, with wrk (bobbin: the demo jar's http demo, jdk, netty)
 *   serial-bytes           the size of a serialized continuation suspended 3 frames deep
 *   lateness KIND COUNT    wake lateness of COUNT sleeps of 0-100 ms (task | virtual), in this JVM
 * </pre>
 */
public final class Main {
    /** Options every forked JVM gets. */
    static List<String> forkArgs() {
        List<String> a = new ArrayList<>();
        a.add("-javaagent:" + selfJar());
        a.add("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
        a.add("-Xms1g");
        a.add("-Xmx1g");
        return a;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "suite":
                suite(rest);
                break;
            case "report":
                Report.main(rest);
                break;
            case "jmh": {
                CommandLineOptions cl = new CommandLineOptions(rest);
                List<String> jvmArgs = new ArrayList<>(forkArgs());
                if (cl.getJvmArgsPrepend().hasValue()) {
                    jvmArgs.addAll(cl.getJvmArgsPrepend().get());
                }
                Options o = new OptionsBuilder().parent(cl).jvmArgsPrepend(jvmArgs.toArray(new String[0])).build();
                new Runner(o).run();
                break;
            }
            case "memory":
                MemoryBench.main(rest);
                break;
            case "sleepers":
                Sleepers.main(rest);
                break;
            case "lateness":
                Lateness.main(rest);
                break;
            case "load-classes":
                AgentCost.loadClasses();
                break;
            case "hello":
                AgentCost.Hello.main(rest);
                break;
            case "serial-bytes": {
                int[] b = SerialBench.bytes();
                System.out.println("a continuation suspended " + SerialBench.DEPTH + " frames deep: " + b[0]
                        + " bytes written; the same values in plain objects: " + b[1] + " bytes");
                break;
            }
            case "cputime":
                CpuTimeCheck.main(rest);
                break;
            case "echo-server":
                Echo.server(rest[0]);
                break;
            case "echo": // the echo benchmark alone, for the kinds named
                Echo.measure(Arrays.asList(rest), 1.5, 4);
                break;
            case "http": // the HTTP benchmark alone, for the kinds named
                HttpBench.measure(Arrays.asList(rest), 2, 5);
                break;
            case "http-server":
                HttpBench.server(rest[0]);
                break;
            case "echo-client":
                Echo.client(Integer.parseInt(rest[0]), Integer.parseInt(rest[1]), Double.parseDouble(rest[2]),
                        Double.parseDouble(rest[3]));
                break;
            default:
                usage();
                System.exit(2);
        }
    }

    private static void usage() {
        System.out.println("usage: java -jar bobbin-bench.jar suite --out DIR [--bobbin-only] [--forks N] [--warmups N]"
                + " [--iterations N] [--time SECONDS]\n"
                + "       java -jar bobbin-bench.jar report --results DIR\n"
                + "       java -jar bobbin-bench.jar jmh [JMH options, e.g. SwitchBench -f 1 -prof gc]\n"
                + "       java -jar bobbin-bench.jar memory continuation|virtual|platform COUNT\n"
                + "       java -jar bobbin-bench.jar echo bobbin|group1|group2|virtual|platform|nio|netty...\n"
                + "       java -jar bobbin-bench.jar http bobbin|jdk|netty...   (needs wrk; bobbin is the demo jar's http demo)\n"
                + "       java -jar bobbin-bench.jar serial-bytes\n"
                + "       java -jar bobbin-bench.jar lateness task|virtual COUNT");
    }

    // ---- the suite ------------------------------------------------------------------------

    private static void suite(String[] args) throws Exception {
        Path out = null;
        boolean bobbinOnly = false;
        int forks = 1;
        int warmups = 3;
        int iterations = 5;
        int time = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out": out = Paths.get(args[++i]); break;
                case "--bobbin-only": bobbinOnly = true; break;
                case "--forks": forks = Integer.parseInt(args[++i]); break;
                case "--warmups": warmups = Integer.parseInt(args[++i]); break;
                case "--iterations": iterations = Integer.parseInt(args[++i]); break;
                case "--time": time = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        Files.createDirectories(out);
        int jdk = Runtime.version().feature();
        boolean jdkPeers = !bobbinOnly && jdk >= 21;
        Map<String, String> rows = new TreeMap<>();

        // JMH part
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("io\\.bobbin\\.bench\\.SwitchBench\\.bobbin")
                .include("io\\.bobbin\\.bench\\.ChainBench\\.")
                .include("io\\.bobbin\\.bench\\.TaskSwitchBench\\.bobbin")
                .include("io\\.bobbin\\.bench\\.PoolBridgeBench\\.bobbin")
                .include("io\\.bobbin\\.bench\\.(ChannelBench|MutexBench|FanOutBench)\\.bobbin")
                .include("io\\.bobbin\\.bench\\.SerialBench\\.")
                .include("io\\.bobbin\\.bench\\.TimerBench\\.wheel")
                .forks(forks).warmupIterations(warmups).measurementIterations(iterations)
                .warmupTime(TimeValue.seconds(time)).measurementTime(TimeValue.seconds(time))
                .jvmArgsPrepend(forkArgs().toArray(new String[0]))
                .resultFormat(ResultFormatType.JSON).result(out.resolve("jmh.json").toString())
                .shouldFailOnError(true);
        if (jdkPeers) {
            b.include("io\\.bobbin\\.bench\\.SwitchBench\\.jdk");
            b.include("io\\.bobbin\\.bench\\.TaskSwitchBench\\.(virtual|platform)");
            b.include("io\\.bobbin\\.bench\\.PoolBridgeBench\\.(completableFuture|virtualDirect)");
            b.include("io\\.bobbin\\.bench\\.ChannelBench\\.(virtual|platform)SynchronousQueue");
            b.include("io\\.bobbin\\.bench\\.MutexBench\\.reentrantLockPlatform");
            b.include("io\\.bobbin\\.bench\\.FanOutBench\\.virtualThreadPerTask");
            b.include("io\\.bobbin\\.bench\\.TimerBench\\.(heap|scheduledExecutor)");
        }
        Collection<RunResult> results = new Runner(b.build()).run();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace("io.bobbin.bench.", "");
            StringBuilder key = new StringBuilder(name);
            for (String p : r.getParams().getParamsKeys()) {
                key.append(':').append(p).append('=').append(r.getParams().getParam(p));
            }
            rows.put(key.toString(), String.format(Locale.ROOT, "%.3f\t%.3f\t%s", r.getPrimaryResult().getScore(),
                    r.getPrimaryResult().getScoreError(), r.getPrimaryResult().getScoreUnit()));
        }

        // The size of a serialized continuation (and of its peer), in this JVM: it runs the agent too.
        int[] serial = SerialBench.bytes();
        rows.put("Serial:bytes", serial[0] + "\t0\tB");
        rows.put("Serial:plainBytes", serial[1] + "\t0\tB");
        System.out.println("serial: a continuation suspended " + SerialBench.DEPTH + " frames deep is " + serial[0]
                + " bytes written; the same values in plain objects " + serial[1] + " bytes");

        // The CPU-time cross-check of the single-threaded rows, in a fresh JVM.
        for (String group : CpuTimeCheck.GROUPS) {
            List<String> jvm = new ArrayList<>(forkArgs());
            if (!jdkPeers) {
                jvm.add("-Dbench.noJdk=true");
            }
            if (group.equals("taskSwitch")) {
                jvm.add("-Djdk.virtualThreadScheduler.parallelism=1");
                jvm.add("-Djdk.virtualThreadScheduler.maxPoolSize=1");
            }
            for (String line : runChildAll(jvm, false, "cputime", group, "21")) {
                String[] f = line.split("\t");
                rows.put(f[2], f[3] + "\t" + f[4] + "\tns/op");
                System.out.println("cpu-time check " + f[2] + ": " + f[3] + " ns/op (± " + f[4] + ")");
            }
        }

        // Memory: each kind in a fresh JVM, median of three.
        List<String[]> memory = new ArrayList<>();
        memory.add(new String[] {"continuation", "100000"});
        memory.add(new String[] {"task", "100000"});
        if (jdkPeers) {
            memory.add(new String[] {"virtual", "100000"});
            memory.add(new String[] {"platform", "10000"});
        }
        for (String[] m : memory) {
            double[] heap = new double[3];
            double[] rss = new double[3];
            for (int i = 0; i < 3; i++) {
                String[] f = runChild(List.of("-Xms2g", "-Xmx2g"), true, "memory", m[0], m[1]).split("\t");
                heap[i] = Double.parseDouble(f[3]);
                rss[i] = Double.parseDouble(f[4]);
            }
            Arrays.sort(heap);
            Arrays.sort(rss);
            rows.put("Memory:" + m[0], String.format(Locale.ROOT, "%.1f\t0\tB/unit", heap[1]));
            rows.put("MemoryRss:" + m[0], String.format(Locale.ROOT, "%.1f\t0\tB/unit", rss[1]));
            System.out.printf(Locale.ROOT, "memory %s x%s: %.1f heap B/unit, %.1f RSS B/unit (medians of 3)%n",
                    m[0], m[1], heap[1], rss[1]);
        }

        // A million sleepers: each kind in a fresh JVM.
        List<String> sleepers = new ArrayList<>(List.of("task"));
        if (jdkPeers) {
            sleepers.add("virtual");
        }
        for (String kind : sleepers) {
            String[] f = runChild(List.of("-Xms4g", "-Xmx4g"), true, "sleepers", kind, "1000000").split("\t");
            rows.put("Sleepers:" + kind + ":spawn", f[3] + "\t0\tms");
            rows.put("Sleepers:" + kind + ":done", f[4] + "\t0\tms");
            rows.put("Sleepers:" + kind + ":peakHeap", f[5] + "\t0\tMB");
            System.out.println("sleepers " + kind + " x1000000: spawn " + f[3] + " ms, all done " + f[4]
                    + " ms, peak heap " + f[5] + " MB");
        }

        // Wake lateness: 100,000 sleeps of 0-100 ms, each kind in a fresh JVM.
        for (String kind : sleepers) {
            String[] f = runChild(List.of("-Xms2g", "-Xmx2g"), true, "lateness", kind, "100000").split("\t");
            rows.put("Lateness:" + kind + ":p50", f[3] + "\t0\tms");
            rows.put("Lateness:" + kind + ":p99", f[4] + "\t0\tms");
            rows.put("Lateness:" + kind + ":max", f[5] + "\t0\tms");
            rows.put("Lateness:" + kind + ":fromStartP50", f[6] + "\t0\tms");
            rows.put("Lateness:" + kind + ":fromStartP99", f[7] + "\t0\tms");
            rows.put("Lateness:" + kind + ":done", f[9] + "\t0\tms");
            System.out.println("lateness " + kind + " x100000: p50 " + f[3] + " ms, p99 " + f[4] + " ms, max " + f[5]
                    + " ms; from the start p50 " + f[6] + " ms, p99 " + f[7] + " ms; all done " + f[9] + " ms");
        }

        // Agent cost.
        rows.putAll(AgentCost.measure());

        // TCP echo: servers in their own JVMs, the same load client in another.
        List<String> echo = new ArrayList<>(List.of("bobbin", "group2"));
        if (jdkPeers) {
            echo.addAll(List.of("group1", "virtual", "platform", "nio", "netty"));
        }
        rows.putAll(Echo.measure(echo, 1.5, 4));

        // HTTP keep-alive with wrk: the http demo (a loop group) against the JDK's server and Netty.
        rows.putAll(HttpBench.measure(jdkPeers ? List.of("bobbin", "jdk", "netty") : List.of("bobbin"), 2, 5));

        StringBuilder tsv = new StringBuilder("# key\tscore\terror\tunit\n");
        rows.forEach((k, v) -> tsv.append(k).append('\t').append(v).append('\n'));
        Files.write(out.resolve("results.tsv"), tsv.toString().getBytes(StandardCharsets.UTF_8));
        Files.write(out.resolve("env.txt"), environment().getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + out.resolve("results.tsv"));
    }

    /** Runs {@code Main args} in a fresh JVM (same JDK, with the agent); returns its RESULT line. */
    static String runChild(List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        return runChild(jvmArgs, true, args);
    }

    /** Runs {@code Main args} in a fresh JVM of the same JDK, with the agent or not; returns its RESULT line. */
    static String runChild(List<String> jvmArgs, boolean agent, String... args) throws IOException, InterruptedException {
        List<String> all = runChildAll(jvmArgs, agent, args);
        return all.get(all.size() - 1);
    }

    /** Like {@link #runChild(List, boolean, String...)}, every RESULT line (at least one). */
    static List<String> runChildAll(List<String> jvmArgs, boolean agent, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        if (agent) {
            cmd.add("-javaagent:" + selfJar());
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(selfJar());
        cmd.add(Main.class.getName());
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> result = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT\t")) {
                    result.add(line);
                } else {
                    System.out.println("  | " + line);
                }
            }
        }
        int rc = p.waitFor();
        if (result.isEmpty()) {
            throw new IllegalStateException("child " + String.join(" ", args) + " failed (exit " + rc + ")");
        }
        return result;
    }

    static String selfJar() {
        try {
            Path p = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().toString();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        String jar = System.getProperty("bobbin.bench.jar");
        if (jar == null) {
            throw new IllegalStateException("run from bobbin-bench.jar, or set -Dbobbin.bench.jar=<path to it>");
        }
        return jar;
    }

    static String environment() {
        StringBuilder s = new StringBuilder();
        s.append("java.version=").append(System.getProperty("java.version")).append('\n');
        s.append("java.vm=").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.vm.version")).append('\n');
        s.append("os=").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch")).append('\n');
        s.append("cpus=").append(Runtime.getRuntime().availableProcessors()).append('\n');
        try {
            s.append("loadavg at the end (1/5/15 min, other work on the machine)=")
                    .append(new String(Files.readAllBytes(Paths.get("/proc/loadavg")), StandardCharsets.UTF_8).trim())
                    .append('\n');
        } catch (IOException e) {
            // not Linux
        }
        try {
            for (String l : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    s.append("cpu=").append(l.substring(l.indexOf(':') + 1).trim()).append('\n');
                    break;
                }
            }
            for (String l : Files.readAllLines(Paths.get("/proc/meminfo"))) {
                if (l.startsWith("MemTotal")) {
                    s.append("memory=").append(l.substring(l.indexOf(':') + 1).trim()).append('\n');
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return s.toString();
    }

}
