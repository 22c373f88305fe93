package io.bobbin.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Turns the suite's raw results ({@code DIR/raw/jdk25/results.tsv}, {@code DIR/raw/jdk17/results.tsv})
 * into {@code DIR/results.md} (a Markdown table: Bobbin against its peer, the ratio and the goal of
 * issue 6 or 12) and {@code DIR/chart.png} (bar charts made with XChart).
 */
public final class Report {
    /** One measured value: score, error (99.9% CI half-width, 0 when unknown) and unit. */
    static final class Value {
        final double score;
        final double error;
        final String unit;

        Value(double score, double error, String unit) {
            this.score = score;
            this.error = error;
            this.unit = unit;
        }
    }

    /** A row of the table: Bobbin against one peer. */
    static final class Row {
        final String benchmark;
        final String bobbinKey;
        final String peer;
        final String peerKey;
        /** Goal for bobbin/peer; NaN: none. */
        final double goal;
        /** true: the goal is "at most", false: "at least". */
        final boolean atMost;
        /** true: the goal is on bobbin - peer (same unit), not on the ratio. */
        final boolean difference;

        Row(String benchmark, String bobbinKey, String peer, String peerKey, double goal, boolean atMost) {
            this(benchmark, bobbinKey, peer, peerKey, goal, atMost, false);
        }

        Row(String benchmark, String bobbinKey, String peer, String peerKey, double goal, boolean atMost, boolean difference) {
            this.benchmark = benchmark;
            this.bobbinKey = bobbinKey;
            this.peer = peer;
            this.peerKey = peerKey;
            this.goal = goal;
            this.atMost = atMost;
            this.difference = difference;
        }
    }

    static final List<Row> ROWS = List.of(
            new Row("1. switch, depth 1 (ns per suspend+resume)", "SwitchBench.bobbin:depth=1",
                    "JDK internal Continuation", "SwitchBench.jdk:depth=1", 0.15, true),
            new Row("1. switch, depth 10", "SwitchBench.bobbin:depth=10",
                    "JDK internal Continuation", "SwitchBench.jdk:depth=10", 0.5, true),
            new Row("1. switch, depth 50", "SwitchBench.bobbin:depth=50",
                    "JDK internal Continuation", "SwitchBench.jdk:depth=50", 0.5, true),
            new Row("2. task switch (ns per round trip)", "TaskSwitchBench.bobbin",
                    "2 virtual threads, Thread.yield, 1 carrier", "TaskSwitchBench.virtualYield", 0.2, true),
            new Row("2. task switch", "TaskSwitchBench.bobbin",
                    "2 virtual threads, park/unpark hand-off", "TaskSwitchBench.virtualHandoff", Double.NaN, true),
            new Row("2. task switch", "TaskSwitchBench.bobbin",
                    "2 platform threads, park/unpark hand-off", "TaskSwitchBench.platformHandoff", Double.NaN, true),
            new Row("3. memory, task sleeping on the loop at depth 3 (heap bytes each)", "Memory:task",
                    "sleeping virtual thread", "Memory:virtual", 0.28, true),
            new Row("3. memory, raw continuation suspended at depth 3 (heap bytes each)", "Memory:continuation",
                    "sleeping virtual thread", "Memory:virtual", 0.3, true),
            new Row("3. memory, task sleeping at depth 3 (heap bytes each)", "Memory:task",
                    "sleeping platform thread (heap only)", "Memory:platform", Double.NaN, true),
            new Row("3. memory, task sleeping at depth 3 (process RSS growth each)", "MemoryRss:task",
                    "sleeping platform thread (RSS: its stack)", "MemoryRss:platform", Double.NaN, true),
            new Row("4. 1,000,000 sleepers: time to spawn all (ms)", "Sleepers:task:spawn",
                    "1,000,000 virtual threads", "Sleepers:virtual:spawn", Double.NaN, true),
            new Row("4. 1,000,000 sleepers: time until all done (ms)", "Sleepers:task:done",
                    "1,000,000 virtual threads", "Sleepers:virtual:done", 0.5, true),
            new Row("4. 1,000,000 sleepers: peak heap (MB)", "Sleepers:task:peakHeap",
                    "1,000,000 virtual threads", "Sleepers:virtual:peakHeap", 0.5, true),
            new Row("5. 10-deep chain not suspending, outside a continuation (ns per call)",
                    "ChainBench.instrumentedOutside", "same code uninstrumented", "ChainBench.plain", 1.1, true),
            new Row("5. 10-deep chain not suspending, inside a continuation (ns per call)",
                    "ChainBench.instrumentedInside", "same code uninstrumented, inside a continuation",
                    "ChainBench.plainInside", 1.1, true),
            new Row("5. 10-deep chain not suspending, inside a continuation (ns per call)",
                    "ChainBench.instrumentedInside", "same code uninstrumented, on a plain thread",
                    "ChainBench.plain", Double.NaN, true),
            new Row("6. pool bridge (ns per round trip)", "PoolBridgeBench.bobbin",
                    "CompletableFuture.supplyAsync().join()", "PoolBridgeBench.completableFuture", 1.0, true),
            new Row("6. pool bridge", "PoolBridgeBench.bobbin",
                    "virtual thread calling directly", "PoolBridgeBench.virtualDirect", Double.NaN, true),
            new Row("7. TCP echo, 100 connections (requests/s, higher is better)", "Echo:bobbin:100:rps",
                    "virtual thread per connection", "Echo:virtual:100:rps", 1.0, false),
            new Row("7. TCP echo, 100 connections (requests/s)", "Echo:bobbin:100:rps",
                    "hand-written single-thread NIO loop", "Echo:nio:100:rps", 0.9, false),
            new Row("7. TCP echo, 100 connections (requests/s)", "Echo:bobbin:100:rps",
                    "platform thread per connection", "Echo:platform:100:rps", Double.NaN, false),
            new Row("7. TCP echo, 1,000 connections (requests/s, higher is better)", "Echo:bobbin:1000:rps",
                    "virtual thread per connection", "Echo:virtual:1000:rps", 1.0, false),
            new Row("7. TCP echo, 1,000 connections (requests/s)", "Echo:bobbin:1000:rps",
                    "hand-written single-thread NIO loop", "Echo:nio:1000:rps", 0.9, false),
            new Row("7. TCP echo, 1,000 connections (requests/s)", "Echo:bobbin:1000:rps",
                    "platform thread per connection", "Echo:platform:1000:rps", Double.NaN, false),
            new Row("7. TCP echo, 100 connections: p99 latency (µs)", "Echo:bobbin:100:p99",
                    "virtual thread per connection", "Echo:virtual:100:p99", Double.NaN, true),
            new Row("7. TCP echo, 1,000 connections: p99 latency (µs)", "Echo:bobbin:1000:p99",
                    "virtual thread per connection", "Echo:virtual:1000:p99", Double.NaN, true),
            new Row("7. TCP echo, 1,000 connections: p99 latency (µs)", "Echo:bobbin:1000:p99",
                    "hand-written single-thread NIO loop", "Echo:nio:1000:p99", Double.NaN, true),
            new Row("7. TCP echo, 1,000 connections: answers per connection, the fewest", "Echo:bobbin:1000:connMin",
                    "hand-written single-thread NIO loop", "Echo:nio:1000:connMin", Double.NaN, false),
            new Row("7. TCP echo, 1,000 connections: answers per connection, the most", "Echo:bobbin:1000:connMax",
                    "hand-written single-thread NIO loop", "Echo:nio:1000:connMax", Double.NaN, true),
            new Row("7. TCP echo, 1,000 connections: a 50 ms timer on the server, lateness p50 (ms)",
                    "Echo:bobbin:1000:tickP50", "hand-written single-thread NIO loop", "Echo:nio:1000:tickP50", Double.NaN, true),
            new Row("7. TCP echo, 1,000 connections: the 50 ms timer's lateness p50 (ms)", "Echo:bobbin:1000:tickP50",
                    "virtual thread per connection (a sleeping virtual thread)", "Echo:virtual:1000:tickP50", Double.NaN, true),
            new Row("7. TCP echo, 1,000 connections: the 50 ms timer's lateness, the most (ms)", "Echo:bobbin:1000:tickMax",
                    "hand-written single-thread NIO loop", "Echo:nio:1000:tickMax", Double.NaN, true),
            new Row("8. agent: start-up of a small program (ms)", "Agent:startupAgent",
                    "the same without -javaagent", "Agent:startupPlain", 200, true, true),
            new Row("8. agent: loading ~600 library classes (ms)", "Agent:loadAgentMs",
                    "the same without -javaagent", "Agent:loadPlainMs", Double.NaN, true, true),
            new Row("9. TCP echo on all cores, 100 connections (requests/s, higher is better)", "Echo:group2:100:rps",
                    "virtual thread per connection", "Echo:virtual:100:rps", Double.NaN, false),
            new Row("9. TCP echo on all cores, 100 connections (requests/s)", "Echo:group2:100:rps",
                    "Netty 4.2 NIO, 1 boss + 1 worker per core", "Echo:netty:100:rps", Double.NaN, false),
            new Row("9. TCP echo on all cores, 1,000 connections (requests/s, higher is better)", "Echo:group2:1000:rps",
                    "virtual thread per connection", "Echo:virtual:1000:rps", 1.0, false),
            new Row("9. TCP echo on all cores, 1,000 connections (requests/s)", "Echo:group2:1000:rps",
                    "Netty 4.2 NIO, 1 boss + 1 worker per core", "Echo:netty:1000:rps", 0.9, false),
            new Row("9. TCP echo, group of 2 loops, 1,000 connections (requests/s)", "Echo:group2:1000:rps",
                    "Bobbin, one loop (EventLoop.run)", "Echo:bobbin:1000:rps", Double.NaN, false),
            new Row("9. TCP echo on all cores, 1,000 connections: p99 latency (µs)", "Echo:group2:1000:p99",
                    "Netty 4.2 NIO", "Echo:netty:1000:p99", Double.NaN, true),
            new Row("9. TCP echo on all cores, 1,000 connections: answers per connection, the fewest", "Echo:group2:1000:connMin",
                    "Netty 4.2 NIO", "Echo:netty:1000:connMin", Double.NaN, false),
            new Row("9. TCP echo on all cores, 1,000 connections: answers per connection, the most", "Echo:group2:1000:connMax",
                    "Netty 4.2 NIO", "Echo:netty:1000:connMax", Double.NaN, true),
            new Row("9. TCP echo on all cores, 1,000 connections: a 50 ms timer's lateness p50 (ms)", "Echo:group2:1000:tickP50",
                    "Netty 4.2 NIO (a worker's scheduled task)", "Echo:netty:1000:tickP50", Double.NaN, true),
            new Row("9. TCP echo on all cores, 1,000 connections: the 50 ms timer's lateness, the most (ms)",
                    "Echo:group2:1000:tickMax", "Netty 4.2 NIO", "Echo:netty:1000:tickMax", Double.NaN, true),
            new Row("10. HTTP keep-alive, wrk, 100 connections (requests/s, higher is better)", "Http:bobbin:100:rps",
                    "JDK HttpServer, a virtual thread per exchange", "Http:jdk:100:rps", 1.0, false),
            new Row("10. HTTP keep-alive, wrk, 100 connections (requests/s)", "Http:bobbin:100:rps",
                    "Netty hello-world", "Http:netty:100:rps", 0.9, false),
            new Row("10. HTTP keep-alive, wrk, 1,000 connections (requests/s, higher is better)", "Http:bobbin:1000:rps",
                    "JDK HttpServer, a virtual thread per exchange", "Http:jdk:1000:rps", 1.0, false),
            new Row("10. HTTP keep-alive, wrk, 1,000 connections (requests/s)", "Http:bobbin:1000:rps",
                    "Netty hello-world", "Http:netty:1000:rps", 0.9, false),
            new Row("10. HTTP keep-alive, 100 connections: p99 latency (µs)", "Http:bobbin:100:p99",
                    "Netty hello-world", "Http:netty:100:p99", Double.NaN, true),
            new Row("10. HTTP keep-alive, 1,000 connections: p99 latency (µs)", "Http:bobbin:1000:p99",
                    "Netty hello-world", "Http:netty:1000:p99", Double.NaN, true),
            new Row("10. HTTP keep-alive, 1,000 connections: p99 latency (µs)", "Http:bobbin:1000:p99",
                    "JDK HttpServer, virtual threads", "Http:jdk:1000:p99", Double.NaN, true),
            new Row("11. scaling: TCP echo, 100 connections, group of 2 loops (requests/s)", "Echo:group2:100:rps",
                    "group of 1 loop", "Echo:group1:100:rps", Double.NaN, false),
            new Row("11. scaling: TCP echo, 1,000 connections, group of 2 loops (requests/s)", "Echo:group2:1000:rps",
                    "group of 1 loop", "Echo:group1:1000:rps", Double.NaN, false),
            new Row("12. channel ping-pong, two tasks of one loop (ns one way)", "ChannelBench.bobbinOneLoop",
                    "2 virtual threads over SynchronousQueue", "ChannelBench.virtualSynchronousQueue", 0.5, true),
            new Row("12. channel ping-pong, two tasks of one loop", "ChannelBench.bobbinOneLoop",
                    "2 platform threads over SynchronousQueue", "ChannelBench.platformSynchronousQueue", Double.NaN, true),
            new Row("12. channel ping-pong, tasks of two loops (ns one way)", "ChannelBench.bobbinTwoLoops",
                    "2 virtual threads over SynchronousQueue", "ChannelBench.virtualSynchronousQueue", Double.NaN, true),
            new Row("12. channel ping-pong, a task and a plain thread (ns one way)", "ChannelBench.bobbinTaskAndThread",
                    "2 platform threads over SynchronousQueue", "ChannelBench.platformSynchronousQueue", Double.NaN, true),
            new Row("13. uncontended Mutex lock+unlock in a task (ns)", "MutexBench.bobbinTask",
                    "ReentrantLock on a platform thread", "MutexBench.reentrantLockPlatform", 1.5, true),
            new Row("14. fan-out: 100,000 children, spawn to all joined (ms)", "FanOutBench.bobbinTaskGroup",
                    "virtual-thread-per-task executor, joined", "FanOutBench.virtualThreadPerTask", Double.NaN, true),
            new Row("15. continuation suspended 3 frames deep, serialized (bytes)", "Serial:bytes",
                    "the same values in plain serializable objects", "Serial:plainBytes", Double.NaN, true),
            new Row("15. write + read back of it (ns)", "SerialBench.bobbinRoundTrip",
                    "the same values in plain serializable objects", "SerialBench.plainRoundTrip", Double.NaN, true),
            new Row("16. timers, 999 of 1,000 cancelled, 1,000 pending (ns per timer: add, then cancel or fire)",
                    "TimerBench.wheel:pending=1000", "the loop's former binary heap", "TimerBench.heap:pending=1000",
                    Double.NaN, true),
            new Row("16. timers, 1,000 pending", "TimerBench.wheel:pending=1000",
                    "ScheduledThreadPoolExecutor, remove on cancel", "TimerBench.scheduledExecutor:pending=1000",
                    Double.NaN, true),
            new Row("16. timers, 999 of 1,000 cancelled, 100,000 pending (ns per timer)",
                    "TimerBench.wheel:pending=100000", "the loop's former binary heap", "TimerBench.heap:pending=100000",
                    Double.NaN, true),
            new Row("16. timers, 100,000 pending", "TimerBench.wheel:pending=100000",
                    "ScheduledThreadPoolExecutor, remove on cancel", "TimerBench.scheduledExecutor:pending=100000",
                    Double.NaN, true),
            new Row("17. 100,000 sleeps of 0-100 ms: wake lateness p50 (ms)", "Lateness:task:p50",
                    "virtual threads, Thread.sleep", "Lateness:virtual:p50", 1.0, true),
            new Row("17. 100,000 sleeps of 0-100 ms: wake lateness p99 (ms)", "Lateness:task:p99",
                    "virtual threads, Thread.sleep", "Lateness:virtual:p99", 1.0, true),
            new Row("17. 100,000 sleeps of 0-100 ms: time until all done (ms)", "Lateness:task:done",
                    "virtual threads, Thread.sleep", "Lateness:virtual:done", Double.NaN, true));

    private Report() {}

    public static void main(String[] args) throws IOException {
        Path dir = Paths.get("bench/results");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--results")) {
                dir = Paths.get(args[++i]);
            }
        }
        Map<String, Value> jdk25 = read(dir.resolve("raw/jdk25/results.tsv"));
        Map<String, Value> jdk17 = read(dir.resolve("raw/jdk17/results.tsv"));
        String env = readEnv(dir.resolve("raw/jdk25/env.txt"));
        String env17 = readEnv(dir.resolve("raw/jdk17/env.txt"));

        StringBuilder md = new StringBuilder();
        md.append("# Bobbin benchmark results\n\n");
        md.append("Made by `bench/run.sh`. Bobbin and each peer run in the same suite run, on the same machine.\n");
        md.append("Ratio = Bobbin on JDK 25 / the peer on JDK 25 (lower is better, but for requests/s); the goal is"
                + " issue 16's where it set one (rows 1-4, 6, 7 at 1,000 connections, 17), else issue 6's (rows 5, 7, 8),"
                + " issue 12's (rows 9-11: a loop group, the http demo) or issue 10's (rows 12-14: channels, Mutex,"
                + " TaskGroup).\n\n");
        md.append("| benchmark | Bobbin, JDK 25 | Bobbin, JDK 17 | peer | peer, JDK 25 | ratio (25) | goal | met |"
                + " CPU-time cross-check: Bobbin 25 / peer 25 = ratio; Bobbin 17 |\n");
        md.append("|---|---:|---:|---|---:|---:|---:|:---:|---|\n");
        for (Row r : ROWS) {
            Value b25 = jdk25.get(r.bobbinKey);
            Value b17 = jdk17.get(r.bobbinKey);
            Value p25 = jdk25.get(r.peerKey);
            String ratio = "";
            String met = "";
            if (r.difference && b25 != null && p25 != null) {
                double d = b25.score - p25.score;
                ratio = String.format(Locale.ROOT, "+%s %s", fmt(d), b25.unit);
                if (!Double.isNaN(r.goal)) {
                    met = d <= r.goal ? "yes" : String.format(Locale.ROOT, "no (+%s over)", fmt(d - r.goal));
                }
            } else if (b25 != null && p25 != null && p25.score != 0) {
                double q = b25.score / p25.score;
                Value cb = jdk25.get("Cpu:" + r.bobbinKey);
                Value cp = jdk25.get("Cpu:" + r.peerKey);
                boolean byCpu = cb != null && cp != null && cp.score != 0;
                double qGoal = byCpu ? cb.score / cp.score : q;
                ratio = String.format(Locale.ROOT, "%.2f", q);
                if (!Double.isNaN(r.goal)) {
                    boolean ok = r.atMost ? qGoal <= r.goal : qGoal >= r.goal;
                    met = ok ? "yes" : r.atMost ? String.format(Locale.ROOT, "no (%.2f× the goal)", qGoal / r.goal)
                            : String.format(Locale.ROOT, "no (%.0f%% short)", (1 - qGoal / r.goal) * 100);
                    if (byCpu) {
                        met += " (CPU-time ratio)";
                    }
                }
            }
            String goal = Double.isNaN(r.goal) ? "" : r.difference ? "≤ +" + fmt(r.goal) + " " + (b25 == null ? "" : b25.unit)
                    : (r.atMost ? "≤ " : "≥ ") + fmt(r.goal) + "×";
            md.append("| ").append(r.benchmark).append(" | ").append(cell(b25)).append(" | ").append(cell(b17))
                    .append(" | ").append(r.peer).append(" | ").append(cell(p25)).append(" | ").append(ratio)
                    .append(" | ").append(goal).append(" | ").append(met).append(" | ").append(cpuCell(r, jdk25, jdk17))
                    .append(" |\n");
        }
        md.append("\nValues are JMH averages ± the 99.9% confidence half-width where JMH gives one; memory is")
                .append(" (heap used after GC with all units suspended − before) / count, in a fresh JVM per kind.")
                .append(" The CPU-time cross-check runs rows 1, 2 and 5 again, a JVM per group, in slices taken in turn,")
                .append(" timed by the thread's CPU time (the process's for the task switch), median of the slices: it holds up when other work")
                .append(" shares the machine, which the wall-clock JMH numbers do not. Where it exists, \"met\" is judged")
                .append(" on its ratio.\n\n");
        md.append("![benchmark chart](chart.png)\n\n");
        md.append("## Machine\n\n```\n").append(env).append("```\n");
        if (!env17.isEmpty()) {
            md.append("\nJDK 17 run:\n\n```\n").append(env17).append("```\n");
        }
        Files.write(dir.resolve("results.md"), md.toString().getBytes(StandardCharsets.UTF_8));

        List<CategoryChart> charts = new ArrayList<>();
        charts.add(switchChart(jdk25, jdk17));
        charts.add(bars("2. Task switch: two tasks ping-ponging (ns per round trip)", "ns per round trip", jdk25, jdk17,
                new String[] {"Bobbin tasks", "VT yield", "VT hand-off", "platform hand-off"},
                new String[] {"TaskSwitchBench.bobbin", "TaskSwitchBench.virtualYield", "TaskSwitchBench.virtualHandoff",
                    "TaskSwitchBench.platformHandoff"}));
        charts.add(bars("3. Heap per suspended unit, call depth 3 (bytes)", "heap bytes each", jdk25, jdk17,
                new String[] {"Bobbin continuation", "Bobbin task", "virtual thread", "platform thread"},
                new String[] {"Memory:continuation", "Memory:task", "Memory:virtual", "Memory:platform"}));
        charts.add(sleepersChart(jdk25, jdk17));
        charts.add(chainChart(jdk25, jdk17));
        charts.add(bars("6. Pool bridge round trip (ns)", "ns per round trip", jdk25, jdk17,
                new String[] {"Bobbin Async.blocking", "CF.supplyAsync.join", "VT direct call"},
                new String[] {"PoolBridgeBench.bobbin", "PoolBridgeBench.completableFuture", "PoolBridgeBench.virtualDirect"}));
        charts.add(echoChart(jdk25, jdk17));
        charts.add(groupEchoChart(jdk25, jdk17));
        charts.add(httpChart(jdk25, jdk17));
        charts.add(bars("8. Agent: start-up of a small program (ms)", "ms", jdk25, jdk17,
                new String[] {"without agent", "Bobbin: with -javaagent"},
                new String[] {"Agent:startupPlain", "Agent:startupAgent"}));
        charts.add(bars("9. Channel ping-pong (ns per hand-over, one way)", "ns one way", jdk25, jdk17,
                new String[] {"Bobbin, 1 loop", "Bobbin, 2 loops", "Bobbin task + thread", "VT SynchronousQueue",
                    "platform SynchronousQueue"},
                new String[] {"ChannelBench.bobbinOneLoop", "ChannelBench.bobbinTwoLoops", "ChannelBench.bobbinTaskAndThread",
                    "ChannelBench.virtualSynchronousQueue", "ChannelBench.platformSynchronousQueue"}));
        charts.add(bars("10. Uncontended lock + unlock (ns)", "ns", jdk25, jdk17,
                new String[] {"Bobbin Mutex in a task", "ReentrantLock, platform thread"},
                new String[] {"MutexBench.bobbinTask", "MutexBench.reentrantLockPlatform"}));
        charts.add(bars("11. Fan-out: 100,000 children, spawn to all joined (ms)", "ms", jdk25, jdk17,
                new String[] {"Bobbin TaskGroup", "virtual-thread-per-task executor"},
                new String[] {"FanOutBench.bobbinTaskGroup", "FanOutBench.virtualThreadPerTask"}));
        charts.add(bars("16. Timers, 999 of 1,000 cancelled (ns per timer)", "ns per timer", jdk25, jdk17,
                new String[] {"Bobbin wheel, 1k pending", "old heap, 1k", "STPE, 1k", "Bobbin wheel, 100k pending", "old heap, 100k",
                    "STPE, 100k"},
                new String[] {"TimerBench.wheel:pending=1000", "TimerBench.heap:pending=1000",
                    "TimerBench.scheduledExecutor:pending=1000", "TimerBench.wheel:pending=100000",
                    "TimerBench.heap:pending=100000", "TimerBench.scheduledExecutor:pending=100000"}));
        charts.add(bars("17. 100,000 sleeps of 0-100 ms: wake lateness (ms)", "ms late", jdk25, jdk17,
                new String[] {"Bobbin p50", "VT p50", "Bobbin p99", "VT p99"},
                new String[] {"Lateness:task:p50", "Lateness:virtual:p50", "Lateness:task:p99", "Lateness:virtual:p99"}));
        charts.add(ratioChart(jdk25));
        writeGrid(charts, dir.resolve("chart.png"));
        System.out.println("wrote " + dir.resolve("results.md") + " and " + dir.resolve("chart.png"));
    }

    // ---- charts --------------------------------------------------------------------------

    private static CategoryChart chart(String title, String yTitle) {
        CategoryChart c = new CategoryChartBuilder().width(700).height(440).title(title).yAxisTitle(yTitle).build();
        Styler s = c.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        c.getStyler().setLabelsVisible(true);
        c.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        c.getStyler().setLabelsFontColorAutomaticEnabled(false);
        c.getStyler().setLabelsFontColor(Color.DARK_GRAY);
        c.getStyler().setLabelsPosition(0.95);
        c.getStyler().setDecimalPattern("#,##0.#");
        c.getStyler().setOverlapped(false);
        return c;
    }

    /** One bar of a chart: its label on the axis, its value ({@code null}: not measured, no bar), and whether it is Bobbin's. */
    private static final class Bar {
        final String label;
        final Double value;
        final boolean bobbin;

        Bar(String label, Double value, boolean bobbin) {
            this.label = label;
            this.value = value;
            this.bobbin = bobbin;
        }
    }

    /**
     * A chart with one bar per measured value, each named on the axis (so no legend lookup is
     * needed): Bobbin's bars in one colour, the peers' in another. A value that was not measured (a
     * peer on JDK 17, say) has no bar at all, rather than a bar of 0.
     */
    private static CategoryChart labelled(String title, String yTitle, List<Bar> bars) {
        CategoryChart c = chart(title, yTitle);
        List<String> cats = new ArrayList<>();
        List<Double> mine = new ArrayList<>(), peers = new ArrayList<>();
        for (Bar b : bars) {
            if (b.value == null) {
                continue;
            }
            cats.add(b.label);
            mine.add(b.bobbin ? b.value : null);
            peers.add(b.bobbin ? null : b.value);
        }
        c.getStyler().setOverlapped(true); // one bar per category: the series that has a value there
        boolean longLabels = cats.size() > 4 || cats.stream().anyMatch(l -> l.length() > 16);
        c.getStyler().setXAxisLabelRotation(longLabels ? 35 : 0);
        if (cats.isEmpty()) {
            c.addSeries("not measured", List.of("not measured"), List.of(0.0));
            return c;
        }
        if (mine.stream().anyMatch(x -> x != null)) {
            c.addSeries("Bobbin", cats, mine);
        }
        if (peers.stream().anyMatch(x -> x != null)) {
            c.addSeries("peers", cats, peers);
        }
        return c;
    }

    /** The measured value, or {@code null} when there is none. */
    private static Double opt(Map<String, Value> m, String key) {
        Value x = m.get(key);
        return x == null ? null : x.score;
    }

    /** The CPU-time cross-check's value when there is one, else JMH's, else {@code null}. */
    private static Double optCpu(Map<String, Value> m, String key) {
        Value x = m.get("Cpu:" + key);
        return x != null ? Double.valueOf(x.score) : opt(m, key);
    }

    private static CategoryChart switchChart(Map<String, Value> jdk25, Map<String, Value> jdk17) {
        List<Bar> bars = new ArrayList<>();
        for (String d : List.of("1", "10", "50")) {
            bars.add(new Bar("Bobbin d" + d + " (25)", optCpu(jdk25, "SwitchBench.bobbin:depth=" + d), true));
            bars.add(new Bar("Bobbin d" + d + " (17)", optCpu(jdk17, "SwitchBench.bobbin:depth=" + d), true));
            bars.add(new Bar("JDK Continuation d" + d, optCpu(jdk25, "SwitchBench.jdk:depth=" + d), false));
        }
        return labelled("1. Switch: suspend + resume at depth d (CPU ns, lower is better)", "ns per round trip", bars);
    }

    /**
     * One bar per key on JDK 25, and one more on JDK 17 where it was measured (Bobbin's rows); a label
     * that starts with "Bobbin" is Bobbin's.
     */
    private static CategoryChart bars(String title, String yTitle, Map<String, Value> jdk25, Map<String, Value> jdk17,
                                      String[] labels, String[] keys) {
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            boolean bobbin = labels[i].startsWith("Bobbin");
            Double v17 = opt(jdk17, keys[i]);
            bars.add(new Bar(labels[i] + (v17 != null ? " (25)" : ""), opt(jdk25, keys[i]), bobbin));
            if (v17 != null) {
                bars.add(new Bar(labels[i] + " (17)", v17, bobbin));
            }
        }
        return labelled(title, yTitle, bars);
    }

    /** Requests/s of {@code prefix:kind:conns:rps} for each kind and both connection counts, Bobbin's on JDK 17 too. */
    private static CategoryChart rpsChart(String title, String prefix, Map<String, Value> jdk25, Map<String, Value> jdk17,
                                          String[][] kinds) {
        List<Bar> bars = new ArrayList<>();
        for (String conns : List.of("100", "1000")) {
            String n = conns.equals("100") ? "100 c." : "1k c.";
            for (String[] k : kinds) {
                boolean bobbin = k[1].startsWith("Bobbin");
                bars.add(new Bar(k[1] + ", " + n + (bobbin ? " (25)" : ""), opt(jdk25, prefix + k[0] + ":" + conns + ":rps"), bobbin));
                if (bobbin) {
                    bars.add(new Bar(k[1] + ", " + n + " (17)", opt(jdk17, prefix + k[0] + ":" + conns + ":rps"), true));
                }
            }
        }
        CategoryChart c = labelled(title, "requests/s", bars);
        c.getStyler().setDecimalPattern("#,##0");
        return c;
    }

    private static CategoryChart echoChart(Map<String, Value> jdk25, Map<String, Value> jdk17) {
        return rpsChart("7. TCP echo on loopback, one loop (requests/s, higher is better)", "Echo:", jdk25, jdk17,
                new String[][] {{"bobbin", "Bobbin"}, {"virtual", "VT/conn."}, {"platform", "thread/conn."}, {"nio", "NIO loop"}});
    }

    private static CategoryChart groupEchoChart(Map<String, Value> jdk25, Map<String, Value> jdk17) {
        return rpsChart("9/11. TCP echo, loop groups (requests/s, higher is better)", "Echo:", jdk25, jdk17,
                new String[][] {{"group2", "Bobbin 2 loops"}, {"group1", "Bobbin 1 loop"}, {"virtual", "VT/conn."},
                    {"netty", "Netty"}});
    }

    private static CategoryChart httpChart(Map<String, Value> jdk25, Map<String, Value> jdk17) {
        return rpsChart("10. HTTP/1.1 keep-alive, wrk (requests/s, higher is better)", "Http:", jdk25, jdk17,
                new String[][] {{"bobbin", "Bobbin http demo"}, {"jdk", "JDK HttpServer+VT"}, {"netty", "Netty"}});
    }

    private static CategoryChart sleepersChart(Map<String, Value> jdk25, Map<String, Value> jdk17) {
        List<Bar> bars = new ArrayList<>();
        for (String[] m : new String[][] {{"spawn", "spawn ms"}, {"done", "done ms"}, {"peakHeap", "heap MB"}}) {
            bars.add(new Bar("Bobbin " + m[1] + " (25)", opt(jdk25, "Sleepers:task:" + m[0]), true));
            bars.add(new Bar("Bobbin " + m[1] + " (17)", opt(jdk17, "Sleepers:task:" + m[0]), true));
            bars.add(new Bar("VT " + m[1], opt(jdk25, "Sleepers:virtual:" + m[0]), false));
        }
        return labelled("4. 1,000,000 sleepers (0-1 s each): ms, and peak heap MB", "ms / MB", bars);
    }

    private static CategoryChart chainChart(Map<String, Value> jdk25, Map<String, Value> jdk17) {
        List<Bar> bars = new ArrayList<>();
        for (String[] j : new String[][] {{"25", null}, {"17", null}}) {
            Map<String, Value> m = j[0].equals("25") ? jdk25 : jdk17;
            bars.add(new Bar("Bobbin outside (" + j[0] + ")", optCpu(m, "ChainBench.instrumentedOutside"), true));
            bars.add(new Bar("Bobbin inside (" + j[0] + ")", optCpu(m, "ChainBench.instrumentedInside"), true));
            bars.add(new Bar("plain (" + j[0] + ")", optCpu(m, "ChainBench.plain"), false));
            bars.add(new Bar("plain inside (" + j[0] + ")", optCpu(m, "ChainBench.plainInside"), false));
        }
        return labelled("5. 10-deep call chain, not suspending (CPU ns per call)", "ns per call", bars);
    }

    private static CategoryChart ratioChart(Map<String, Value> jdk25) {
        CategoryChart c = chart("Bobbin / peer on JDK 25 against the goal (CPU-time ratio where measured)", "ratio");
        Map<String, double[]> pts = new LinkedHashMap<>();
        for (Row r : ROWS) {
            if (Double.isNaN(r.goal) || r.difference) {
                continue;
            }
            Value b = jdk25.get(r.bobbinKey);
            Value p = jdk25.get(r.peerKey);
            if (b == null || p == null || p.score == 0) {
                continue;
            }
            String label = shortLabel(r);
            Value cb = jdk25.get("Cpu:" + r.bobbinKey);
            Value cp = jdk25.get("Cpu:" + r.peerKey);
            double q = cb != null && cp != null && cp.score != 0 ? cb.score / cp.score : b.score / p.score;
            pts.putIfAbsent(label, new double[] {q, r.goal});
        }
        List<String> cats = new ArrayList<>(pts.keySet());
        List<Double> ratio = new ArrayList<>(), goal = new ArrayList<>();
        for (double[] x : pts.values()) {
            ratio.add(x[0]);
            goal.add(x[1]);
        }
        if (cats.isEmpty()) {
            cats.add("none");
            ratio.add(0.0);
            goal.add(0.0);
        }
        c.addSeries("Bobbin / peer", cats, ratio);
        c.addSeries("goal (at most; echo and http: at least)", cats, goal);
        c.getStyler().setDecimalPattern("0.00");
        c.getStyler().setXAxisLabelRotation(30);
        return c;
    }

    private static String shortLabel(Row r) {
        String b = r.benchmark;
        if (b.startsWith("1.")) {
            return "switch " + b.replaceAll(".*depth (\\d+).*", "d$1");
        }
        if (b.startsWith("3.")) {
            return b.contains("task") ? "memory task" : "memory cont.";
        }
        if (b.startsWith("2.")) {
            return "task switch";
        }
        if (b.startsWith("4.")) {
            return b.contains("heap") ? "1M heap" : "1M done";
        }
        if (b.startsWith("6.")) {
            return "pool bridge";
        }
        if (b.startsWith("9.")) {
            return "group echo " + (b.contains("1,000") ? "1k" : "100") + (r.peerKey.contains("netty") ? " /Netty" : " /VT");
        }
        if (b.startsWith("10.")) {
            return "http " + (b.contains("1,000") ? "1k" : "100") + (r.peerKey.contains("netty") ? " /Netty" : " /JDK");
        }
        if (b.startsWith("7.")) {
            return "echo " + (b.contains("1,000") ? "1k" : "100") + (r.peerKey.contains("nio") ? " /nio" : " /VT");
        }
        if (b.startsWith("5.")) {
            return b.contains("outside") ? "chain outside" : "chain inside";
        }
        if (b.startsWith("12.")) {
            return "ping-pong 1 loop";
        }
        if (b.startsWith("13.")) {
            return "mutex";
        }
        if (b.startsWith("14.")) {
            return "fan-out";
        }
        if (b.startsWith("17.")) {
            return b.contains("p50") ? "lateness p50" : "lateness p99";
        }
        return b.length() > 18 ? b.substring(0, 18) : b;
    }

    private static void writeGrid(List<CategoryChart> charts, Path file) throws IOException {
        int cols = 2;
        int rows = (charts.size() + cols - 1) / cols;
        int w = charts.get(0).getWidth();
        int h = charts.get(0).getHeight();
        BufferedImage grid = new BufferedImage(cols * w, rows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            BufferedImage img = BitmapEncoder.getBufferedImage(charts.get(i));
            g.drawImage(img, (i % cols) * w, (i / cols) * h, null);
        }
        g.dispose();
        ImageIO.write(grid, "png", file.toFile());
    }

    // ---- reading -------------------------------------------------------------------------

    static Map<String, Value> read(Path tsv) throws IOException {
        Map<String, Value> m = new LinkedHashMap<>();
        if (!Files.exists(tsv)) {
            return m;
        }
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            m.put(f[0], new Value(Double.parseDouble(f[1]), Double.parseDouble(f[2]), f[3]));
        }
        return m;
    }

    private static String readEnv(Path p) throws IOException {
        return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
    }

    private static String cpuCell(Row r, Map<String, Value> jdk25, Map<String, Value> jdk17) {
        Value b = jdk25.get("Cpu:" + r.bobbinKey);
        Value p = jdk25.get("Cpu:" + r.peerKey);
        Value b17 = jdk17.get("Cpu:" + r.bobbinKey);
        if (b == null && b17 == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        if (b != null) {
            s.append(fmt(b.score));
            if (p != null && p.score != 0) {
                s.append(" / ").append(fmt(p.score)).append(" ns = ").append(String.format(Locale.ROOT, "%.2f", b.score / p.score));
            } else {
                s.append(" ns");
            }
        }
        if (b17 != null) {
            s.append("; 17: ").append(fmt(b17.score)).append(" ns");
        }
        return s.toString();
    }

    private static String cell(Value v) {
        if (v == null) {
            return "–";
        }
        String unit = v.unit.replace("ns/op", "ns").replace("B/unit", "B");
        if (v.error > 0 && !Double.isNaN(v.error)) {
            return fmt(v.score) + " ± " + fmt(v.error) + " " + unit;
        }
        return fmt(v.score) + " " + unit;
    }

    static String fmt(double d) {
        if (Math.abs(d) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", d);
        }
        if (Math.abs(d) >= 10) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        return String.format(Locale.ROOT, "%.2f", d);
    }
}
