package io.bobbin.core;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.ByteBuddyAgent;

/** Run in a JVM of its own by {@link AgentProcessTest}: attaches the agent late, after suspendable code was loaded. */
public final class LateAttachMain {
    private LateAttachMain() {}

    public static void main(String[] args) throws Exception {
        LoadedEarly.touch();
        Instrumentation inst = ByteBuddyAgent.install();
        Class.forName("io.bobbin.agent.BobbinAgent")
                .getMethod("agentmain", String.class, Instrumentation.class)
                .invoke(null, "", inst);
        Drive.Outcome<Integer> o = Drive.run(LoadedEarly::work);
        System.out.println("late attach: value=" + o.value + " suspensions=" + o.suspensions);
    }
}
