package io.bobbin.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Task;
import io.bobbin.internal.observe.EventLoopMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each loop's platform MBean, {@code io.bobbin:type=EventLoop,name=<loop>}: registered (shortly) after
 * the loop starts once the platform MBean server exists (Bobbin never builds it), gone once the loop has ended, with the loop's counters as attributes and its dump as an
 * operation, as JConsole or VisualVM see them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopMBeanTest {
    static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    static ObjectName name(String loop) throws Exception {
        return new ObjectName("io.bobbin:type=EventLoop,name=" + loop);
    }

    /** Waits until {@code n} is registered (the registrar's thread does it soon after the loop starts). */
    static void awaitRegistered(ObjectName n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!SERVER.isRegistered(n)) {
            assertTrue(System.nanoTime() < deadline, n + " was never registered");
            Thread.sleep(5);
        }
    }

    @Test
    void aStartedLoopHasAnMBeanWithItsCountersAndDumpUntilItEnds() throws Exception {
        EventLoop loop = EventLoop.builder().name("jmx-one").slowStepThreshold(Duration.ofMillis(250)).start();
        ObjectName n = name("jmx-one");
        try {
            Task<Object> sleeper = loop.spawn(() -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            });
            TaskStackTraceTest.awaitSuspended(sleeper);
            awaitRegistered(n);
            assertEquals("jmx-one", SERVER.getAttribute(n, "Name"));
            assertEquals("jmx-one", SERVER.getAttribute(n, "ThreadName"));
            assertEquals(1, SERVER.getAttribute(n, "LiveTasks"));
            assertEquals(1, SERVER.getAttribute(n, "Timers"));
            assertEquals(0, SERVER.getAttribute(n, "ReadyNow"));
            assertEquals(250L, SERVER.getAttribute(n, "SlowStepThresholdMillis"));
            assertEquals(0L, SERVER.getAttribute(n, "SlowSteps"));
            assertTrue((Long) SERVER.getAttribute(n, "StepsRun") >= 1);
            assertTrue((Long) SERVER.getAttribute(n, "Turns") >= 1);
            String dump = (String) SERVER.invoke(n, "dump", new Object[0], new String[0]);
            assertTrue(dump.startsWith("Event loop jmx-one on thread \"jmx-one\""), dump);
            assertTrue(dump.contains("\n\"jmx-one/task-1\" waiting: sleep until "), dump);
            assertTrue(dump.contains("\n\tat io.bobbin.Async.sleep(Async.java:"), dump);

            EventLoopMXBean proxy = JMX.newMXBeanProxy(SERVER, n, EventLoopMXBean.class);
            assertEquals(1, proxy.getLiveTasks());
            assertTrue(proxy.dump().contains("\"jmx-one/task-1\" waiting"));
        } finally {
            loop.close();
        }
        assertFalse(SERVER.isRegistered(n), "unregistered as the loop ended");
    }

    @Test
    void loopsOfTheSameNameAreNumberedAndAnOddNameIsQuoted() throws Exception {
        EventLoop a = EventLoop.builder().name("jmx-twin").start();
        EventLoop b = EventLoop.builder().name("jmx-twin").start();
        EventLoop odd = EventLoop.builder().name("jmx, \"odd\"=name").start();
        try {
            ObjectName first = name("jmx-twin");
            ObjectName second = name("jmx-twin#2");
            ObjectName quoted = new ObjectName("io.bobbin:type=EventLoop,name=" + ObjectName.quote("jmx, \"odd\"=name"));
            awaitRegistered(first);
            awaitRegistered(second);
            awaitRegistered(quoted);
            assertEquals("jmx-twin", SERVER.getAttribute(second, "Name"));
            assertEquals("jmx, \"odd\"=name", SERVER.getAttribute(quoted, "Name"));
            a.close(); // the two loops' threads registered in either order: one name is a's, the other b's
            assertEquals(1, (SERVER.isRegistered(first) ? 1 : 0) + (SERVER.isRegistered(second) ? 1 : 0), "b's stays");
            b.close();
            assertFalse(SERVER.isRegistered(first) || SERVER.isRegistered(second));
        } finally {
            a.close();
            b.close();
            odd.close();
        }
    }

    @Test
    void noMBeanOutlivesItsLoopEvenForLoopsTooShortToBeRegistered() throws Exception {
        for (int i = 0; i < 50; i++) {
            EventLoop.builder().name("jmx-short-" + i).run(() -> null);
        }
        EventLoop marker = EventLoop.builder().name("jmx-marker").start(); // registered after every earlier request
        try {
            awaitRegistered(name("jmx-marker"));
            Set<ObjectName> left = SERVER.queryNames(new ObjectName("io.bobbin:type=EventLoop,name=jmx-short-*"), null);
            assertEquals(Set.of(), left);
        } finally {
            marker.close();
        }
        assertFalse(SERVER.isRegistered(name("jmx-marker")));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void bobbinNeverBuildsTheMBeanServerButRegistersItsLoopsOnceItExists() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + System.getProperty("bobbin.agent.jar"), "-cp", System.getProperty("java.class.path"),
                JmxLateMain.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(List.of("MBean servers before: 0", "registered: true, live tasks 1", "after close: false"),
                List.of(out.strip().split("\\R")), out);
    }

    @Test
    void aLoopRunOnTheCallingThreadHasOneWhileItRuns() throws Exception {
        ObjectName n = name("jmx-run");
        Object seen = EventLoop.builder().name("jmx-run").run(() -> {
            for (int i = 0; i < 1000 && !SERVER.isRegistered(n); i++) {
                Async.sleep(Duration.ofMillis(10));
            }
            return SERVER.getAttribute(n, "ThreadName");
        });
        assertEquals(Thread.currentThread().getName(), seen);
        assertFalse(SERVER.isRegistered(n));
    }
}
