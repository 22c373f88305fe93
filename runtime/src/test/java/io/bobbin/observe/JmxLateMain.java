package io.bobbin.observe;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * Run in a JVM of its own by {@link LoopMBeanTest}: a loop that starts before anything in the process
 * has built the platform MBean server does not build it, and is registered once something else does
 * (as when JConsole attaches).
 */
public final class JmxLateMain {
    private JmxLateMain() {}

    public static void main(String[] args) throws Exception {
        EventLoop loop = EventLoop.builder().name("late").start();
        loop.spawn(() -> {
            Async.sleep(Duration.ofHours(1));
            return null;
        });
        Thread.sleep(1500);
        System.out.println("MBean servers before: " + MBeanServerFactory.findMBeanServer(null).size());
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.bobbin:type=EventLoop,name=late");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!server.isRegistered(name) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        System.out.println("registered: " + server.isRegistered(name) + ", live tasks " + server.getAttribute(name, "LiveTasks"));
        loop.close();
        System.out.println("after close: " + server.isRegistered(name));
    }
}
