package io.bobbin.demo;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo tour: {@code java -jar bobbin-demo.jar} lists the demos; {@code java -jar
 * bobbin-demo.jar NAME [options]} runs one; {@code NAME --help} shows its options. The jar starts
 * the Bobbin agent itself (Launcher-Agent-Class), and works under {@code -javaagent} as well.
 *
 * <p>Exit codes: 0 when a demo did what it shows, 2 for a bad command line, 1 when a demo failed
 * (the load generator: a request went unanswered).
 */
public final class Main {
    static final String JAR = "java -jar bobbin-demo.jar";

    private Main() {}

    /** The tour, in order. */
    static Map<String, Demo> demos() {
        Map<String, Demo> all = new LinkedHashMap<>();
        for (Demo d : List.<Demo>of(
                new SimplestDemo(),
                new SleepDemo(),
                new SpawnDemo(),
                new PoolDemo(),
                new SelectDemo(),
                new MixedDemo(),
                new StdinDemo(),
                new EchoServerDemo(),
                new LoadDemo(),
                new HttpDemo(),
                new DurableDemo(),
                new ChatDemo(),
                new DumpDemo())) {
            all.put(d.name(), d);
        }
        return all;
    }

    public static void main(String[] argv) throws Exception {
        int code = run(argv);
        System.out.flush();
        System.exit(code);
    }

    static int run(String[] argv) throws Exception {
        Map<String, Demo> demos = demos();
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h")) {
            System.out.println("Bobbin demos, in tour order. Run one with: " + JAR + " NAME [options]   (NAME --help: its options)");
            for (Demo d : demos.values()) {
                System.out.printf("  %-12s %s%n", d.name(), d.summary());
            }
            return 0;
        }
        Demo demo = demos.get(argv[0]);
        if (demo == null) {
            System.err.println("unknown demo '" + argv[0] + "'; the demos are: " + String.join(", ", demos.keySet()));
            System.err.println("run '" + JAR + "' with no arguments to list them");
            return 2;
        }
        try {
            Args args = new Args(Arrays.asList(argv).subList(1, argv.length), demo.options());
            if (args.help) {
                printHelp(demo);
                return 0;
            }
            return demo.run(args);
        } catch (Args.UsageException e) {
            System.err.println(demo.name() + ": " + e.getMessage());
            System.err.println("run '" + JAR + " " + demo.name() + " --help' for its options");
            return 2;
        }
    }

    static void printHelp(Demo demo) {
        System.out.println("usage: " + JAR + " " + demo.name() + (demo.options().isEmpty() ? "" : " [options]"));
        System.out.println("  " + demo.summary());
        System.out.println("options:");
        for (Option o : demo.options()) {
            String left = o.isFlag() ? o.name() : o.name() + " " + o.value();
            System.out.printf("  %-22s %s%n", left, o.help());
        }
        System.out.printf("  %-22s %s%n", "--help", "this help");
    }
}
