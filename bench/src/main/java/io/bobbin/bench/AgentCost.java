package io.bobbin.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Benchmark 8, agent cost, each measured in fresh JVMs with and without {@code -javaagent}:
 * <ul>
 *   <li>start-up: wall time of {@link Hello} (a small program), median of {@value #RUNS} runs each way,
 *       alternating;</li>
 *   <li>class loading: {@link #loadClasses} loads every class of the benchmark jar's libraries
 *       (JMH, XChart and this package, about 600) without initializing them; the agent looks at
 *       every one and instruments those with suspendable methods. Reported as the agent's extra time
 *       per class and the classes per second it gets through, and as the CPU time of the loading
 *       thread (where the agent works), which other processes on the machine do not inflate.</li>
 * </ul>
 */
public final class AgentCost {
    static final int RUNS = 5;

    private AgentCost() {}

    /** A small program: a few collections, a stream, a lambda, some output. */
    public static final class Hello {
        public static void main(String[] args) {
            TreeMap<String, Integer> m = new TreeMap<>();
            for (String w : "the quick brown fox jumps over the lazy dog".split(" ")) {
                m.merge(w, 1, Integer::sum);
            }
            System.out.println(m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .reduce((a, b) -> a + "," + b).orElse(""));
        }
    }

    /** Loads every class under the given prefixes from the benchmark jar; prints RESULT count, wall millis, the agent's counts, CPU millis of this thread. */
    static void loadClasses() throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile jar = new JarFile(Main.selfJar())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String n = e.nextElement().getName();
                if (n.endsWith(".class") && !n.contains("module-info") && !n.startsWith("META-INF")
                        && (n.startsWith("org/openjdk/jmh/") || n.startsWith("org/knowm/") || n.startsWith("io/bobbin/bench/"))) {
                    names.add(n.substring(0, n.length() - 6).replace('/', '.'));
                }
            }
        }
        ClassLoader cl = AgentCost.class.getClassLoader();
        int loaded = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (String n : names) {
            try {
                Class.forName(n, false, cl);
                loaded++;
            } catch (Throwable t) {
                // optional dependencies missing: skip
            }
        }
        long t1 = System.nanoTime();
        long c1 = threads.getCurrentThreadCpuTime();
        String counts = "";
        try {
            int[] c = (int[]) Class.forName("io.bobbin.agent.BobbinAgent").getMethod("counts").invoke(null);
            counts = c[0] + "/" + c[1] + "/" + c[2];
        } catch (ReflectiveOperationException e) {
            counts = "?";
        }
        // The agent transforms on the loading thread: its CPU time is the agent's cost without the noise
        // of other processes (the JIT compiles on threads of its own).
        System.out.printf(Locale.ROOT, "RESULT\tload\t%d\t%.1f\t%s\t%.1f%n", loaded, (t1 - t0) / 1e6, counts, (c1 - c0) / 1e6);
    }

    /** Runs the measurements in child JVMs; returns rows key -> value for results.tsv. */
    static TreeMap<String, String> measure() throws Exception {
        TreeMap<String, String> rows = new TreeMap<>();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Main.selfJar();
        long[][] t = new long[2][RUNS];
        for (int i = 0; i < RUNS + 1; i++) {
            for (int a = 0; a < 2; a++) {
                List<String> cmd = new ArrayList<>(List.of(java));
                if (a == 1) {
                    cmd.add("-javaagent:" + jar);
                }
                cmd.addAll(List.of("-cp", jar, Hello.class.getName()));
                long s = System.nanoTime();
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("Hello failed: " + cmd);
                }
                long e = System.nanoTime() - s;
                if (i > 0) {
                    t[a][i - 1] = e; // the first round warms the file cache
                }
            }
        }
        double plain = median(t[0]) / 1e6;
        double agent = median(t[1]) / 1e6;
        rows.put("Agent:startupPlain", String.format(Locale.ROOT, "%.1f\t0\tms", plain));
        rows.put("Agent:startupAgent", String.format(Locale.ROOT, "%.1f\t0\tms", agent));
        System.out.printf(Locale.ROOT, "agent start-up: %.1f ms without, %.1f ms with the agent%n", plain, agent);

        double[] ms = new double[2];
        double[] cpu = new double[2];
        int count = 0;
        String counts = "";
        for (int a = 0; a < 2; a++) {
            double[] runs = new double[3];
            double[] cpuRuns = new double[3];
            for (int i = 0; i < runs.length; i++) {
                String line = Main.runChild(List.of(), a == 1, "load-classes");
                String[] f = line.split("\t");
                count = Integer.parseInt(f[2]);
                runs[i] = Double.parseDouble(f[3]);
                cpuRuns[i] = Double.parseDouble(f[5]);
                if (a == 1) {
                    counts = f[4];
                }
            }
            Arrays.sort(runs);
            Arrays.sort(cpuRuns);
            ms[a] = runs[1];
            cpu[a] = cpuRuns[1];
        }
        rows.put("Agent:loadPlainCpuMs", String.format(Locale.ROOT, "%.1f\t0\tms", cpu[0]));
        rows.put("Agent:loadAgentCpuMs", String.format(Locale.ROOT, "%.1f\t0\tms", cpu[1]));
        double perClassUs = (ms[1] - ms[0]) * 1000 / count;
        rows.put("Agent:loadPlainMs", String.format(Locale.ROOT, "%.1f\t0\tms", ms[0]));
        rows.put("Agent:loadAgentMs", String.format(Locale.ROOT, "%.1f\t0\tms", ms[1]));
        rows.put("Agent:classes", String.format(Locale.ROOT, "%d\t0\tclasses", count));
        rows.put("Agent:usPerClass", String.format(Locale.ROOT, "%.2f\t0\tus", perClassUs));
        rows.put("Agent:classesPerSecond", String.format(Locale.ROOT, "%.0f\t0\tclasses/s",
                perClassUs > 0 ? 1e6 / perClassUs : 0));
        System.out.printf(Locale.ROOT, "agent class loading: %d classes in %.1f ms without, %.1f ms with the agent"
                + " (%.1f us more each; instrumented classes/methods/points: %s); CPU time of the loading thread %.1f ms"
                + " without, %.1f ms with%n", count, ms[0], ms[1], perClassUs, counts, cpu[0], cpu[1]);
        return rows;
    }

    private static double median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
