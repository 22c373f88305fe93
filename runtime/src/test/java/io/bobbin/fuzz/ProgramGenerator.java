package io.bobbin.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Writes a random, deterministic and bounded Java program of suspendable methods from a seed.
 *
 * <p>The program is one compilation unit of package {@code pkg}: a public class {@code Prog} that
 * implements {@code SuspendableCallable<Object>} (or {@code Callable<Object>} in the uninstrumented
 * baseline) and whose {@code call()} runs the generated method {@code m0}, plus small helper types:
 * {@code Foo} (an object with suspendable methods and constructor arguments), {@code Host} (an
 * interface with static and default generated methods), {@code Base} (an abstract superclass with a
 * suspendable abstract method and a suspendable method that {@code Prog} overrides and calls through
 * {@code super}), {@code SFun} (a suspendable functional interface for lambdas and method references),
 * {@code E}/{@code CE} (unchecked and checked exceptions) and {@code L1}/{@code L2} (classes whose
 * static initialisers write to the trace).
 *
 * <p>Suspension points are calls to {@code point()}, which suspends whenever a continuation runs,
 * and to the typed identities {@code pi(x)}, {@code pl(x)}, {@code pg(x)}... which call it, plus every
 * call among generated methods, lambdas, default and Foo methods. Every program records a trace
 * ({@code T}) and returns a rendered result. It is bounded: loops have small constant bounds, the
 * call graph is a DAG but for self-recursion guarded by a depth parameter, and a global fuel counter
 * ({@code FUEL}) cuts every method entry and loop iteration once spent.
 *
 * <p>Statements are numbered as they are generated; {@link #skip} names statements to leave out,
 * which the shrinker uses (the random stream is consumed the same way, so the rest stays as it was).
 */
final class ProgramGenerator {

    /** What the generator may use; the shrinker turns these down. */
    static final class Settings implements Cloneable {
        int methods = 5;
        int stmts = 5;
        int nesting = 3;
        int exprDepth = 3;
        boolean loops = true;
        boolean switches = true;
        boolean tries = true;
        boolean lambdas = true;
        boolean news = true;
        boolean concat = true;
        boolean arrays = true;
        boolean hosts = true;
        boolean recursion = true;
        boolean clinit = true;
        boolean wide = true;
        boolean debugInfo = true;
        /** Every helper type and suspendable interface is Serializable, and the program is run written and read back at every suspension too. */
        boolean serializable;

        Settings copy() {
            try {
                return (Settings) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        /** Settings drawn from the seed, so that the fixed seeds cover small and large programs alike. */
        static Settings random(long seed) {
            Random r = new Random(seed * 31 + 7);
            Settings s = new Settings();
            s.methods = 1 + r.nextInt(6);
            s.stmts = 2 + r.nextInt(6);
            s.nesting = 1 + r.nextInt(3);
            s.exprDepth = 1 + r.nextInt(4);
            s.debugInfo = r.nextBoolean();
            s.serializable = r.nextBoolean(); // drawn last: the draws above stay what they were
            return s;
        }

        @Override
        public String toString() {
            return "methods=" + methods + " stmts=" + stmts + " nesting=" + nesting + " exprDepth=" + exprDepth
                    + (loops ? "" : " -loops") + (switches ? "" : " -switches") + (tries ? "" : " -tries")
                    + (lambdas ? "" : " -lambdas") + (news ? "" : " -news") + (concat ? "" : " -concat")
                    + (arrays ? "" : " -arrays") + (hosts ? "" : " -hosts") + (recursion ? "" : " -recursion")
                    + (clinit ? "" : " -clinit") + (wide ? "" : " -wide") + (debugInfo ? " -g" : " -g:none")
                    + (serializable ? " +serial" : "");
        }
    }

    enum Ty {
        Z("boolean"), B("byte"), C("char"), S("short"), I("int"), J("long"), F("float"), D("double"),
        STR("String"), BOX("Integer"), OBJ("Object"), FOO("Foo"), IA("int[]"), DA("double[]"), SA("String[]"),
        OA("Object[]"), FUN("SFun");

        final String java;

        Ty(String java) {
            this.java = java;
        }

        boolean primitive() {
            return ordinal() <= D.ordinal();
        }

        boolean numeric() {
            return ordinal() >= B.ordinal() && ordinal() <= D.ordinal();
        }

        boolean array() {
            return this == IA || this == DA || this == SA || this == OA;
        }
    }

    /** The value types that methods and variables use (FUN only for lambda variables). */
    private static final Ty[] VALUE_TYPES = {Ty.Z, Ty.B, Ty.C, Ty.S, Ty.I, Ty.J, Ty.F, Ty.D, Ty.STR, Ty.BOX, Ty.OBJ,
        Ty.FOO, Ty.IA, Ty.DA, Ty.SA, Ty.OA};

    enum Host {
        STATIC, PRIVATE_STATIC, INSTANCE, PRIVATE_INSTANCE, DEFAULT, INTERFACE_STATIC
    }

    static final class Method {
        final int index;
        final Host host;
        final Ty ret;
        final Ty[] params;

        Method(int index, Host host, Ty ret, Ty[] params) {
            this.index = index;
            this.host = host;
            this.ret = ret;
            this.params = params;
        }

        String name() {
            return "m" + index;
        }

        boolean inProg() {
            return host != Host.DEFAULT && host != Host.INTERFACE_STATIC;
        }

        boolean isPrivate() {
            return host == Host.PRIVATE_STATIC || host == Host.PRIVATE_INSTANCE;
        }
    }

    private static final class Var {
        final String name;
        final Ty type;
        final boolean assignable;

        Var(String name, Ty type, boolean assignable) {
            this.name = name;
            this.type = type;
            this.assignable = assignable;
        }
    }

    /** Where code is being generated: the method (or lambda), its scope and loops. */
    private static final class Ctx {
        final Method method; // the enclosing generated method
        final boolean lambda; // inside a lambda body (returns int)
        final List<Var> scope = new ArrayList<>();
        int loopDepth;
        final List<String> labels = new ArrayList<>();
        int nesting;

        Ctx(Method method, boolean lambda) {
            this.method = method;
            this.lambda = lambda;
        }

        Ty returnType() {
            return lambda ? Ty.I : method.ret;
        }

        /** Code of this context runs as a Prog instance ({@code this} is a Prog). */
        boolean progThis() {
            return method.host == Host.INSTANCE || method.host == Host.PRIVATE_INSTANCE;
        }

        boolean defaultThis() {
            return method.host == Host.DEFAULT;
        }

        boolean inProg() {
            return method.inProg();
        }
    }

    private final Settings settings;
    private final Set<Integer> skip;
    private final Set<Integer> simplify;
    private final Random rnd;
    private final List<Method> methods = new ArrayList<>();
    private int statementCount;
    private int expressionCount;
    private int names;
    /** Expression nodes left for the current statement: keeps methods well under the JVM's 64 KB. */
    private int nodes;
    /** Statements left for the current method. */
    private int budget;

    ProgramGenerator(long seed, Settings settings, Set<Integer> skip, Set<Integer> simplify) {
        this.settings = settings;
        this.skip = skip;
        this.simplify = simplify;
        this.rnd = new Random(seed);
    }

    /** How many statements the last {@link #generate} numbered. */
    int statementCount() {
        return statementCount;
    }

    /** How many expressions the last {@link #generate} numbered. */
    int expressionCount() {
        return expressionCount;
    }

    /**
     * Every statement with what it contains, as {@code [first statement, end, first expression, end]}
     * ranges, outermost first: the shrinker tries leaving out whole ones before single statements.
     */
    List<int[]> groups() {
        List<int[]> out = new ArrayList<>(groups);
        out.sort((a, b) -> Integer.compare(b[1] - b[0], a[1] - a[0]));
        return out;
    }

    private final List<int[]> groups = new ArrayList<>();

    /** The source of the program in package {@code pkg}; {@code suspendable} false gives the uninstrumented baseline. */
    static String render(String template, String pkg, boolean suspendable) {
        return template.replace("$PKG", pkg)
                .replace("@S ", suspendable ? "@Suspendable " : "")
                .replace("$CALLABLE", suspendable ? "io.bobbin.SuspendableCallable" : "java.util.concurrent.Callable");
    }

    /**
     * {@code text} (the prelude, or a unit of {@link #OTHER}) with every helper type {@code Serializable},
     * and the suspendable functional interfaces too (so their lambdas are), when {@code serializable}:
     * then every value the program can hold in a frame is serializable, {@code Prog} included.
     */
    static String serial(String text, boolean serializable) {
        // A list's iterator is not serializable: a serializable program loops over a Two instead.
        return text.replace("$LIST_OF(", serializable ? "new Two(" : "java.util.List.of(")
                .replace("$SER_HELPERS", serializable ? TWO : "")
                .replace("$IMPL_SER", serializable ? " implements java.io.Serializable" : "")
                .replace("$EXT_SER", serializable ? " extends java.io.Serializable" : "")
                .replace("$AND_SER", serializable ? ", java.io.Serializable" : "");
    }

    /** A template with {@code $PKG}, {@code @S } and {@code $CALLABLE} placeholders; see {@link #render}. */
    String generate() {
        int count = settings.methods;
        for (int i = 0; i < count; i++) {
            Host host = Host.STATIC;
            if (i > 0 || rnd.nextBoolean()) {
                host = pickHost();
            }
            Ty ret = pickType();
            int n = rnd.nextInt(4);
            Ty[] params = new Ty[n];
            for (int p = 0; p < n; p++) {
                params[p] = pickType();
            }
            methods.add(new Method(i, host, ret, params));
        }
        StringBuilder prog = new StringBuilder();
        StringBuilder host = new StringBuilder();
        for (Method m : methods) {
            String body = method(m);
            (m.inProg() ? prog : host).append(body);
        }
        Method m0 = methods.get(0);
        StringBuilder entry = new StringBuilder();
        entry.append("    public Object call() throws Exception {\n");
        entry.append("        T = new StringBuilder(); FUEL = 600; SUSP = 0; RARE = 0; si = 0; sl = 0L; INST = this;\n");
        Ctx ctx = new Ctx(m0, false);
        StringBuilder args = new StringBuilder("2");
        for (Ty p : m0.params) {
            args.append(", ").append(literal(p));
        }
        entry.append("        return r(").append(callTarget(ctx, m0)).append("(").append(args).append("));\n");
        entry.append("    }\n");
        return serial(PRELUDE.replace("$GENERATED_PROG", entry.toString() + prog).replace("$GENERATED_HOST", host.toString()),
                settings.serializable);
    }

    private Host pickHost() {
        if (!settings.hosts) {
            return rnd.nextBoolean() ? Host.STATIC : Host.INSTANCE;
        }
        Host[] all = Host.values();
        return all[rnd.nextInt(all.length)];
    }

    private Ty pickType() {
        while (true) {
            Ty t = VALUE_TYPES[rnd.nextInt(VALUE_TYPES.length)];
            if (!settings.wide && (t == Ty.J || t == Ty.D)) {
                continue;
            }
            if (!settings.arrays && t.array()) {
                continue;
            }
            if (!settings.news && t == Ty.FOO) {
                continue;
            }
            return t;
        }
    }

    // ---- methods ------------------------------------------------------------------------------

    private String method(Method m) {
        Ctx ctx = new Ctx(m, false);
        StringBuilder sb = new StringBuilder();
        String mods;
        switch (m.host) {
            case STATIC: mods = "@S static "; break;
            case PRIVATE_STATIC: mods = "@S private static "; break;
            case INSTANCE: mods = "@S "; break;
            case PRIVATE_INSTANCE: mods = "@S private "; break;
            case DEFAULT: mods = "@S default "; break;
            default: mods = "@S static "; break;
        }
        budget = STATEMENTS;
        if (m.host == Host.INSTANCE && rnd.nextInt(4) == 0) {
            mods = "@S final ";
        }
        sb.append("    ").append(mods).append(m.ret.java).append(' ').append(m.name()).append("(int d");
        ctx.scope.add(new Var("d", Ty.I, false));
        for (int p = 0; p < m.params.length; p++) {
            String name = "a" + p;
            sb.append(", ").append(m.params[p].java).append(' ').append(name);
            ctx.scope.add(new Var(name, m.params[p], true));
        }
        sb.append(") throws Exception {\n");
        sb.append("        if (FUEL-- <= 0) return ").append(literal(m.ret)).append(";\n");
        sb.append(block(ctx, settings.stmts, 2));
        nodes = NODES;
        sb.append("        return ").append(expr(ctx, m.ret, settings.exprDepth)).append(";\n");
        sb.append("    }\n\n");
        return sb.toString();
    }

    private String block(Ctx ctx, int n, int indent) {
        int mark = ctx.scope.size();
        StringBuilder sb = new StringBuilder();
        int count = 1 + rnd.nextInt(Math.max(1, n));
        if (budget < count) {
            count = Math.max(1, budget);
        }
        for (int i = 0; i < count; i++) {
            sb.append(statement(ctx, indent));
        }
        while (ctx.scope.size() > mark) {
            ctx.scope.remove(ctx.scope.size() - 1);
        }
        return sb.toString();
    }

    private static String pad(int indent) {
        return "    ".repeat(indent);
    }

    private String fresh(String prefix) {
        return prefix + (names++);
    }

    private String statement(Ctx ctx, int indent) {
        int id = statementCount++;
        int mark = ctx.scope.size();
        int firstExpression = expressionCount;
        String s = statementBody(ctx, indent);
        // [first statement, end statement, first expression, end expression] of this statement and what it contains
        groups.add(new int[] {id, statementCount, firstExpression, expressionCount});
        if (skip.contains(id)) {
            while (ctx.scope.size() > mark) {
                ctx.scope.remove(ctx.scope.size() - 1);
            }
            return "";
        }
        return s;
    }

    private String statementBody(Ctx ctx, int indent) {
        nodes = NODES;
        budget--;
        String p = pad(indent);
        boolean canNest = ctx.nesting < settings.nesting && budget > 4;
        int e = settings.exprDepth;
        while (true) {
            switch (rnd.nextInt(25)) {
                case 0:
                case 1:
                case 2: { // declaration
                    Ty t = pickType();
                    String name = fresh("v");
                    String init = expr(ctx, t, e);
                    ctx.scope.add(new Var(name, t, true));
                    return p + t.java + " " + name + " = " + init + ";\n";
                }
                case 3: { // assignment, compound assignment, increment
                    Var v = pickVar(ctx, null, true);
                    if (v == null) {
                        continue;
                    }
                    if (v.type.numeric() && rnd.nextBoolean()) {
                        String[] ops = v.type == Ty.F || v.type == Ty.D ? new String[] {"+=", "-=", "*="}
                                : new String[] {"+=", "-=", "*=", "^=", "|=", "&=", "<<=", ">>="};
                        Ty rhs = v.type == Ty.F || v.type == Ty.D || v.type == Ty.J ? v.type : Ty.I;
                        if (rnd.nextInt(4) == 0 && v.type != Ty.F && v.type != Ty.D) {
                            return p + v.name + (rnd.nextBoolean() ? "++" : "--") + ";\n";
                        }
                        return p + v.name + " " + ops[rnd.nextInt(ops.length)] + " " + expr(ctx, rhs, e) + ";\n";
                    }
                    if (v.type == Ty.STR && rnd.nextBoolean()) {
                        return p + v.name + " = cut(" + v.name + " + " + stringish(ctx, e) + ");\n";
                    }
                    return p + v.name + " = " + expr(ctx, v.type, e) + ";\n";
                }
                case 4:
                case 5: // trace
                    return p + "t(" + stringish(ctx, e) + ");\n";
                case 6: { // a bare suspension point or a call for its effect
                    int k = rnd.nextInt(4);
                    if (k == 0) {
                        return p + "point();\n";
                    }
                    if (k == 1) {
                        String c = callExpr(ctx, null, e);
                        if (c != null) {
                            return p + (c.startsWith("(d > 0 ?") ? "t(r(" + c + "))" : c) + ";\n";
                        }
                    }
                    return p + "t(" + stringish(ctx, e) + ");\n";
                }
                case 7: { // array element store
                    if (!settings.arrays) {
                        continue;
                    }
                    Var v = pickVar(ctx, rnd.nextBoolean() ? Ty.IA : rnd.nextBoolean() ? Ty.DA : Ty.SA, false);
                    if (v == null) {
                        continue;
                    }
                    Ty elem = v.type == Ty.IA ? Ty.I : v.type == Ty.DA ? Ty.D : Ty.STR;
                    String idx = index(ctx, v.name, e);
                    if (elem != Ty.STR && rnd.nextBoolean()) {
                        return p + v.name + "[" + idx + "] += " + expr(ctx, elem, e) + ";\n";
                    }
                    return p + v.name + "[" + idx + "] = " + expr(ctx, elem, e) + ";\n";
                }
                case 8: { // field stores
                    String target;
                    switch (rnd.nextInt(5)) {
                        case 0: target = "si"; break;
                        case 1: target = "sl"; break;
                        case 2: target = (ctx.progThis() && !ctx.lambda && rnd.nextBoolean() ? "this" : "INST") + ".fi"; break;
                        case 3: target = "INST.fd"; break;
                        default: target = "INST.fs"; break;
                    }
                    Ty t = target.endsWith("sl") ? Ty.J : target.endsWith("fd") ? Ty.D : target.endsWith("fs") ? Ty.STR : Ty.I;
                    if (t == Ty.J && !settings.wide) {
                        continue;
                    }
                    if (t == Ty.STR) {
                        return p + target + " = cut(" + target + " + " + stringish(ctx, e) + ");\n";
                    }
                    return p + target + (rnd.nextBoolean() ? " += " : " = ") + expr(ctx, t, e) + ";\n";
                }
                case 9: { // Foo field update through an expression receiver
                    if (!settings.news) {
                        continue;
                    }
                    return p + "(" + expr(ctx, Ty.FOO, e - 1) + ").a += " + expr(ctx, Ty.I, e) + ";\n";
                }
                case 10:
                case 11: { // if / else
                    if (!canNest) {
                        continue;
                    }
                    StringBuilder sb = new StringBuilder();
                    ctx.nesting++;
                    sb.append(p).append("if (").append(expr(ctx, Ty.Z, e)).append(") {\n");
                    sb.append(block(ctx, settings.stmts, indent + 1));
                    if (rnd.nextBoolean()) {
                        sb.append(p).append("} else {\n");
                        sb.append(block(ctx, settings.stmts, indent + 1));
                    }
                    sb.append(p).append("}\n");
                    ctx.nesting--;
                    return sb.toString();
                }
                case 12:
                case 13: { // loops
                    if (!canNest || !settings.loops) {
                        continue;
                    }
                    return loop(ctx, indent);
                }
                case 14: { // break / continue / labeled break
                    if (ctx.loopDepth == 0) {
                        continue;
                    }
                    String what = rnd.nextBoolean() ? "break" : "continue";
                    if (!ctx.labels.isEmpty() && rnd.nextBoolean()) {
                        what += " " + ctx.labels.get(rnd.nextInt(ctx.labels.size()));
                    }
                    return p + "if (" + rare(ctx, e) + ") " + what + ";\n";
                }
                case 15: { // switch
                    if (!canNest || !settings.switches) {
                        continue;
                    }
                    return switchStatement(ctx, indent);
                }
                case 16:
                case 17: { // try
                    if (!canNest || !settings.tries) {
                        continue;
                    }
                    return tryStatement(ctx, indent);
                }
                case 18: { // throw
                    if (!settings.tries) {
                        continue;
                    }
                    String ex = rnd.nextInt(3) == 0 ? "CE" : "E";
                    return p + "if (" + rare(ctx, e) + ") throw new " + ex + "(" + stringish(ctx, e - 1) + ");\n";
                }
                case 19: { // early return
                    return p + "if (" + rare(ctx, e) + ") return " + expr(ctx, ctx.returnType(), e) + ";\n";
                }
                case 20:
                case 21: { // lambdas and method references
                    if (!settings.lambdas || (ctx.lambda && !canNest)) {
                        continue;
                    }
                    return lambda(ctx, indent);
                }
                case 22: { // try-with-resources, whose close() is suspendable
                    if (!canNest || !settings.tries) {
                        continue;
                    }
                    StringBuilder sb = new StringBuilder();
                    ctx.nesting++;
                    String res = fresh("res");
                    sb.append(p).append("try (Res ").append(res).append(" = new Res(").append(stringish(ctx, e)).append(")) {\n");
                    sb.append(block(ctx, settings.stmts, indent + 1));
                    if (rnd.nextBoolean()) {
                        String ex = fresh("ex");
                        sb.append(p).append("} catch (RuntimeException ").append(ex).append(") {\n");
                        sb.append(pad(indent + 1)).append("t(\"caught \" + ").append(ex).append(".getMessage());\n");
                    }
                    sb.append(p).append("}\n");
                    ctx.nesting--;
                    return sb.toString();
                }
                case 23: { // a labeled block left by break
                    if (!canNest) {
                        continue;
                    }
                    String label = fresh("B");
                    ctx.nesting++;
                    String sb = p + label + ": {\n" + block(ctx, settings.stmts, indent + 1)
                            + pad(indent + 1) + "if (" + expr(ctx, Ty.Z, e) + ") break " + label + ";\n"
                            + block(ctx, settings.stmts, indent + 1) + p + "}\n";
                    ctx.nesting--;
                    return sb;
                }
                case 24: { // for-each over an array or a list
                    if (!canNest || !settings.loops) {
                        continue;
                    }
                    return forEach(ctx, indent);
                }
                default:
                    throw new AssertionError();
            }
        }
    }

    /** A condition that holds now and then: early exits and throws, mostly not taken, so that most code runs. */
    private String rare(Ctx ctx, int e) {
        String c = expr(ctx, Ty.Z, e);
        return rnd.nextInt(4) == 0 ? c : "rare() && " + c;
    }

    private String loop(Ctx ctx, int indent) {
        String p = pad(indent);
        StringBuilder sb = new StringBuilder();
        String label = null;
        if (rnd.nextInt(3) == 0) {
            label = fresh("L");
            sb.append(p).append(label).append(":\n");
        }
        int bound = 1 + rnd.nextInt(3);
        String i = fresh("i");
        int kind = rnd.nextInt(3);
        int mark = ctx.scope.size();
        if (kind == 0) {
            sb.append(p).append("for (int ").append(i).append(" = 0; ").append(i).append(" < ").append(bound)
                    .append(" && FUEL-- > 0; ").append(i).append("++) {\n");
        } else if (kind == 1) {
            sb.append(p).append("int ").append(i).append(" = 0;\n");
            sb.append(p).append("while (").append(i).append("++ < ").append(bound).append(" && FUEL-- > 0) {\n");
        } else {
            sb.append(p).append("int ").append(i).append(" = 0;\n");
            sb.append(p).append("do {\n");
        }
        ctx.scope.add(new Var(i, Ty.I, false));
        ctx.loopDepth++;
        ctx.nesting++;
        if (label != null) {
            ctx.labels.add(label);
        }
        if (kind == 2) {
            // the counter goes up first, so that a continue cannot loop for ever
            sb.append(pad(indent + 1)).append(i).append("++;\n");
        }
        sb.append(block(ctx, settings.stmts, indent + 1));
        if (label != null) {
            ctx.labels.remove(label);
        }
        ctx.nesting--;
        ctx.loopDepth--;
        if (kind == 2) {
            sb.append(p).append("} while (").append(i).append(" < ").append(bound).append(" && FUEL-- > 0);\n");
        } else {
            sb.append(p).append("}\n");
        }
        if (kind != 0 && label != null) {
            // a label must label the loop itself: move the declaration before it
            String text = sb.toString();
            String decl = p + "int " + i + " = 0;\n";
            text = text.replace(p + label + ":\n" + decl, decl + p + label + ":\n");
            while (ctx.scope.size() > mark + 1) {
                ctx.scope.remove(ctx.scope.size() - 1);
            }
            ctx.scope.remove(ctx.scope.size() - 1);
            return "{\n" + text + p + "}\n";
        }
        while (ctx.scope.size() > mark) {
            ctx.scope.remove(ctx.scope.size() - 1);
        }
        if (kind != 0) {
            return p + "{\n" + sb + p + "}\n";
        }
        return sb.toString();
    }

    private String forEach(Ctx ctx, int indent) {
        String p = pad(indent);
        int e = settings.exprDepth;
        String v = fresh("e");
        StringBuilder sb = new StringBuilder();
        Ty type;
        if (settings.arrays && rnd.nextBoolean()) {
            type = Ty.I;
            sb.append(p).append("for (int ").append(v).append(" : ").append(expr(ctx, Ty.IA, e)).append(") {\n");
        } else {
            type = Ty.STR;
            sb.append(p).append("for (String ").append(v).append(" : $LIST_OF(").append(stringish(ctx, e))
                    .append(", ").append(stringish(ctx, e)).append(")) {\n");
        }
        sb.append(pad(indent + 1)).append("if (FUEL-- <= 0) break;\n");
        int mark = ctx.scope.size();
        ctx.scope.add(new Var(v, type, false));
        ctx.loopDepth++;
        ctx.nesting++;
        sb.append(block(ctx, settings.stmts, indent + 1));
        ctx.nesting--;
        ctx.loopDepth--;
        while (ctx.scope.size() > mark) {
            ctx.scope.remove(ctx.scope.size() - 1);
        }
        sb.append(p).append("}\n");
        return sb.toString();
    }

    private String switchStatement(Ctx ctx, int indent) {
        String p = pad(indent);
        StringBuilder sb = new StringBuilder();
        boolean strings = rnd.nextInt(3) == 0;
        int e = settings.exprDepth;
        ctx.nesting++;
        if (strings) {
            sb.append(p).append("switch (").append(stringKey(ctx, e)).append(") {\n");
        } else {
            sb.append(p).append("switch (").append(expr(ctx, Ty.I, e)).append(" & 7) {\n");
        }
        int cases = 1 + rnd.nextInt(4);
        int start = rnd.nextInt(3);
        for (int c = 0; c < cases; c++) {
            String label = strings ? "\"" + KEYS[(start + c) % KEYS.length] + "\"" : String.valueOf((start + c * (1 + rnd.nextInt(2))) & 7);
            if (sb.indexOf("case " + label + ":") >= 0) {
                continue;
            }
            sb.append(p).append("case ").append(label).append(": {\n");
            sb.append(block(ctx, settings.stmts, indent + 1));
            sb.append(p).append("}\n");
            if (rnd.nextInt(3) != 0) {
                sb.append(p).append("break;\n");
            }
        }
        if (rnd.nextBoolean()) {
            sb.append(p).append("default: {\n");
            sb.append(block(ctx, settings.stmts, indent + 1));
            sb.append(p).append("}\n");
        }
        sb.append(p).append("}\n");
        ctx.nesting--;
        return sb.toString();
    }

    private static final int NODES = 40;
    private static final int STATEMENTS = 45;

    private static final String[] KEYS = {"a", "b", "ab", "Aa", "BB", "x"}; // "Aa" and "BB" share a hash code

    private String stringKey(Ctx ctx, int e) {
        if (rnd.nextBoolean()) {
            return "\"" + KEYS[rnd.nextInt(KEYS.length)] + "\"";
        }
        return "KEYS[" + "Math.floorMod(" + expr(ctx, Ty.I, e - 1) + ", KEYS.length)]";
    }

    private String tryStatement(Ctx ctx, int indent) {
        String p = pad(indent);
        StringBuilder sb = new StringBuilder();
        ctx.nesting++;
        sb.append(p).append("try {\n");
        sb.append(block(ctx, settings.stmts, indent + 1));
        int shape = rnd.nextInt(4); // 0 catch, 1 finally, 2 catch+finally, 3 two catches
        if (shape != 1) {
            String[] types = {"E", "RuntimeException", "Exception", "ArithmeticException | E"};
            int catches = shape == 3 ? 2 : 1;
            String first = types[rnd.nextInt(types.length)];
            for (int c = 0; c < catches; c++) {
                String type = c == 0 ? first : "Exception";
                if (c == 1 && first.equals("Exception")) {
                    break;
                }
                if (c == 1 && first.equals("E")) {
                    type = "RuntimeException";
                }
                String ex = fresh("ex");
                sb.append(p).append("} catch (").append(type).append(' ').append(ex).append(") {\n");
                sb.append(pad(indent + 1)).append("t(\"caught \" + ").append(ex).append(".getMessage());\n");
                ctx.scope.add(new Var(ex + ".getMessage()", Ty.STR, false));
                sb.append(block(ctx, settings.stmts, indent + 1));
                ctx.scope.remove(ctx.scope.size() - 1);
            }
        }
        if (shape == 1 || shape == 2) {
            sb.append(p).append("} finally {\n");
            sb.append(pad(indent + 1)).append("t(\"finally\");\n");
            sb.append(block(ctx, settings.stmts, indent + 1));
        }
        sb.append(p).append("}\n");
        ctx.nesting--;
        return sb.toString();
    }

    private String lambda(Ctx ctx, int indent) {
        String p = pad(indent);
        int e = settings.exprDepth;
        String name = fresh("f");
        StringBuilder sb = new StringBuilder();
        switch (rnd.nextInt(5)) {
            case 0:
                sb.append(p).append("SFun ").append(name).append(" = Prog::twice;\n");
                break;
            case 4: { // an anonymous class
                String cap = fresh("c");
                String x = fresh("x");
                sb.append(p).append("final int ").append(cap).append(" = ").append(expr(ctx, Ty.I, e)).append(";\n");
                sb.append(p).append("SFun ").append(name).append(" = new SFun() {\n");
                sb.append(pad(indent + 1)).append("@Override public int apply(int ").append(x).append(") throws Exception {\n");
                Ctx inner = new Ctx(ctx.method, true);
                inner.scope.add(new Var(x, Ty.I, true));
                inner.scope.add(new Var(cap, Ty.I, false));
                inner.nesting = ctx.nesting + 1;
                sb.append(pad(indent + 2)).append("if (FUEL-- <= 0) return 0;\n");
                sb.append(block(inner, Math.max(1, settings.stmts / 2), indent + 2));
                nodes = NODES;
                sb.append(pad(indent + 2)).append("return ").append(expr(inner, Ty.I, e)).append(";\n");
                sb.append(pad(indent + 1)).append("}\n");
                sb.append(p).append("};\n");
                break;
            }
            case 1:
                if (ctx.progThis() && !ctx.lambda) {
                    sb.append(p).append("SFun ").append(name).append(" = this::vm;\n");
                } else {
                    sb.append(p).append("SFun ").append(name).append(" = INST::vm;\n");
                }
                break;
            default: {
                String cap = fresh("c");
                String x = fresh("x");
                sb.append(p).append("final ").append("int ").append(cap).append(" = ").append(expr(ctx, Ty.I, e)).append(";\n");
                sb.append(p).append("SFun ").append(name).append(" = ").append(x).append(" -> {\n");
                Ctx inner = new Ctx(ctx.method, true);
                inner.scope.add(new Var(x, Ty.I, true));
                inner.scope.add(new Var(cap, Ty.I, false));
                inner.nesting = ctx.nesting + 1;
                sb.append(pad(indent + 1)).append("if (FUEL-- <= 0) return 0;\n");
                sb.append(block(inner, Math.max(1, settings.stmts / 2), indent + 1));
                nodes = NODES;
                sb.append(pad(indent + 1)).append("return ").append(expr(inner, Ty.I, e)).append(";\n");
                sb.append(p).append("};\n");
            }
        }
        ctx.scope.add(new Var(name, Ty.FUN, false));
        return sb.toString();
    }

    // ---- expressions ------------------------------------------------------------------------------

    private Var pickVar(Ctx ctx, Ty type, boolean assignable) {
        List<Var> fit = new ArrayList<>();
        for (Var v : ctx.scope) {
            if ((type == null ? v.type != Ty.FUN : v.type == type) && (!assignable || v.assignable)) {
                fit.add(v);
            }
        }
        return fit.isEmpty() ? null : fit.get(rnd.nextInt(fit.size()));
    }

    /** An expression whose value renders as a string: any type, rendered. */
    private String stringish(Ctx ctx, int depth) {
        Ty t = pickType();
        return "r(" + expr(ctx, t, Math.max(0, depth)) + ")";
    }

    private String index(Ctx ctx, String array, int depth) {
        return "Math.floorMod(" + expr(ctx, Ty.I, depth - 1) + ", " + array + ".length)";
    }

    String literal(Ty t) {
        switch (t) {
            case Z: return rnd.nextBoolean() ? "true" : "false";
            case B: return "(byte) " + (rnd.nextInt(256) - 128);
            case C: return "'" + (char) ('a' + rnd.nextInt(26)) + "'";
            case S: return "(short) " + (rnd.nextInt(65536) - 32768);
            case I: return String.valueOf(rnd.nextInt(5) == 0 ? rnd.nextInt() : rnd.nextInt(20) - 5);
            case J: return (rnd.nextInt(4) == 0 ? rnd.nextLong() : rnd.nextInt(100) - 10) + "L";
            case F: return (rnd.nextInt(200) - 50) / 4.0f + "f";
            case D: return rnd.nextInt(4) == 0 ? "1e300" : String.valueOf((rnd.nextInt(2000) - 500) / 8.0);
            case STR: return rnd.nextInt(8) == 0 ? "null" : "\"" + KEYS[rnd.nextInt(KEYS.length)] + "\"";
            case BOX: return "Integer.valueOf(" + (rnd.nextInt(300) - 20) + ")";
            case OBJ: return rnd.nextInt(5) == 0 ? "null" : "\"o" + rnd.nextInt(9) + "\"";
            case FOO: return "new Foo(" + rnd.nextInt(9) + ", \"k\", " + rnd.nextInt(9) + "L)";
            case IA: return "new int[] {" + rnd.nextInt(9) + ", " + rnd.nextInt(9) + "}";
            case DA: return "new double[] {" + rnd.nextInt(9) + ".5}";
            case SA: return "new String[] {\"s" + rnd.nextInt(9) + "\"}";
            case OA: return "new Object[] {\"e" + rnd.nextInt(9) + "\"}";
            default: throw new AssertionError(t);
        }
    }

    private String probe(Ty t, String inner) {
        switch (t) {
            case Z: return "pz(" + inner + ")";
            case B: return "pb(" + inner + ")";
            case C: return "pc(" + inner + ")";
            case S: return "ps(" + inner + ")";
            case I: return "pi(" + inner + ")";
            case J: return "pl(" + inner + ")";
            case F: return "pf(" + inner + ")";
            case D: return "pd(" + inner + ")";
            default: return "pg(" + inner + ")";
        }
    }

    /** A call to a generated method that may be called from here and returns {@code type} (any when null). */
    private String callExpr(Ctx ctx, Ty type, int depth) {
        List<Method> fit = new ArrayList<>();
        for (Method m : methods) {
            if (type != null && m.ret != type) {
                continue;
            }
            boolean self = m == ctx.method;
            if (self && (ctx.lambda || !settings.recursion)) {
                continue;
            }
            if (!self && m.index <= ctx.method.index) {
                continue;
            }
            if (m.isPrivate() && !ctx.inProg()) {
                continue;
            }
            fit.add(m);
        }
        if (fit.isEmpty()) {
            return null;
        }
        Method m = fit.get(rnd.nextInt(fit.size()));
        boolean self = m == ctx.method;
        StringBuilder args = new StringBuilder(self ? "d - 1" : ctx.lambda ? "1" : "d");
        for (Ty p : m.params) {
            args.append(", ").append(expr(ctx, p, depth - 1));
        }
        String call = callTarget(ctx, m) + "(" + args + ")";
        if (self) {
            return "(d > 0 ? " + call + " : " + literal(m.ret) + ")";
        }
        return call;
    }

    private String callTarget(Ctx ctx, Method m) {
        switch (m.host) {
            case STATIC:
            case PRIVATE_STATIC:
                return ctx.inProg() ? m.name() : "Prog." + m.name();
            case INSTANCE:
            case PRIVATE_INSTANCE:
                return (ctx.progThis() && !ctx.lambda && rnd.nextBoolean() ? "this." : "INST.") + m.name();
            case DEFAULT:
                if (ctx.defaultThis() && !ctx.lambda && rnd.nextBoolean()) {
                    return "this." + m.name();
                }
                if (ctx.progThis() && !ctx.lambda && rnd.nextBoolean()) {
                    return "this." + m.name(); // invokevirtual on Prog, resolved to the default method
                }
                return "((Host) INST)." + m.name();
            default:
                return "Host." + m.name();
        }
    }

    String expr(Ctx ctx, Ty t, int depth) {
        int id = expressionCount++;
        String e = expr0(ctx, t, depth);
        return simplify.contains(id) ? plain(t) : e;
    }

    /** The simplest value of a type, for the shrinker: uses no randomness. */
    static String plain(Ty t) {
        switch (t) {
            case Z: return "false";
            case B: return "(byte) 0";
            case C: return "'a'";
            case S: return "(short) 0";
            case I: return "0";
            case J: return "0L";
            case F: return "0f";
            case D: return "0.0";
            case STR: return "\"s\"";
            case BOX: return "Integer.valueOf(0)";
            case OBJ: return "\"o\"";
            case FOO: return "new Foo(0, \"k\", 0L)";
            case IA: return "new int[] {0}";
            case DA: return "new double[] {0.0}";
            case SA: return "new String[] {\"s\"}";
            case OA: return "new Object[] {\"e\"}";
            default: throw new AssertionError(t);
        }
    }

    private String expr0(Ctx ctx, Ty t, int depth) {
        if (depth <= 0 || --nodes < 0 || rnd.nextInt(6) == 0) {
            return leaf(ctx, t);
        }
        int d = depth - 1;
        for (int attempt = 0; attempt < 8; attempt++) {
            int k = rnd.nextInt(10);
            if (k == 0) {
                return leaf(ctx, t);
            }
            if (k == 1 || k == 2) {
                return probe(t, expr(ctx, t, d));
            }
            if (k == 3) {
                String c = callExpr(ctx, t, depth);
                if (c != null) {
                    return c;
                }
                continue;
            }
            if (k == 4) {
                return "(" + expr(ctx, Ty.Z, d) + " ? " + expr(ctx, t, d) + " : " + expr(ctx, t, d) + ")";
            }
            if (k == 5 && settings.switches && t != Ty.FUN) {
                return switchExpr(ctx, t, d);
            }
            String special = typed(ctx, t, d);
            if (special != null) {
                return special;
            }
        }
        return leaf(ctx, t);
    }

    private String switchExpr(Ctx ctx, Ty t, int d) {
        StringBuilder sb = new StringBuilder("(switch (");
        boolean strings = rnd.nextBoolean();
        sb.append(strings ? stringKey(ctx, d) : expr(ctx, Ty.I, d) + " & 3").append(") { ");
        int cases = 1 + rnd.nextInt(3);
        for (int c = 0; c < cases; c++) {
            sb.append("case ").append(strings ? "\"" + KEYS[c] + "\"" : String.valueOf(c)).append(" -> ");
            if (rnd.nextInt(3) == 0) {
                String yv = fresh("y");
                sb.append("{ t(\"sw\" + ").append(c).append("); point(); ").append(t.java).append(' ').append(yv)
                        .append(" = ").append(expr(ctx, t, d)).append("; yield ").append(yv).append("; } ");
            } else {
                sb.append(expr(ctx, t, d)).append("; ");
            }
        }
        sb.append("default -> ").append(expr(ctx, t, d)).append("; })");
        return sb.toString();
    }

    private String leaf(Ctx ctx, Ty t) {
        if (rnd.nextInt(3) != 0) {
            Var v = pickVar(ctx, t, false);
            if (v != null) {
                return v.name;
            }
        }
        return literal(t);
    }

    private String typed(Ctx ctx, Ty t, int d) {
        switch (t) {
            case Z:
                switch (rnd.nextInt(7)) {
                    case 0: return "(" + expr(ctx, Ty.I, d) + " < " + expr(ctx, Ty.I, d) + ")";
                    case 1: return "(" + expr(ctx, Ty.D, d) + " >= " + expr(ctx, Ty.D, d) + ")";
                    case 2: return "!" + expr(ctx, Ty.Z, d);
                    case 3: return "(" + expr(ctx, Ty.Z, d) + " && " + expr(ctx, Ty.Z, d) + ")";
                    case 4: return "(" + expr(ctx, Ty.Z, d) + " || " + expr(ctx, Ty.Z, d) + ")";
                    case 5: {
                        if (rnd.nextBoolean()) {
                            return "(" + expr(ctx, Ty.OBJ, d) + " instanceof String)";
                        }
                        String b = fresh("s");
                        return "((Object) " + expr(ctx, Ty.OBJ, d) + " instanceof String " + b + " && pz(" + b + ".length() > 1))";
                    }
                    default: return "(" + expr(ctx, Ty.J, d) + " == " + expr(ctx, Ty.J, d) + ")";
                }
            case B:
                return "(byte) (" + expr(ctx, Ty.I, d) + ")";
            case S:
                return "(short) (" + expr(ctx, rnd.nextBoolean() ? Ty.I : Ty.B, d) + " * 3)";
            case C:
                return "(char) ('a' + (" + expr(ctx, Ty.I, d) + " & 15))";
            case I:
                switch (rnd.nextInt(16)) {
                    case 0: case 1: case 2: {
                        String[] ops = {"+", "-", "*", "^", "&", "|", "<<", ">>", ">>>"};
                        return "(" + expr(ctx, Ty.I, d) + " " + ops[rnd.nextInt(ops.length)] + " " + expr(ctx, Ty.I, d) + ")";
                    }
                    case 3: return "(" + expr(ctx, Ty.I, d) + " / (" + expr(ctx, Ty.I, d) + " | 1))";
                    case 4: return "(int) " + expr(ctx, Ty.J, d);
                    case 5: return "(int) " + expr(ctx, Ty.D, d);
                    case 6: return "(" + expr(ctx, rnd.nextBoolean() ? Ty.C : Ty.S, d) + " + " + expr(ctx, Ty.B, d) + ")";
                    case 7: return "String.valueOf((Object) " + expr(ctx, Ty.STR, d) + ").length()";
                    case 8: {
                        if (!settings.arrays) {
                            return null;
                        }
                        Var v = pickVar(ctx, Ty.IA, false);
                        if (v != null) {
                            return v.name + "[" + index(ctx, v.name, d) + "]";
                        }
                        return "(" + expr(ctx, Ty.IA, d) + ").length";
                    }
                    case 9: return "(" + expr(ctx, Ty.BOX, d) + " + 0)";
                    case 10: {
                        if (!settings.news) {
                            return null;
                        }
                        return rnd.nextBoolean() ? "(" + expr(ctx, Ty.FOO, d) + ").a" : "(" + expr(ctx, Ty.FOO, d) + ").fm(" + expr(ctx, Ty.I, d) + ")";
                    }
                    case 11: {
                        if (!settings.lambdas) {
                            return null;
                        }
                        Var f = pickVar(ctx, Ty.FUN, false);
                        if (f != null) {
                            return f.name + ".apply(" + expr(ctx, Ty.I, d) + ")";
                        }
                        return null;
                    }
                    case 12: {
                        if (!settings.hosts) {
                            return null;
                        }
                        switch (rnd.nextInt(4)) {
                            case 0: return "INST.vm(" + expr(ctx, Ty.I, d) + ")";
                            case 1: return "((Base) INST).bm(" + expr(ctx, Ty.I, d) + ")";
                            case 2: return "((Host) INST).hd(" + expr(ctx, Ty.I, d) + ")";
                            default: return "Host.hs(" + expr(ctx, Ty.I, d) + ")";
                        }
                    }
                    case 13: {
                        if (!settings.news || !settings.clinit) {
                            return null;
                        }
                        return rnd.nextBoolean() ? "new L1(" + expr(ctx, Ty.I, d) + ", " + expr(ctx, Ty.I, d) + ").v"
                                : "new L2(" + expr(ctx, Ty.STR, d) + ").v";
                    }
                    case 14:
                        if (settings.arrays && rnd.nextBoolean()) {
                            return "(" + expr(ctx, Ty.OA, d) + ").length";
                        }
                        return "(" + (ctx.progThis() && !ctx.lambda ? "fi" : "INST.fi") + " + si)";
                    default:
                        switch (rnd.nextInt(5)) {
                            case 0: return "va(" + expr(ctx, Ty.I, d) + ", " + expr(ctx, Ty.I, d) + ", " + expr(ctx, Ty.I, d) + ")";
                            case 1: return "va()";
                            case 2:
                                if (!settings.news) {
                                    return null;
                                }
                                return "INST.new Inner(" + expr(ctx, Ty.I, d) + ").im(" + expr(ctx, Ty.I, d) + ")";
                            case 3:
                                return "(new IntBox().get(" + expr(ctx, Ty.BOX, d) + ") + 0)";
                            default: return "Math.max(" + expr(ctx, Ty.I, d) + ", " + expr(ctx, Ty.I, d) + ")";
                        }
                }
            case J:
                switch (rnd.nextInt(5)) {
                    case 0: return "(" + expr(ctx, Ty.J, d) + " + " + expr(ctx, Ty.J, d) + ")";
                    case 1: return "(" + expr(ctx, Ty.J, d) + " * " + expr(ctx, Ty.I, d) + ")";
                    case 2: return "(long) " + expr(ctx, Ty.I, d);
                    case 3: return "(" + expr(ctx, Ty.J, d) + " % (" + expr(ctx, Ty.J, d) + " | 1L))";
                    default: return "(sl ^ " + expr(ctx, Ty.J, d) + ")";
                }
            case F:
                switch (rnd.nextInt(3)) {
                    case 0: return "(" + expr(ctx, Ty.F, d) + " * " + expr(ctx, Ty.F, d) + ")";
                    case 1: return "(float) " + expr(ctx, Ty.I, d);
                    default: return "(" + expr(ctx, Ty.F, d) + " - " + expr(ctx, Ty.J, d) + ")";
                }
            case D:
                switch (rnd.nextInt(5)) {
                    case 0: return "(" + expr(ctx, Ty.D, d) + " / " + expr(ctx, Ty.D, d) + ")";
                    case 1: return "(" + expr(ctx, Ty.D, d) + " + " + expr(ctx, Ty.F, d) + ")";
                    case 2: return "Math.sqrt(Math.abs(" + expr(ctx, Ty.D, d) + "))";
                    case 3: {
                        if (!settings.arrays) {
                            return null;
                        }
                        Var v = pickVar(ctx, Ty.DA, false);
                        return v == null ? null : v.name + "[" + index(ctx, v.name, d) + "]";
                    }
                    default: return "(" + expr(ctx, Ty.I, d) + " * 0.5)";
                }
            case STR:
                switch (rnd.nextInt(5)) {
                    case 0:
                    case 1: {
                        if (!settings.concat) {
                            return "String.valueOf(" + expr(ctx, Ty.J, d) + ")";
                        }
                        int n = 2 + rnd.nextInt(4);
                        StringBuilder sb = new StringBuilder("cut(\"<\" + ");
                        for (int i = 0; i < n; i++) {
                            if (i > 0) {
                                sb.append(" + ");
                            }
                            Ty part = pickType();
                            String ex = expr(ctx, part, d);
                            if (part.primitive() || part == Ty.STR || part == Ty.BOX) {
                                sb.append(ex);
                            } else {
                                sb.append("r(").append(ex).append(")");
                            }
                            if (rnd.nextBoolean()) {
                                sb.append(" + \",\"");
                            }
                        }
                        return sb.append(")").toString();
                    }
                    case 2:
                        if (settings.lambdas && rnd.nextBoolean()) {
                            String head = rnd.nextBoolean() ? "((GFun<Integer, String>) Prog::gt)"
                                    : "((GFun<Integer, String>) (" + fresh("q") + ", " + fresh("q") + ", " + fresh("q") + ", "
                                    + fresh("q") + ") -> { point(); return \"L\"; })";
                            return head + ".ap(" + expr(ctx, Ty.BOX, d) + ", " + expr(ctx, Ty.J, d) + ", "
                                    + expr(ctx, Ty.D, d) + ", " + expr(ctx, Ty.Z, d) + ")";
                        }
                        return "Integer.toString(" + expr(ctx, Ty.I, d) + ")";
                    case 3: {
                        if (!settings.news) {
                            return null;
                        }
                        return "(" + expr(ctx, Ty.FOO, d) + ").fs(" + expr(ctx, Ty.STR, d) + ")";
                    }
                    default: {
                        if (!settings.arrays) {
                            return null;
                        }
                        Var v = pickVar(ctx, Ty.SA, false);
                        return v == null ? null : v.name + "[" + index(ctx, v.name, d) + "]";
                    }
                }
            case BOX:
                if (rnd.nextInt(3) == 0) {
                    return "((Box<Integer>) new IntBox()).get(" + expr(ctx, Ty.BOX, d) + ")";
                }
                return "Integer.valueOf(" + expr(ctx, Ty.I, d) + ")";
            case OBJ: {
                Ty[] options = {Ty.STR, Ty.BOX, Ty.FOO, Ty.IA, Ty.OA, null, Ty.FUN};
                Ty o = options[rnd.nextInt(options.length)];
                if (o == Ty.FUN) { // types of another package that this one may not name
                    switch (rnd.nextInt(3)) {
                        case 0: return "(Object) Fact.hidden(" + expr(ctx, Ty.I, d) + ")";
                        case 1: return "(Object) Fact.shidden(" + expr(ctx, Ty.I, d) + ")";
                        default: return "(Object) (" + expr(ctx, Ty.Z, d) + " ? new PubA(" + expr(ctx, Ty.I, d) + ") : new PubB("
                                + expr(ctx, Ty.I, d) + "))";
                    }
                }
                if (o == null) { // two public classes whose common superclass is not public (AbstractStringBuilder)
                    return "(Object) (" + expr(ctx, Ty.Z, d) + " ? new StringBuilder(String.valueOf((Object) " + expr(ctx, Ty.STR, d)
                            + ")) : new StringBuffer(String.valueOf((Object) " + expr(ctx, Ty.STR, d) + ")))";
                }
                if ((!settings.news && o == Ty.FOO) || (!settings.arrays && o.array())) {
                    o = Ty.STR;
                }
                return "(Object) " + expr(ctx, o, d);
            }
            case FOO:
                if (!settings.news) {
                    return null;
                }
                switch (rnd.nextInt(3)) {
                    case 0:
                        return "new Foo(" + expr(ctx, Ty.I, d) + ", " + expr(ctx, Ty.STR, d) + ", " + expr(ctx, Ty.J, d) + ")";
                    case 1:
                        return "(" + expr(ctx, Ty.FOO, d) + ").with(" + expr(ctx, Ty.I, d) + ")";
                    default:
                        return "new Foo(" + expr(ctx, Ty.I, d) + ", new Foo(" + expr(ctx, Ty.I, d) + ", "
                                + expr(ctx, Ty.STR, d) + ", 1L).fs(\"n\"), " + expr(ctx, Ty.J, d) + ")";
                }
            case IA:
                if (rnd.nextBoolean()) {
                    return "new int[] {" + expr(ctx, Ty.I, d) + ", " + expr(ctx, Ty.I, d) + "}";
                }
                return "(" + expr(ctx, Ty.IA, d) + ").clone()";
            case DA:
                return "new double[] {" + expr(ctx, Ty.D, d) + ", " + expr(ctx, Ty.D, d) + ", " + expr(ctx, Ty.D, d) + "}";
            case SA:
                return "new String[] {" + expr(ctx, Ty.STR, d) + (rnd.nextBoolean() ? ", " + expr(ctx, Ty.STR, d) : "") + "}";
            case OA:
                switch (rnd.nextInt(5)) {
                    case 3:
                        return "new int[Math.floorMod(" + expr(ctx, Ty.I, d) + ", 3) + 1][Math.floorMod(" + expr(ctx, Ty.I, d)
                                + ", 2) + 1]";
                    case 4:
                        return "((Object[]) Fact.hiddens(" + expr(ctx, Ty.I, d) + "))";
                    case 0:
                        return "new Object[] {" + expr(ctx, Ty.OBJ, d) + ", " + expr(ctx, Ty.I, d) + "}";
                    case 1: // arrays of different dimensions merge to Object[]
                        return "(" + expr(ctx, Ty.Z, d) + " ? new int[][] {" + expr(ctx, Ty.IA, d) + "} : "
                                + expr(ctx, Ty.SA, d) + ")";
                    default:
                        return "(" + expr(ctx, Ty.Z, d) + " ? new Integer[] {" + expr(ctx, Ty.BOX, d) + "} : new String[][] {"
                                + expr(ctx, Ty.SA, d) + "})";
                }
            default:
                return null;
        }
    }

    // ---- the fixed part ---------------------------------------------------------------------

    /** A second package, with types that the first may not name (see the restore path's casts). */
    static final java.util.Map<String, String> OTHER = java.util.Map.of(
            "Fact", String.join("\n",
                    "package $PKG.other;",
                    "",
                    "import io.bobbin.Continuation;",
                    "import io.bobbin.Suspendable;",
                    "",
                    "public final class Fact {",
                    "    public static Hidden hidden(int v) { return new Hidden(v); }",
                    "    public static Hidden[] hiddens(int v) { return new Hidden[] {new Hidden(v), new Hidden(v + 1)}; }",
                    "    @S public static Hidden shidden(int v) {",
                    "        if (Continuation.current() != null) Continuation.suspend();",
                    "        return new Hidden(v * 2);",
                    "    }",
                    "}",
                    "",
                    "abstract class PBase$IMPL_SER {",
                    "    final int v;",
                    "    PBase(int v) { this.v = v; }",
                    "    @Override public String toString() { return getClass().getSimpleName() + v; }",
                    "}",
                    "",
                    "final class Hidden extends PBase {",
                    "    Hidden(int v) { super(v); }",
                    "}",
                    ""),
            "PubA", "package $PKG.other;\n\npublic final class PubA extends PBase { public PubA(int v) { super(v); } }\n",
            "PubB", "package $PKG.other;\n\npublic final class PubB extends PBase { public PubB(int v) { super(v); } }\n");

    /** Two strings to loop over, with a serializable iterator: for serializable programs. */
    private static final String TWO = String.join("\n",
            "final class Two implements Iterable<String>, java.io.Serializable {",
            "    final String a; final String b;",
            "    Two(String a, String b) { this.a = a; this.b = b; }",
            "    @Override public java.util.Iterator<String> iterator() { return new It(); }",
            "    final class It implements java.util.Iterator<String>, java.io.Serializable {",
            "        int i;",
            "        @Override public boolean hasNext() { return i < 2; }",
            "        @Override public String next() { return i++ == 0 ? a : b; }",
            "    }",
            "}",
            "");

    private static final String PRELUDE = String.join("\n",
            "package $PKG;",
            "",
            "import io.bobbin.Continuation;",
            "import io.bobbin.Suspendable;",
            "import java.util.Arrays;",
            "import static $PKG.Prog.*;",
            "import $PKG.other.Fact;",
            "import $PKG.other.PubA;",
            "import $PKG.other.PubB;",
            "",
            "public class Prog extends Base implements $CALLABLE<Object>, Host {",
            "    public static StringBuilder T = new StringBuilder();",
            "    static int FUEL;",
            "    public static int SUSP;",
            "    static Prog INST;",
            "    static int si;",
            "    static long sl;",
            "    static final String[] KEYS = {\"a\", \"b\", \"ab\", \"Aa\", \"BB\", \"x\"};",
            "    int fi;",
            "    double fd;",
            "    String fs = \"\";",
            "",
            "    static int RARE;",
            "    static boolean rare() { return ++RARE % 6 == 0; }",
            "    static void t(Object o) { if (T.length() < 20000) T.append(o).append(';'); }",
            "    static String cut(String s) { return s.length() > 40 ? s.substring(0, 40) : s; }",
            "    static String r(Object o) {",
            "        if (o instanceof int[]) return Arrays.toString((int[]) o);",
            "        if (o instanceof double[]) return Arrays.toString((double[]) o);",
            "        if (o instanceof Object[]) return cut(Arrays.deepToString((Object[]) o));",
            "        return String.valueOf(o);",
            "    }",
            "    @S static void point() { if (Continuation.current() != null) { SUSP++; Continuation.suspend(); } }",
            "    @S static boolean pz(boolean v) { point(); return v; }",
            "    @S static byte pb(byte v) { point(); return v; }",
            "    @S static char pc(char v) { point(); return v; }",
            "    @S static short ps(short v) { point(); return v; }",
            "    @S static int pi(int v) { point(); return v; }",
            "    @S static long pl(long v) { point(); return v; }",
            "    @S static float pf(float v) { point(); return v; }",
            "    @S static double pd(double v) { point(); return v; }",
            "    @S static <X> X pg(X v) { point(); return v; }",
            "    @S static int twice(int x) { point(); return 2 * x; }",
            "    @S @Override public int vm(int x) { point(); return x * 3 + fi; }",
            "    @S @Override int bm(int x) { int y = super.bm(x + 1); point(); return y * 2; }",
            "    @S @Override public int hd(int x) throws Exception { int y = Host.super.hd(x); point(); return y + 1; }",
            "    @S static int va(int... xs) { point(); int s = 0; for (int x : xs) s = s * 3 + x; return s; }",
            "    @S static String gt(int a, long l, double d, boolean z) { point(); return cut(a + \"/\" + l + \"/\" + d + \"/\" + z); }",
            "    final class Inner$IMPL_SER {",
            "        final int k;",
            "        Inner(int k) { this.k = k; }",
            "        @S int im(int x) { point(); return x + k + fi; }",
            "    }",
            "",
            "$GENERATED_PROG",
            "}",
            "",
            "abstract class Base$IMPL_SER {",
            "    @S abstract int vm(int x);",
            "    @S int bm(int x) { Prog.point(); return x - 7; }",
            "}",
            "",
            "@S interface SFun$EXT_SER { int apply(int x) throws Exception; }",
            "",
            "@S interface GFun<A, R>$EXT_SER { R ap(A a, long l, double d, boolean z) throws Exception; }",
            "",
            "interface Box<T> { @S T get(T x) throws Exception; }",
            "",
            "final class IntBox implements Box<Integer>$AND_SER {",
            "    @Override public Integer get(Integer x) { point(); return x + 1; }",
            "}",
            "",
            "final class Res implements AutoCloseable$AND_SER {",
            "    final String n;",
            "    Res(String n) { this.n = n; t(\"open \" + n); }",
            "    @S @Override public void close() { t(\"close \" + n); point(); }",
            "}",
            "",
            "interface Host {",
            "    @S default int hd(int x) throws Exception { point(); return hp(x) ^ 5; }",
            "    @S private int hp(int x) throws Exception { point(); return x * 5; }",
            "    @S static int hs(int x) { point(); return x + 11; }",
            "",
            "$GENERATED_HOST",
            "}",
            "",
            "final class Foo$IMPL_SER {",
            "    int a; final String s; final long l;",
            "    Foo(int a, String s, long l) { this.a = a; this.s = s; this.l = l; }",
            "    @S int fm(int x) { point(); return a * 7 + x; }",
            "    @S String fs(String x) { String y = s + x; point(); return cut(y + a); }",
            "    @S Foo with(int x) { point(); return new Foo(x, s, l + a); }",
            "    @Override public String toString() { return \"Foo(\" + a + \",\" + s + \",\" + l + \")\"; }",
            "}",
            "",
            "final class L1$IMPL_SER {",
            "    static { t(\"<clinit L1>\"); }",
            "    final int v;",
            "    L1(int a, int b) { v = a * 31 + b; }",
            "}",
            "",
            "final class L2$IMPL_SER {",
            "    static { t(\"<clinit L2>\"); }",
            "    final int v;",
            "    L2(String s) { v = String.valueOf(s).hashCode(); }",
            "}",
            "",
            "class E extends RuntimeException { E(String m) { super(m); } }",
            "",
            "class CE extends Exception { CE(String m) { super(m); } }",
            "$SER_HELPERS");
}
