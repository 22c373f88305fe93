package io.bobbin.agent;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * The plan for one suspension point: a call to a suspendable method, and what its frame must save
 * and restore there (live locals, the operand stack below the call's arguments, the receiver).
 */
final class SuspensionPoint {
    /** How a value is kept in the frame store. */
    enum Kind {
        INT(Opcodes.ILOAD, Opcodes.ISTORE, Opcodes.ICONST_0, RuntimeProtocol.PUSH_INT, RuntimeProtocol.POP_INT),
        FLOAT(Opcodes.FLOAD, Opcodes.FSTORE, Opcodes.FCONST_0, RuntimeProtocol.PUSH_FLOAT, RuntimeProtocol.POP_FLOAT),
        LONG(Opcodes.LLOAD, Opcodes.LSTORE, Opcodes.LCONST_0, RuntimeProtocol.PUSH_LONG, RuntimeProtocol.POP_LONG),
        DOUBLE(Opcodes.DLOAD, Opcodes.DSTORE, Opcodes.DCONST_0, RuntimeProtocol.PUSH_DOUBLE, RuntimeProtocol.POP_DOUBLE),
        REF(Opcodes.ALOAD, Opcodes.ASTORE, Opcodes.ACONST_NULL, RuntimeProtocol.PUSH_REF, RuntimeProtocol.POP_REF),
        /** Known to be {@code null}: not saved, restored as {@code aconst_null}. */
        NULL(Opcodes.ALOAD, Opcodes.ASTORE, Opcodes.ACONST_NULL, null, null);

        final int load;
        final int store;
        /** Pushes this kind's zero (or {@code null}). */
        final int zero;
        /** Saves a value of this kind (static: value, store). */
        final RuntimeProtocol.Member push;
        /** Restores a value of this kind (on the store). */
        final RuntimeProtocol.Member pop;

        Kind(int load, int store, int zero, RuntimeProtocol.Member push, RuntimeProtocol.Member pop) {
            this.load = load;
            this.store = store;
            this.zero = zero;
            this.push = push;
            this.pop = pop;
        }
    }

    /** How a value of a declared type is kept (int-like types as ints). */
    static Kind kindOf(Type t) {
        switch (t.getSort()) {
            case Type.VOID:
            case Type.METHOD:
                throw new IllegalArgumentException("no value of type " + t);
            case Type.FLOAT:
                return Kind.FLOAT;
            case Type.LONG:
                return Kind.LONG;
            case Type.DOUBLE:
                return Kind.DOUBLE;
            case Type.OBJECT:
            case Type.ARRAY:
                return Kind.REF;
            default:
                return Kind.INT;
        }
    }

    /** A value to keep: a local's slot, or a stack position, with its kind and (for references) its type. */
    static final class Slot {
        final int index;
        final Kind kind;
        final Type type;

        Slot(int index, Kind kind, Type type) {
            this.index = index;
            this.kind = kind;
            this.type = type;
        }
    }

    final int id;
    final MethodInsnNode call;
    final Slot[] locals;
    /** The operand stack below the call's receiver and arguments, bottom first. */
    final Slot[] stack;
    /** The receiver's type, or {@code null} for a static call. */
    final Type receiver;
    final boolean underMonitor;

    SuspensionPoint(int id, MethodInsnNode call, Slot[] locals, Slot[] stack, Type receiver, boolean underMonitor) {
        this.id = id;
        this.call = call;
        this.locals = locals;
        this.stack = stack;
        this.receiver = receiver;
        this.underMonitor = underMonitor;
    }

    Type[] arguments() {
        return Type.getArgumentTypes(call.desc);
    }

    Type returnType() {
        return Type.getReturnType(call.desc);
    }
}
