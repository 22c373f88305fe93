package io.bobbin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bobbin.agent.RuntimeProtocol;
import io.bobbin.agent.RuntimeProtocol.Member;
import io.bobbin.agent.RuntimeProtocol.MemberKind;
import io.bobbin.internal.cont.FrameStack;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The agent's side of the protocol ({@link RuntimeProtocol}) against the runtime's, by reflection:
 * a name, descriptor or constant that drifts on either side fails here rather than in instrumented
 * code at run time (as a {@code NoSuchMethodError}, or as a wrong suspension). The constants of both
 * sides are read by reflection: as compile-time constants they would otherwise be copied into this
 * class when it is compiled, and a test compiled earlier would compare stale copies.
 */
class RuntimeProtocolTest {
    @Test
    void everyMethodTheAgentCallsExistsInTheRuntimeWithItsDescriptorAndStaticness() throws ClassNotFoundException {
        List<String> problems = new ArrayList<>();
        int methods = 0;
        for (Member m : RuntimeProtocol.members()) {
            if (m.kind == MemberKind.FIELD) {
                continue;
            }
            methods++;
            Class<?> owner = runtimeClass(m.owner);
            List<String> found = new ArrayList<>();
            Method match = null;
            for (Method candidate : owner.getDeclaredMethods()) {
                if (candidate.getName().equals(m.name)) {
                    String desc = MethodType.methodType(candidate.getReturnType(), candidate.getParameterTypes())
                            .toMethodDescriptorString();
                    found.add(desc);
                    if (desc.equals(m.descriptor)) {
                        match = candidate;
                    }
                }
            }
            if (match == null) {
                problems.add(m + ": the runtime has no such method" + (found.isEmpty() ? "" : ", only " + found));
                continue;
            }
            boolean isStatic = Modifier.isStatic(match.getModifiers());
            if (isStatic != (m.kind == MemberKind.STATIC_METHOD)) {
                problems.add(m + ": the runtime's method is " + (isStatic ? "static" : "not static"));
            }
            if (!Modifier.isPublic(match.getModifiers()) || !Modifier.isPublic(owner.getModifiers())) {
                problems.add(m + ": the runtime's method is not public, so code in other packages cannot call it");
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(methods >= 20, "only " + methods + " methods enumerated");
    }

    @Test
    void everyFieldTheAgentReadsExistsInTheRuntimeWithItsType() throws ClassNotFoundException {
        List<String> problems = new ArrayList<>();
        int fields = 0;
        for (Member m : RuntimeProtocol.members()) {
            if (m.kind != MemberKind.FIELD) {
                continue;
            }
            fields++;
            Field f;
            try {
                f = runtimeClass(m.owner).getDeclaredField(m.name);
            } catch (NoSuchFieldException e) {
                problems.add(m + ": the runtime has no such field");
                continue;
            }
            if (!f.getType().descriptorString().equals(m.descriptor)) {
                problems.add(m + ": the runtime's field is of type " + f.getType().descriptorString());
            }
            if (Modifier.isStatic(f.getModifiers())) {
                problems.add(m + ": the runtime's field is static");
            }
            if (!Modifier.isPublic(f.getModifiers())) {
                problems.add(m + ": the runtime's field is not public, so code in other packages cannot read it");
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(fields >= 1, "no field enumerated");
    }

    @Test
    void theModesAndFaultPrefixesAreTheRuntimes() throws ReflectiveOperationException {
        for (String name : List.of("RUNNING", "CAPTURING", "RESTORING", "UNANCHORED", "MONITOR")) {
            assertEquals(constant(FrameStack.class, name), constant(RuntimeProtocol.class, name), name);
        }
        assertNotEquals(constant(RuntimeProtocol.class, "UNANCHORED"), constant(RuntimeProtocol.class, "MONITOR"));
    }

    @Test
    void theAgentComputesMethodIdsAsTheRuntimeDoes() throws ReflectiveOperationException {
        String[][] pairs = {
            {"run", "()V"},
            {"suspend", "()V"},
            {"tortureSuspend", "()V"},
            {"call", "()Ljava/lang/Object;"},
            {"handle", "(Ljava/lang/String;IJ[D)Ljava/util/List;"},
            {"", ""}, // hashes to 0, which means "no arm": both must avoid it
        };
        for (String[] p : pairs) {
            assertEquals(FrameStack.methodId(p[0], p[1]), RuntimeProtocol.methodId(p[0], p[1]), p[0] + p[1]);
            assertNotEquals(0, RuntimeProtocol.methodId(p[0], p[1]), p[0] + p[1]);
        }
        assertEquals(FrameStack.class.getField("SUSPEND_ID").getInt(null), RuntimeProtocol.methodId("suspend", "()V"));
        assertEquals(FrameStack.class.getField("SUSPEND_VALUE_ID").getInt(null),
                RuntimeProtocol.methodId("suspend", "(Ljava/lang/Object;)Ljava/lang/Object;"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theContinuationsLeavesAreMarkedPublicStaticAndLeftAsTheyAre() throws ReflectiveOperationException {
        List<String> leaves = (List<String>) constant(RuntimeProtocol.class, "CONTINUATION_LEAVES");
        assertEquals(2, leaves.size());
        Class<?> continuation = runtimeClass((String) constant(RuntimeProtocol.class, "CONTINUATION"));
        for (String leaf : leaves) {
            String name = leaf.substring(0, leaf.indexOf('('));
            String desc = leaf.substring(name.length());
            Method found = null;
            for (Method m : continuation.getDeclaredMethods()) {
                if (m.getName().equals(name)
                        && MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString().equals(desc)) {
                    found = m;
                }
            }
            assertTrue(found != null, leaf + " is missing from " + continuation.getName());
            assertTrue(Modifier.isPublic(found.getModifiers()) && Modifier.isStatic(found.getModifiers()), leaf);
            assertTrue(found.isAnnotationPresent(io.bobbin.Suspendable.class), leaf + " is not @Suspendable");
            assertFalse(found.isAnnotationPresent(io.bobbin.internal.cont.Instrumented.class), leaf + " was instrumented");
        }
    }

    @Test
    void theAnnotationsTheAgentWritesAndReadsAreTheRuntimes() throws ReflectiveOperationException {
        Class<?> instrumented = runtimeClass(internalName((String) constant(RuntimeProtocol.class, "INSTRUMENTED_DESC")));
        assertTrue(instrumented.isAnnotation());
        // The agent writes it as a visible annotation on methods, and the runtime reads it by reflection.
        assertEquals(RetentionPolicy.RUNTIME, instrumented.getAnnotation(Retention.class).value());
        assertTrue(Arrays.asList(instrumented.getAnnotation(Target.class).value()).contains(ElementType.METHOD));

        Class<?> suspendable = runtimeClass(internalName((String) constant(RuntimeProtocol.class, "SUSPENDABLE_DESC")));
        assertTrue(suspendable.isAnnotation());
        // The agent reads it from class bytes: it must be there, on methods and on types.
        Retention retention = suspendable.getAnnotation(Retention.class);
        assertTrue(retention == null || retention.value() != RetentionPolicy.SOURCE);
        List<ElementType> targets = Arrays.asList(suspendable.getAnnotation(Target.class).value());
        assertTrue(targets.contains(ElementType.METHOD) && targets.contains(ElementType.TYPE), targets.toString());
    }

    @Test
    void theMetadataTheAgentWritesIntoInstrumentedHasTheRuntimesElementsAndPointBits() throws ReflectiveOperationException {
        Class<?> instrumented = runtimeClass(internalName((String) constant(RuntimeProtocol.class, "INSTRUMENTED_DESC")));
        Object[][] elements = {
            {"INSTRUMENTED_BASE", int.class},
            {"INSTRUMENTED_FINGERPRINT", long.class},
            {"INSTRUMENTED_SOURCE", String.class},
            {"INSTRUMENTED_POINTS", String[].class},
        };
        for (Object[] e : elements) {
            String name = (String) constant(RuntimeProtocol.class, (String) e[0]);
            assertEquals(e[1], instrumented.getDeclaredMethod(name).getReturnType(), e[0] + " = " + name);
        }
        assertEquals(constant(RuntimeProtocol.class, "POINT_BITS"),
                constant(runtimeClass("io/bobbin/internal/cont/SavedFrames"), "POINT_BITS"));
    }

    @Test
    void theClassesTheAgentLeavesAloneAreTheRuntimesSideOfTheProtocol() throws ReflectiveOperationException {
        String frameStack = (String) constant(RuntimeProtocol.class, "FRAME_STACK");
        assertEquals(FrameStack.class, runtimeClass(frameStack));
        assertEquals("L" + frameStack + ";", constant(RuntimeProtocol.class, "FRAME_STACK_DESC"));
        assertTrue(RuntimeProtocol.isRuntimeInternal(frameStack));
        for (Member m : RuntimeProtocol.members()) {
            assertEquals(frameStack, m.owner, m.toString());
        }
        String continuationName = (String) constant(RuntimeProtocol.class, "CONTINUATION");
        Class<?> continuation = runtimeClass(continuationName);
        assertTrue(RuntimeProtocol.isRuntimeInternal(continuationName));
        assertFalse(RuntimeProtocol.isRuntimeInternal("io/bobbin/Generator"));
        // These tests run under the agent: it really left them as they were.
        for (Class<?> c : List.of(FrameStack.class, continuation)) {
            for (Method m : c.getDeclaredMethods()) {
                assertFalse(m.isAnnotationPresent(io.bobbin.internal.cont.Instrumented.class), m.toString());
            }
        }
    }

    @Test
    void everyMemberConstantOfTheProtocolIsEnumeratedOnce() throws IllegalAccessException {
        Set<Member> constants = new HashSet<>();
        for (Field f : RuntimeProtocol.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (f.getType() == Member.class && Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod)) {
                constants.add((Member) f.get(null));
            }
        }
        assertEquals(constants, new HashSet<>(RuntimeProtocol.members()));
        Set<String> signatures = new HashSet<>();
        for (Member m : RuntimeProtocol.members()) {
            assertTrue(signatures.add(m.owner + "." + m.name + m.descriptor), "listed twice: " + m);
        }
    }

    /** A static constant, read when the test runs rather than copied when it was compiled. */
    private static Object constant(Class<?> owner, String name) throws ReflectiveOperationException {
        Field f = owner.getField(name);
        assertTrue(Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers()), f.toString());
        return f.get(null);
    }

    private static Class<?> runtimeClass(String internalName) throws ClassNotFoundException {
        return Class.forName(internalName.replace('/', '.'), false, RuntimeProtocolTest.class.getClassLoader());
    }

    private static String internalName(String descriptor) {
        assertTrue(descriptor.startsWith("L") && descriptor.endsWith(";"), descriptor);
        return descriptor.substring(1, descriptor.length() - 1);
    }
}
