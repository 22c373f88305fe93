package io.bobbin.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * What the agent records about an instrumented method in its {@code @Instrumented} annotation, for
 * the runtime to read by reflection only when asked (stack traces of suspended tasks, serialized
 * continuations): the method's resume-point ids, a fingerprint of its code and plan, its source file,
 * and per suspension point the line, the call and how many values of each width the frame saves.
 * Nothing here runs on the suspend/resume path. An analysis: it never changes the code.
 *
 * <p>Resume-point ids: the points of a method are {@code base .. base + n - 1}, where {@code base}
 * is a 19-bit hash of the method's class, name and descriptor shifted left by {@link #POINT_BITS}.
 * The dispatch switch uses them as they are, so they cost nothing, and a saved frame's point tells,
 * with high probability, which method saved it.
 */
final class MethodMetadata {
    /** Bits of a resume-point id that number the points of one method. */
    static final int POINT_BITS = 12;
    /** The most suspension points a method can have. */
    static final int MAX_POINTS = 1 << POINT_BITS;

    private MethodMetadata() {}

    /** The first resume-point id of a method. */
    static int pointBase(String owner, String name, String desc) {
        int h = (owner + '.' + name + desc).hashCode();
        return (h & 0x7FFFF) << POINT_BITS;
    }

    /**
     * A point's entry, {@code line|ints|longs|refs|receiver|opcode|owner|name|desc}: the source line
     * of the call (-1 if unknown), the values the frame saves in each of the store's three stacks
     * (the resume point itself not counted), the receiver's index among the frame's references in
     * push order (-1 when none), and the call.
     */
    static String describe(SuspensionPoint p, MethodNode m) {
        int ints = 0;
        int longs = 0;
        int refs = 0;
        for (SuspensionPoint.Slot[] slots : new SuspensionPoint.Slot[][] {p.stack, p.locals}) {
            for (SuspensionPoint.Slot s : slots) {
                switch (s.kind) {
                    case INT:
                    case FLOAT:
                        ints++;
                        break;
                    case LONG:
                    case DOUBLE:
                        longs++;
                        break;
                    case REF:
                        refs++;
                        break;
                    default:
                        break; // NULL: not saved
                }
            }
        }
        int receiver = -1;
        if (p.receiver != null) {
            receiver = refs++;
            if (p.call.getOpcode() == Opcodes.INVOKEINTERFACE) { // kept arguments, see MethodInstrumenter
                for (Type a : p.arguments()) {
                    switch (SuspensionPoint.kindOf(a)) {
                        case LONG:
                        case DOUBLE:
                            longs++;
                            break;
                        case REF:
                            refs++;
                            break;
                        default:
                            ints++;
                    }
                }
            }
        }
        return lineOf(p.call, m) + "|" + ints + "|" + longs + "|" + refs + "|" + receiver + "|" + p.call.getOpcode()
                + "|" + p.call.owner + "|" + p.call.name + "|" + p.call.desc;
    }

    /** The source line of {@code insn}: the last line number before it, else the method's first. */
    private static int lineOf(AbstractInsnNode insn, MethodNode m) {
        for (AbstractInsnNode i = insn; i != null; i = i.getPrevious()) {
            if (i instanceof LineNumberNode) {
                return ((LineNumberNode) i).line;
            }
        }
        for (AbstractInsnNode i = insn; i != null; i = i.getNext()) {
            if (i instanceof LineNumberNode) {
                return ((LineNumberNode) i).line; // a point before the first line (torture's, at entry)
            }
        }
        return -1;
    }

    /**
     * A fingerprint of the method as the instrumenter saw it: its code (instructions and handlers,
     * line numbers and debug names left out, so that a method moved in its file keeps it) and the
     * plan of its points (which values are saved, of what kind). A saved frame is only restored into
     * a method with the same fingerprint.
     */
    static long fingerprint(MethodNode m, List<String> points) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        StringBuilder b = new StringBuilder();
        b.append(m.access).append(' ').append(m.name).append(m.desc).append('\n');
        Map<LabelNode, Integer> labels = new IdentityHashMap<>();
        for (AbstractInsnNode i : m.instructions) {
            if (i instanceof LabelNode) {
                labels.put((LabelNode) i, labels.size());
            }
        }
        for (AbstractInsnNode i : m.instructions) {
            if (i instanceof LineNumberNode || i instanceof FrameNode || i instanceof LabelNode) {
                if (i instanceof LabelNode) {
                    b.append('L').append(labels.get(i)).append('\n');
                }
                continue;
            }
            b.append(i.getOpcode());
            if (i instanceof VarInsnNode) {
                b.append(' ').append(((VarInsnNode) i).var);
            } else if (i instanceof IntInsnNode) {
                b.append(' ').append(((IntInsnNode) i).operand);
            } else if (i instanceof IincInsnNode) {
                b.append(' ').append(((IincInsnNode) i).var).append(' ').append(((IincInsnNode) i).incr);
            } else if (i instanceof TypeInsnNode) {
                b.append(' ').append(((TypeInsnNode) i).desc);
            } else if (i instanceof FieldInsnNode) {
                FieldInsnNode f = (FieldInsnNode) i;
                b.append(' ').append(f.owner).append('.').append(f.name).append(' ').append(f.desc);
            } else if (i instanceof MethodInsnNode) {
                MethodInsnNode c = (MethodInsnNode) i;
                b.append(' ').append(c.owner).append('.').append(c.name).append(c.desc);
            } else if (i instanceof InvokeDynamicInsnNode) {
                InvokeDynamicInsnNode c = (InvokeDynamicInsnNode) i;
                b.append(' ').append(c.name).append(c.desc).append(' ').append(c.bsm);
                for (Object a : c.bsmArgs) {
                    b.append(' ').append(a);
                }
            } else if (i instanceof LdcInsnNode) {
                Object c = ((LdcInsnNode) i).cst;
                b.append(' ').append(c.getClass().getSimpleName()).append(':').append(c);
            } else if (i instanceof JumpInsnNode) {
                b.append(" L").append(labels.get(((JumpInsnNode) i).label));
            } else if (i instanceof TableSwitchInsnNode) {
                TableSwitchInsnNode s = (TableSwitchInsnNode) i;
                b.append(' ').append(s.min).append(' ').append(s.max).append(" L").append(labels.get(s.dflt));
                for (LabelNode l : s.labels) {
                    b.append(" L").append(labels.get(l));
                }
            } else if (i instanceof LookupSwitchInsnNode) {
                LookupSwitchInsnNode s = (LookupSwitchInsnNode) i;
                b.append(" L").append(labels.get(s.dflt)).append(' ').append(s.keys);
                for (LabelNode l : s.labels) {
                    b.append(" L").append(labels.get(l));
                }
            } else if (i instanceof MultiANewArrayInsnNode) {
                b.append(' ').append(((MultiANewArrayInsnNode) i).desc).append(' ').append(((MultiANewArrayInsnNode) i).dims);
            }
            b.append('\n');
        }
        for (TryCatchBlockNode t : m.tryCatchBlocks) {
            b.append("try L").append(labels.get(t.start)).append(" L").append(labels.get(t.end))
                    .append(" L").append(labels.get(t.handler)).append(' ').append(t.type).append('\n');
        }
        for (String p : points) {
            b.append("point ").append(p.substring(p.indexOf('|') + 1)).append('\n'); // the line left out
        }
        byte[] h = d.digest(b.toString().getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = (v << 8) | (h[k] & 0xFF);
        }
        return v;
    }

    /** The {@code @Instrumented} annotation carrying it all. */
    static AnnotationNode annotation(int base, long fingerprint, String source, List<String> points) {
        AnnotationNode a = new AnnotationNode(RuntimeProtocol.INSTRUMENTED_DESC);
        a.values = new ArrayList<>();
        a.values.add(RuntimeProtocol.INSTRUMENTED_BASE);
        a.values.add(base);
        a.values.add(RuntimeProtocol.INSTRUMENTED_FINGERPRINT);
        a.values.add(fingerprint);
        a.values.add(RuntimeProtocol.INSTRUMENTED_SOURCE);
        a.values.add(source == null ? "" : source);
        a.values.add(RuntimeProtocol.INSTRUMENTED_POINTS);
        a.values.add(new ArrayList<>(points));
        return a;
    }
}
