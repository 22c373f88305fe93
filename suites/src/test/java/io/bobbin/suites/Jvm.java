package io.bobbin.suites;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a JVM of its own: this JVM's java, a class path of extra jars then this test's own. */
final class Jvm {
    private Jvm() {}

    /** This test's class path (Surefire's own, not its booter jar's). */
    static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
    }

    static String agentJar() {
        String agent = System.getProperty("bobbin.agent.jar");
        if (agent == null || !Files.isRegularFile(Paths.get(agent))) {
            throw new AssertionError("the packaged agent jar (system property bobbin.agent.jar): " + agent);
        }
        return agent;
    }

    /** The outcome of a run: exit value ({@code -1} when it timed out) and console (stdout and stderr). */
    static final class Result {
        final int exit;
        final String console;

        Result(int exit, String console) {
            this.exit = exit;
            this.console = console;
        }
    }

    static Result run(Path dir, List<Path> jarsFirst, List<String> jvmOptions, String mainClass, List<String> args,
                      long timeoutSeconds) throws Exception {
        Files.createDirectories(dir);
        List<String> cp = new ArrayList<>();
        jarsFirst.forEach(j -> cp.add(j.toAbsolutePath().toString()));
        cp.add(testClassPath());
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, cp));
        cmd.add(mainClass);
        cmd.addAll(args);
        Path console = dir.resolve("console.txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(console.toFile()).start();
        int exit;
        if (p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            exit = p.exitValue();
        } else {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            exit = -1;
        }
        return new Result(exit, Files.readString(console, StandardCharsets.UTF_8));
    }
}
