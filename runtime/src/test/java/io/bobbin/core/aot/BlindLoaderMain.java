package io.bobbin.core.aot;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;

/**
 * Loads {@code io.bobbin.blindlib} classes from the folder given, through a loader whose parent is the
 * platform loader: it cannot see the runtime. Run under the agent with {@code all=io.bobbin.blindlib},
 * as a user trying the agent over a library would.
 */
public final class BlindLoaderMain {
    private BlindLoaderMain() {}

    public static void main(String[] args) throws Exception {
        try (URLClassLoader library = new URLClassLoader(new URL[] {Paths.get(args[0]).toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            for (String name : new String[] {"io.bobbin.blindlib.Greeter", "io.bobbin.blindlib.Counter"}) {
                Object result = library.loadClass(name).getMethod("run", String.class).invoke(null, "world");
                System.out.println(name + ": " + result);
            }
        }
    }
}
