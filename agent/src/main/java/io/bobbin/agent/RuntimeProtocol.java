package io.bobbin.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The contract between the code the agent writes and the runtime that code calls: every class,
 * method, field, constant and annotation of the runtime that instrumented code names, spelled here
 * once. The rest of the agent names the runtime only through these constants.
 *
 * <p>The runtime's side of the contract is {@code io.bobbin.internal.cont.FrameStack} (its javadoc
 * describes the protocol), {@code io.bobbin.internal.cont.Instrumented} and {@code io.bobbin.Suspendable}.
 * The runtime's test {@code io.bobbin.core.RuntimeProtocolTest} checks, by reflection, that every
 * member {@link #members()} lists exists there with the same descriptor and static-ness, and that
 * the constants below equal the runtime's. This class is public and holds no ASM types for that test.
 */
public final class RuntimeProtocol {
    private RuntimeProtocol() {}

    /** How instrumented code reaches a member: by {@code invokevirtual}, {@code invokestatic} or {@code getfield}. */
    public enum MemberKind {
        METHOD,
        STATIC_METHOD,
        FIELD
    }

    /** A method or field of the runtime that instrumented code uses: owner in internal form, name, JVM descriptor. */
    public static final class Member {
        public final MemberKind kind;
        public final String owner;
        public final String name;
        public final String descriptor;

        private Member(MemberKind kind, String owner, String name, String descriptor) {
            this.kind = kind;
            this.owner = owner;
            this.name = name;
            this.descriptor = descriptor;
        }

        @Override
        public String toString() {
            return kind + " " + owner + "." + name + (kind == MemberKind.FIELD ? ":" : "") + descriptor;
        }
    }

    /** Every {@link Member} constant, in declaration order; filled as they are initialised, so declared first. */
    private static final List<Member> MEMBERS = new ArrayList<>();

    // ---- classes -----------------------------------------------------------------------------

    /**
     * The runtime's package that the agent never instruments: the frame store and its helpers, whose
     * code speaks the protocol by hand. Internal form, with a trailing slash.
     */
    public static final String INTERNAL_PACKAGE = "io/bobbin/internal/cont/";
    /** The one runtime class outside {@link #INTERNAL_PACKAGE} that the agent never instruments: its {@code suspend()} is the leaf. */
    public static final String CONTINUATION = "io/bobbin/Continuation";
    /** The frame store, in internal form: the owner of every member below. */
    public static final String FRAME_STACK = INTERNAL_PACKAGE + "FrameStack";
    public static final String FRAME_STACK_DESC = "L" + FRAME_STACK + ";";

    /** The annotation the agent puts on every method it instrumented; the runtime reads it by reflection. */
    public static final String INSTRUMENTED_DESC = "L" + INTERNAL_PACKAGE + "Instrumented;";
    /** {@code Instrumented.base()}: the method's first resume-point id ({@code int}). */
    public static final String INSTRUMENTED_BASE = "base";
    /** {@code Instrumented.fingerprint()}: a hash of the method's code and plan ({@code long}). */
    public static final String INSTRUMENTED_FINGERPRINT = "fingerprint";
    /** {@code Instrumented.source()}: the class's source file ({@code String}). */
    public static final String INSTRUMENTED_SOURCE = "source";
    /** {@code Instrumented.points()}: one entry per resume point ({@code String[]}), see {@code MethodMetadata.describe}. */
    public static final String INSTRUMENTED_POINTS = "points";
    /** Bits of a resume-point id that number the points of one method (the rest names the method). */
    public static final int POINT_BITS = MethodMetadata.POINT_BITS;
    /** The annotation that marks suspendable methods and types; the agent reads it from class bytes. */
    public static final String SUSPENDABLE_DESC = "Lio/bobbin/Suspendable;";

    // ---- constants the runtime defines too ---------------------------------------------------

    /** {@code FrameStack.mode}: normal execution. Instrumented code tests only for this value. */
    public static final int RUNNING = 0;
    /** {@code FrameStack.mode}: the leaf asked to suspend; every instrumented frame saves itself and returns. */
    public static final int CAPTURING = 1;
    /** {@code FrameStack.mode}: resuming; every instrumented frame restores itself and re-enters its saved call. */
    public static final int RESTORING = 2;
    /** Fault prefix: the method named after it was entered from a frame that is not a suspension point. */
    public static final char UNANCHORED = 'U';
    /** Fault prefix: the method named after it holds a monitor at a suspension point. */
    public static final char MONITOR = 'M';

    // ---- members of the frame store ----------------------------------------------------------

    /** The innermost frame store of the calling thread, or {@code null}: the first call of every prologue. */
    public static final Member CURRENT = staticMethod("current", "()" + FRAME_STACK_DESC);
    /** The current {@link #RUNNING}, {@link #CAPTURING} or {@link #RESTORING} mode. */
    public static final Member MODE = field("mode", "I");
    /** Takes the caller's arm on entry: {@code enter(methodId, UNANCHORED + name)} returns the fault, or {@code null}. */
    public static final Member ENTER = method("enter", "(ILjava/lang/String;)Ljava/lang/Object;");
    /** The whole prologue of a suspendable method without suspension points. */
    public static final Member ENTER_LEAF = staticMethod("enterLeaf", "()V");
    /** The torture mode's suspension point, called at the entry of every instrumented method. */
    public static final Member TORTURE_SUSPEND = staticMethod("tortureSuspend", "()V");
    /** Arms a suspendable call: {@code arm(fault, methodId of the callee)}. */
    public static final Member ARM = method("arm", "(Ljava/lang/Object;I)V");
    /** Arms a suspendable call made while holding a monitor: {@code armUnderMonitor(fault, MONITOR + name, methodId)}. */
    public static final Member ARM_UNDER_MONITOR = method("armUnderMonitor", "(Ljava/lang/Object;Ljava/lang/String;I)V");
    /** After a suspendable call returned, and at every exception handler. */
    public static final Member DISARM = method("disarm", "()V");
    /** The last thing a frame saves: the index of its suspension point. */
    public static final Member PUSH_POINT = method("pushPoint", "(I)V");
    /** The first thing a frame restores: the index of its suspension point. */
    public static final Member POP_POINT = method("popPoint", "()I");
    /** The exception a frame throws when it finds a resume point it does not have. */
    public static final Member BAD_RESUME_POINT =
            staticMethod("badResumePoint", "(Ljava/lang/String;I)Ljava/lang/IllegalStateException;");

    // Saving and restoring one value, by how it is kept. The push methods are static and take the
    // store last, so that the value already on the operand stack needs no swap.
    public static final Member PUSH_INT = staticMethod("pushInt", "(I" + FRAME_STACK_DESC + ")V");
    public static final Member PUSH_FLOAT = staticMethod("pushFloat", "(F" + FRAME_STACK_DESC + ")V");
    public static final Member PUSH_LONG = staticMethod("pushLong", "(J" + FRAME_STACK_DESC + ")V");
    public static final Member PUSH_DOUBLE = staticMethod("pushDouble", "(D" + FRAME_STACK_DESC + ")V");
    public static final Member PUSH_REF = staticMethod("pushRef", "(Ljava/lang/Object;" + FRAME_STACK_DESC + ")V");
    public static final Member POP_INT = method("popInt", "()I");
    public static final Member POP_FLOAT = method("popFloat", "()F");
    public static final Member POP_LONG = method("popLong", "()J");
    public static final Member POP_DOUBLE = method("popDouble", "()D");
    public static final Member POP_REF = method("popRef", "()Ljava/lang/Object;");

    /** Every member of the runtime that instrumented code calls or reads, each once, in declaration order. */
    public static List<Member> members() {
        return Collections.unmodifiableList(MEMBERS);
    }

    /**
     * What an arm carries for a method: the hash of its name and descriptor (so that overrides share
     * it), never 0, which means "no arm". {@code FrameStack.methodId} must compute the same value: the
     * runtime computes the ids of the calls it arms itself (the root {@code run()}, {@code suspend()},
     * {@code tortureSuspend()}) with it.
     */
    public static int methodId(String name, String descriptor) {
        int h = (name + descriptor).hashCode();
        return h == 0 ? 1 : h;
    }

    /** Whether the agent leaves a class (internal name) uninstrumented because it is the protocol's other side. */
    public static boolean isRuntimeInternal(String internalName) {
        return internalName.startsWith(INTERNAL_PACKAGE) || internalName.equals(CONTINUATION);
    }

    private static Member method(String name, String descriptor) {
        return add(new Member(MemberKind.METHOD, FRAME_STACK, name, descriptor));
    }

    private static Member staticMethod(String name, String descriptor) {
        return add(new Member(MemberKind.STATIC_METHOD, FRAME_STACK, name, descriptor));
    }

    private static Member field(String name, String descriptor) {
        return add(new Member(MemberKind.FIELD, FRAME_STACK, name, descriptor));
    }

    private static Member add(Member m) {
        MEMBERS.add(m);
        return m;
    }

    // ---- the runtime's own leaves ------------------------------------------------------------

    /**
     * The suspendable methods of {@link #CONTINUATION} that user code calls and that are leaves: left
     * uninstrumented, each takes on entry the arm that its instrumented caller set for it,
     * {@link #methodId methodId(name, descriptor)}, as every instrumented method does. Name followed by
     * descriptor. The agent treats a call to them as it treats any suspendable call; the runtime's
     * {@code RuntimeProtocolTest} checks that each exists, is marked, and that the runtime's ids for them
     * ({@code FrameStack.SUSPEND_ID}, {@code FrameStack.SUSPEND_VALUE_ID}) are these.
     */
    public static final List<String> CONTINUATION_LEAVES =
            List.of("suspend()V", "suspend(Ljava/lang/Object;)Ljava/lang/Object;");
}
