package io.bobbin.internal.observe;

import io.bobbin.internal.util.Logs;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers each live loop's {@link EventLoopMXBean} in the platform MBean server, as {@code
 * io.bobbin:type=EventLoop,name=<loop name>} ({@code <loop name>#2}, {@code #3}... when loops share a
 * name), and takes it out when the loop ends.
 *
 * <p>Bobbin never builds the platform MBean server itself: that costs a few hundred milliseconds of
 * CPU and a few megabytes, which a program that nobody watches should not pay. It registers its loops
 * once the server exists: at once if it does when a loop starts (the program uses JMX, or runs with
 * {@code -Dcom.sun.management.jmxremote}), otherwise as soon as it appears, which is what happens when
 * JConsole or VisualVM attach to the process (their local attach starts the JVM's management agent).
 *
 * <p>The registering is done by one daemon thread, {@value #THREAD_NAME}, which runs while loops wait
 * to be registered: it looks for the server once a second until it appears (a loop costs nothing more
 * meanwhile than its place in a set), then registers what waits, and retires when idle. Unregistering is synchronous: once a loop has ended, its MBean is gone;
 * a loop that ends before its registration is never registered. A JVM without {@code
 * java.management}, or whose MBean server refuses, has no loop MBeans (reported once).
 *
 * <p>Threads: {@link #register} and {@link Registration#end()} from the loops' threads; the rest on
 * the registering thread. The shared state is guarded by {@link #LOCK}; each registration's by itself.
 */
final class Jmx {
    static final String DOMAIN = "io.bobbin";
    static final String THREAD_NAME = "bobbin-jmx";
    /** How often the registering thread looks for the platform MBean server while loops wait for it. */
    static final long LOOK_MILLIS = 1000;
    /** How long the registering thread stays with nothing to do before it retires. */
    static final long IDLE_MILLIS = 5000;
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("java.management").isPresent();
    private static final AtomicBoolean FAILURE_REPORTED = new AtomicBoolean();

    private static final Object LOCK = new Object();
    /** Live loops not registered yet, oldest first; a loop that ends takes itself out. Guarded by {@link #LOCK}. */
    private static final Set<Registration> WAITING = new LinkedHashSet<>();
    /** The platform MBean server, once it has been seen to exist. Guarded by {@link #LOCK}. */
    private static MBeanServer platform;
    /** The registering thread, while it runs. Guarded by {@link #LOCK}. */
    private static Thread thread;

    private Jmx() {}

    /** One loop's MBean, registered soon, or once the platform MBean server exists, or never if the loop ends first. */
    static Registration register(String loopName, EventLoopMXBean bean) {
        Registration r = new Registration(loopName, bean);
        if (!AVAILABLE) {
            return r;
        }
        synchronized (LOCK) {
            WAITING.add(r);
            if (thread == null) {
                thread = new Thread(Jmx::run, THREAD_NAME);
                thread.setDaemon(true);
                thread.start();
            } else if (platform != null || serverExists()) {
                LOCK.notifyAll(); // without a server, the thread's next look (within a second) is soon enough
            }
        }
        return r;
    }

    /** The registering thread: registers what waits once the server exists; retires when idle. */
    private static void run() {
        try {
            long idleSince = System.nanoTime();
            while (true) {
                List<Registration> todo;
                MBeanServer server;
                synchronized (LOCK) {
                    if (WAITING.isEmpty()) {
                        if (System.nanoTime() - idleSince > TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS)) {
                            thread = null;
                            return;
                        }
                        LOCK.wait(IDLE_MILLIS);
                        continue;
                    }
                    if (platform == null && serverExists()) {
                        platform = ManagementFactory.getPlatformMBeanServer(); // exists: this only hands it out
                    }
                    if (platform == null) {
                        LOCK.wait(LOOK_MILLIS);
                        continue;
                    }
                    server = platform;
                    todo = new ArrayList<>(WAITING);
                    WAITING.clear();
                }
                for (Registration r : todo) {
                    r.registerIn(server); // outside the lock: a loop may end meanwhile
                }
                idleSince = System.nanoTime();
            }
        } catch (InterruptedException e) {
            synchronized (LOCK) {
                thread = null;
            }
        } catch (RuntimeException | LinkageError e) {
            synchronized (LOCK) {
                thread = null;
            }
            failed("the MBeans of event loops could not be registered", e);
        }
    }

    /** Whether an MBean server exists (the platform's is made through the same factory). Cheap: a list copied under a lock. */
    private static boolean serverExists() {
        return !MBeanServerFactory.findMBeanServer(null).isEmpty();
    }

    private static void failed(String what, Throwable e) {
        if (FAILURE_REPORTED.compareAndSet(false, true)) {
            Logs.LOOP.log(System.Logger.Level.WARNING, what + "; no other will be tried. EventLoop.dump() and stats()"
                    + " still work", e);
        }
    }

    /** The name a loop's MBean gets: the loop's name, quoted if it holds characters an object name may not. */
    static ObjectName objectName(String loopName) throws MalformedObjectNameException {
        boolean plain = !loopName.isEmpty() && loopName.chars().noneMatch(c -> ",=:\"*?\n\\".indexOf(c) >= 0)
                && loopName.strip().equals(loopName);
        return new ObjectName(DOMAIN + ":type=EventLoop,name=" + (plain ? loopName : ObjectName.quote(loopName)));
    }

    /** One loop's registration. Guarded by itself. */
    static final class Registration {
        private final String loopName;
        private final EventLoopMXBean bean;
        private MBeanServer server;
        private ObjectName name;
        private boolean ended;

        Registration(String loopName, EventLoopMXBean bean) {
            this.loopName = loopName;
            this.bean = bean;
        }

        /** The registering thread: registers the MBean, unless the loop has ended. */
        synchronized void registerIn(MBeanServer s) {
            if (ended || FAILURE_REPORTED.get()) {
                return;
            }
            try {
                ObjectName base = objectName(loopName);
                for (int k = 1; ; k++) {
                    ObjectName n = k == 1 ? base : objectName(loopName + "#" + k);
                    try {
                        s.registerMBean(bean, n);
                        server = s;
                        name = n;
                        return;
                    } catch (InstanceAlreadyExistsException e) {
                        // another loop of that name runs: try the next number
                    }
                }
            } catch (Exception | LinkageError e) {
                failed("the MBean of event loop " + loopName + " could not be registered", e);
            }
        }

        /** The loop's thread, as the loop ends: the MBean is unregistered before this returns. */
        void end() {
            synchronized (LOCK) { // one lock at a time
                WAITING.remove(this);
            }
            synchronized (this) {
                ended = true;
                unregister();
            }
        }

        private void unregister() {
            if (name != null) {
                try {
                    server.unregisterMBean(name);
                } catch (InstanceNotFoundException e) {
                    // someone else took it out
                } catch (Exception e) {
                    Logs.LOOP.log(System.Logger.Level.WARNING, "the MBean " + name + " could not be unregistered", e);
                }
                name = null;
            }
        }
    }
}
