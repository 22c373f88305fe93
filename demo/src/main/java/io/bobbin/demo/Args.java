package io.bobbin.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The options of one demo, parsed from its command line; anything it does not declare is a usage error. */
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

    Args(List<String> args, List<Option> options) throws UsageException {
        Map<String, Option> known = new HashMap<>();
        for (Option o : options) {
            known.put(o.name(), o);
        }
        boolean h = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String inline = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) { // --port=7000 as well as --port 7000
                inline = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            Option o = known.get(a);
            if (a.equals("--help") || a.equals("-h")) {
                h = true;
            } else if (o == null) {
                throw new UsageException("unknown option '" + args.get(i) + "'"
                        + (known.isEmpty() ? " (this demo takes no options)" : ""));
            } else if (o.isFlag()) {
                if (inline != null) {
                    throw new UsageException("option " + a + " takes no value");
                }
                values.put(a, "true");
            } else if (inline != null) {
                values.put(a, inline);
            } else if (i + 1 < args.size()) {
                values.put(a, args.get(++i));
            } else {
                throw new UsageException("option " + a + " needs a value (" + o.value() + ")");
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

    /** A whole number between {@code min} and {@code max}. */
    int getInt(String name, int otherwise, int min, int max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return otherwise;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option " + name + " needs a whole number, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException("option " + name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }
}
