package io.bobbin.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --flag} options of a demo; anything else is a usage error. */
final class Args {
    /** A bad command line: the message is printed and the process exits with 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private final Map<String, String> values = new HashMap<>();
    final boolean help;

    Args(List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
        boolean h = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--help") || a.equals("-h")) {
                h = true;
            } else if (flags.contains(a)) {
                values.put(a, "true");
            } else if (valued.contains(a)) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("option " + a + " needs a value");
                }
                values.put(a, args.get(++i));
            } else {
                throw new UsageException("unknown option '" + a + "'");
            }
        }
        help = h;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    String get(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    int getInt(String name, int otherwise) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("option " + name + " needs a whole number, got '" + v + "'");
        }
    }
}
