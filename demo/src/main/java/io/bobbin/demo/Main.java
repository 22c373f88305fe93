package io.bobbin.demo;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo tour: {@code java -jar bobbin-demo.jar} lists the demos; {@code java -jar
 * bobbin-demo.jar NAME [options]} runs one. The jar starts the Bobbin agent itself
 * (Launcher-Agent-Class), and works under {@code -javaagent} as well.
 */
public final class Main {
    private Main() {}

    static Map<String, Demo> demos() {
        Map<String, Demo> all = new LinkedHashMap<>();
        for (Demo d : List.<Demo>of(new SimplestDemo())) {
            all.put(d.name(), d);
        }
        return all;
    }

    public static void main(String[] argv) throws Exception {
        System.exit(run(argv));
    }

    static int run(String[] argv) throws Exception {
        Map<String, Demo> demos = demos();
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h")) {
            System.out.println("Bobbin demos. Run one with: java -jar bobbin-demo.jar NAME [--help]");
            for (Demo d : demos.values()) {
                System.out.printf("  %-12s %s%n", d.name(), d.summary());
            }
            return 0;
        }
        Demo demo = demos.get(argv[0]);
        if (demo == null) {
            System.err.println("unknown demo '" + argv[0] + "'; the demos are: " + String.join(", ", demos.keySet()));
            return 2;
        }
        Args args;
        try {
            args = new Args(Arrays.asList(argv).subList(1, argv.length), Set.of(), Set.of());
        } catch (Args.UsageException e) {
            System.err.println(demo.name() + ": " + e.getMessage());
            return 2;
        }
        if (args.help) {
            System.out.println(demo.name() + ": " + demo.summary());
            return 0;
        }
        return demo.run(args);
    }
}
