package io.bobbin.agent;

import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Pass 1, in torture mode only: a call to the runtime's {@code tortureSuspend()} at the entry of the
 * method. The later passes treat it as one more suspension point, so that every instrumented method
 * really suspends and resumes there.
 */
final class TorturePoint {
    private TorturePoint() {}

    static void insert(MethodNode m) {
        m.instructions.insert(MethodInstrumenter.invoke(RuntimeProtocol.TORTURE_SUSPEND));
    }

    /** Whether a call is the torture mode's suspension point. */
    static boolean isTorturePoint(MethodInsnNode call) {
        return call.owner.equals(RuntimeProtocol.TORTURE_SUSPEND.owner) && call.name.equals(RuntimeProtocol.TORTURE_SUSPEND.name)
                && call.desc.equals(RuntimeProtocol.TORTURE_SUSPEND.descriptor);
    }
}
