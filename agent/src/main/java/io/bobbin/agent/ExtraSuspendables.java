package io.bobbin.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Suspendable methods named without annotations, for code a user cannot edit (a library's interface,
 * {@code Callable}-like types). One entry a line; {@code #} starts a comment:
 * <pre>
 * com.example.Handler.handle                  every method of that name in the class
 * com.example.Handler.handle(Ljava/lang/String;)V   one method, by JVM descriptor
 * com.example.Handler.*                       every method declared in the class
 * com.example.**                              every method of every class in the package and its subpackages
 * </pre>
 * The same format is read from the agent's {@code suspendables=FILE} option and from every
 * {@code META-INF/bobbin/suspendables} resource of the application's class loaders. What a named
 * method marks is inherited by its overrides and implementations, as with {@code @Suspendable}.
 */
final class ExtraSuspendables {
    static final String RESOURCE = "META-INF/bobbin/suspendables";

    /** Entries as {@code owner.name}, {@code owner.name(desc)} or {@code owner.*}, owner in internal form. */
    private final Set<String> entries = new HashSet<>();
    private final Set<String> owners = new HashSet<>();
    /** Package prefixes, in internal form with a trailing slash. */
    private final List<String> packages = new ArrayList<>();

    ExtraSuspendables() {}

    ExtraSuspendables(ExtraSuspendables base) {
        entries.addAll(base.entries);
        owners.addAll(base.owners);
        packages.addAll(base.packages);
    }

    boolean isEmpty() {
        return entries.isEmpty() && packages.isEmpty();
    }

    /** Parses entries; {@code source} names where they came from, for error messages. */
    void parse(Reader in, String source) throws IOException {
        BufferedReader r = new BufferedReader(in);
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.endsWith(".**") && line.length() > 3 && !line.contains("/") && !line.contains(" ")) {
                packages.add(line.substring(0, line.length() - 3).replace('.', '/') + "/");
                continue;
            }
            int paren = line.indexOf('(');
            String head = paren >= 0 ? line.substring(0, paren) : line;
            String desc = paren >= 0 ? line.substring(paren) : "";
            int dot = head.lastIndexOf('.');
            if (dot <= 0 || dot == head.length() - 1 || head.contains("/") || line.contains(" ")) {
                throw new IllegalArgumentException(source + ":" + n + ": expected class.method, class.method(descriptor),"
                        + " class.* or package.**, got '" + line + "'");
            }
            String owner = head.substring(0, dot).replace('.', '/');
            String method = head.substring(dot + 1);
            entries.add(owner + "." + method + desc);
            owners.add(owner);
        }
    }

    void parse(String text, String source) {
        try {
            parse(new StringReader(text), source);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds every {@link #RESOURCE} the loader can see; a bad line is reported, and it and the rest of its resource skipped. */
    void addResources(ClassLoader loader) {
        try {
            var urls = loader != null ? loader.getResources(RESOURCE) : ClassLoader.getSystemResources(RESOURCE);
            while (urls.hasMoreElements()) {
                var url = urls.nextElement();
                try (InputStream in = url.openStream()) {
                    parse(new InputStreamReader(in, StandardCharsets.UTF_8), url.toString());
                } catch (IllegalArgumentException e) {
                    // The message says where: the resource and the line.
                    Log.warn(e.getMessage() + "; that line and the rest of the resource are ignored, so the methods they"
                            + " name are not made suspendable: fix the line");
                } catch (IOException e) {
                    Log.warn("suspendables resource " + url + " cannot be read (" + e + "), so the methods it names are"
                            + " not made suspendable; check the jar or directory it comes from");
                }
            }
        } catch (IOException e) {
            Log.warn("the " + RESOURCE + " resources of class loader " + (loader == null ? "bootstrap" : loader)
                    + " cannot be listed (" + e
                    + "), so the methods they name are not made suspendable; name them in a suspendables=FILE agent option");
        }
    }

    /** Prefixes of {@link SuspendableIndex#isPlatformClass}: the JDK's packages. */
    private static final String[] PLATFORM = {"java/", "javax/", "jdk/", "sun/", "com/sun/"};

    /**
     * Whether an entry may name a JDK class (an interface a user wants suspendable, such as
     * {@code java.util.function.Function.apply}): only then can a JDK type have suspendable methods.
     */
    boolean mentionsPlatform() {
        for (String o : owners) {
            if (SuspendableIndex.isPlatformClass(o)) {
                return true;
            }
        }
        for (String p : packages) {
            for (String q : PLATFORM) {
                if (p.startsWith(q) || q.startsWith(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean mentions(String owner) {
        return owners.contains(owner) || inPackages(owner);
    }

    private boolean inPackages(String owner) {
        for (String p : packages) {
            if (owner.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    boolean matches(String owner, String name, String desc) {
        if (name.startsWith("<")) {
            return false;
        }
        if (inPackages(owner)) {
            return true;
        }
        return owners.contains(owner) && entries.contains(owner + ".*") || entries.contains(owner + "." + name)
                || entries.contains(owner + "." + name + desc);
    }
}
