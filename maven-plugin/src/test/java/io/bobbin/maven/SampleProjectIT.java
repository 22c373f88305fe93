package io.bobbin.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The plugin as a user runs it: a Maven build of the sample project ({@code src/it/sample}, copied
 * to {@code target/it/sample} with this version filled in), offline, against the local repository
 * of this build, into which the build installed the plugin, the agent, the runtime and the parent
 * pom (see this module's pom). The sample's tests suspend without {@code -javaagent}; a second build
 * finds every class up to date.
 */
class SampleProjectIT {
    static final Path SAMPLE = Paths.get(System.getProperty("bobbin.it.sample", "target/it/sample"));

    static String mvn(String... args) throws IOException, InterruptedException {
        String home = System.getProperty("bobbin.it.maven.home");
        String mvn = home != null && !home.isEmpty()
                ? Paths.get(home, "bin", File.separatorChar == '\\' ? "mvn.cmd" : "mvn").toString() : "mvn";
        List<String> cmd = new ArrayList<>(List.of(mvn, "-B", "-o", "-Dmaven.repo.local=" + System.getProperty("bobbin.it.repository")));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("sample-build", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(SAMPLE.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home")); // the JDK of this build
        Process p = pb.start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the sample build did not end in 240 s: " + cmd + "\n" + Files.readString(log));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        assertEquals(0, p.exitValue(), "the sample build failed: " + cmd + "\n" + out);
        return out;
    }

    static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    @Timeout(600)
    void theSampleProjectsTestsSuspendWithoutTheAgentAndASecondBuildRewritesNothing() throws Exception {
        delete(SAMPLE.resolve("target")); // rather than mvn clean: one plugin less to resolve offline
        String first = mvn("test");
        assertTrue(first.contains("[INFO] bobbin instrument: instrumented 2 of 2 classes looked at in "), first);
        assertTrue(first.contains("[INFO] bobbin instrument-tests: instrumented 1 of 1 classes looked at in "), first);
        assertTrue(first.contains("Tests run: 3, Failures: 0, Errors: 0, Skipped: 0"), first);
        assertTrue(first.contains("BUILD SUCCESS"), first);
        Path steps = SAMPLE.resolve("target/classes/sample/Steps.class");
        byte[] before = Files.readAllBytes(steps);
        long time = Files.getLastModifiedTime(steps).toMillis();

        String second = mvn("test");
        assertTrue(second.contains("[INFO] bobbin instrument: 2 classes in "), second);
        assertTrue(second.contains("are up to date"), second);
        assertTrue(second.contains("Tests run: 3, Failures: 0, Errors: 0, Skipped: 0"), second);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(steps)));
        assertEquals(time, Files.getLastModifiedTime(steps).toMillis());
    }
}
