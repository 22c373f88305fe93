package io.bobbin.core;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * Run in a JVM of its own by {@link AgentProcessTest}: the agent is attached late through an
 * {@link Instrumentation} that cannot retransform (as for an agent jar without
 * {@code Can-Retransform-Classes}), so the marked class loaded before it stays as it was.
 */
public final class NotRetransformedMain {
    private NotRetransformedMain() {}

    public static void main(String[] args) throws Exception {
        LoadedEarly.touch();
        Instrumentation real = ByteBuddyAgent.install();
        Instrumentation noRetransform = (Instrumentation) Proxy.newProxyInstance(
                NotRetransformedMain.class.getClassLoader(), new Class<?>[] {Instrumentation.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "isModifiableClass":
                            return false;
                        case "isRetransformClassesSupported":
                            return false;
                        case "retransformClasses":
                            throw new UnsupportedOperationException("retransformation is not supported");
                        default:
                            try {
                                return m.invoke(real, a);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                    }
                });
        Class.forName("io.bobbin.agent.BobbinAgent")
                .getMethod("agentmain", String.class, Instrumentation.class)
                .invoke(null, "", noRetransform);
        try {
            Drive.Outcome<Integer> o = Drive.run(LoadedEarly::work);
            System.out.println("late attach: value=" + o.value + " suspensions=" + o.suspensions);
        } catch (IllegalStateException e) {
            System.out.println("late attach: " + e.getMessage());
        }
    }
}
