package io.bobbin.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The mark of a class the instrumenter changed: a class annotation, invisible at run time,
 * {@code @io.bobbin.agent.InstrumentedBy(version = "...")}, with the instrumenter's version. The
 * annotation type exists only as a name in class files: nothing loads it.
 *
 * <p>Both the agent and build-time instrumentation ({@link AheadOfTime}) mark what they instrument,
 * and both leave a marked class as it is: instrumenting it again would break it. A mark from
 * another version is reported once (see {@link #mismatch}), since code instrumented by one version
 * may speak another protocol than this version's runtime.
 */
final class InstrumentedMark {
    /** The annotation's descriptor. The pre-scan ({@link ClassScan}) looks for it in the constant pool. */
    static final String DESC = "Lio/bobbin/agent/InstrumentedBy;";
    /** This instrumenter's version (the project's), as written into the marks it makes. */
    static final String VERSION = readVersion();

    private InstrumentedMark() {}

    /** Marks a class being written. */
    static void add(ClassVisitor writer) {
        AnnotationVisitor mark = writer.visitAnnotation(DESC, false);
        mark.visit("version", VERSION);
        mark.visitEnd();
    }

    /**
     * The version in the class's mark, {@code ""} for a mark without one, or {@code null} when the
     * class is not marked. Reads only the class's own annotations.
     */
    static String versionOf(byte[] bytes) {
        String[] found = new String[1];
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                if (!DESC.equals(descriptor)) {
                    return null;
                }
                found[0] = "";
                return new AnnotationVisitor(Opcodes.ASM9) {
                    @Override
                    public void visit(String name, Object value) {
                        if ("version".equals(name) && value instanceof String) {
                            found[0] = (String) value;
                        }
                    }
                };
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return found[0];
    }

    /**
     * The warning for a class marked by another version, given once per version by the caller:
     * the class is used as it is.
     */
    static String mismatch(String className, String version) {
        return "class " + className.replace('/', '.') + " was instrumented by Bobbin "
                + (version.isEmpty() ? "of an unknown version" : version) + ", and this is Bobbin " + VERSION
                + ": it is used as it was, but code instrumented by one version may not work with another version's"
                + " runtime; instrument it again from its original classes with Bobbin " + VERSION
                + " (other classes marked by that version are not reported)";
    }

    private static String readVersion() {
        Properties p = new Properties();
        try (InputStream in = InstrumentedMark.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // the default below says it
        }
        String v = p.getProperty("version", "");
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }
}
