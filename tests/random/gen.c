/*
 * gen.c - random recursive C programs for the differential tester.
 *
 *   gen SEED [--mutual] [--enable=F,...] [--disable=F,...] [--functions=N]
 *   gen --list-features
 *
 * prints one complete C99 program to standard output: 1 to 4 functions
 * annotated UNRECURSE that call themselves (with --mutual, each other in
 * cycles of 2 or 3) and earlier ones, with recursive calls in every expression and statement
 * position the tool claims to support, and a main() that calls each of them
 * with the size given in argv[1] and prints checksums of the results and of
 * the globals. The same seed and options always give the same bytes.
 *
 * The programs exist to be compiled twice - natively, and rewritten by the
 * tool - and to print the same thing both times. That only means something
 * if no correct compilation may print anything else, so every program is
 *
 *   terminating and small: every recursive call passes a `depth` argument
 *     that strictly decreases. At most one call site per function (the "deep"
 *     one) passes depth - 1, and it is only placed where it runs at most once
 *     per activation (never in a loop or a backward-goto region); every other
 *     site passes a depth capped at `cap_depth` (1 or 2, chosen from an
 *     estimate of the calls per activation), so the total work is linear in
 *     the size. The program states the size to use for a deep run in its
 *     `unrecurse-random:` line.
 *
 *   free of undefined behaviour: arithmetic is done in unsigned long, signed
 *     values are only ever produced by explicit conversions, divisors are
 *     `| 1`, shift counts are masked, array indices are masked, every
 *     variable is initialized, a name being declared is not visible in its
 *     own initializer.
 *
 *   free of unspecified evaluation order: the tool evaluates operands left to
 *     right and gcc may not, so nothing a full expression computes may depend
 *     on the order of its unsequenced operands. Recursive calls write only
 *     (a) globals and static locals, and only by commutative updates
 *     (`+=` to one, `^=` to another) that are never read by the recursive
 *     functions, except by the "dump" activation (depth < 0) that main calls
 *     last, and never in a full expression that also calls; and (b) the one
 *     object a full expression "writes" (`excl` below): a local whose address
 *     is passed to a writable pointer parameter, or that an assignment inside
 *     the expression stores to. That object is not read anywhere else in the
 *     full expression, and at most one call or assignment writes it.
 *
 *   warning-free with gcc -std=c99 -Wall -Wextra at -O1/-O2, so that any
 *     warning in the rewritten file is the tool's: every binary operation is
 *     parenthesized, conditions are comparisons, conversions to narrower
 *     types are explicit casts, every variable and label is used, every
 *     fall-through is commented.
 *
 * Each construct is a "feature" that can be switched off (--disable) so that
 * a run measures miscompiles rather than constructs the tool rejects by
 * design; --list-features prints them with their defaults.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- features ---- */

enum {
    F_MUTUAL,
    F_CROSS,
    F_NESTED_RUN,
    F_GOTO,
    F_BACKWARD_GOTO,
    F_SWITCH,
    F_LOOPS,
    F_BREAK_CONTINUE,
    F_LAZY,
    F_COMMA,
    F_STRUCT,
    F_STRUCT_RETURN,
    F_COMPOUND_LITERAL,
    F_POINTER_PARAM,
    F_CONST_POINTER,
    F_ARRAY,
    F_LOCAL_POINTER,
    F_SHADOW,
    F_STATIC_LOCAL,
    F_VOID,
    F_NESTED_CALL,
    F_EMBEDDED_ASSIGN,
    F_EARLY_RETURN,
    F_TAIL,
    F_QUALIFIERS,
    F_PROTOTYPE,
    F_ARRAY_PARAM,
    F_UNEVALUATED,
    F_FUNCTION_POINTER,
    F_GENERATED_NAMES,
    F_TASKS,
    F_COUNT
};

static struct feature {
    const char *name;
    bool on;
    const char *what;
} features[F_COUNT] = {
    [F_MUTUAL] = {"mutual", false, "cycles of 2-3 annotated functions calling each other"},
    [F_CROSS] = {"cross", true, "calls from an annotated function to another one, acyclic"},
    [F_NESTED_RUN] = {"nested-run", true,
                      "ordinary helpers that call an annotated function, called from annotated "
                      "functions (a nested run)"},
    [F_GOTO] = {"goto", true, "forward goto, also out of nested blocks, loops and switches"},
    [F_BACKWARD_GOTO] = {"backward-goto", true, "bounded backward goto loops"},
    [F_SWITCH] = {"switch", true, "switch with fall-through, calls in the controlling expression"},
    [F_LOOPS] = {"loops", true, "while, do-while and for, with calls in conditions and increments"},
    [F_BREAK_CONTINUE] = {"break-continue", true, "break and continue in loops and switches"},
    [F_LAZY] = {"lazy", true, "calls under &&, || and ?:"},
    [F_COMMA] = {"comma", true, "calls under the comma operator"},
    [F_STRUCT] = {"struct", true, "struct locals and parameters (by value)"},
    [F_STRUCT_RETURN] = {"struct-return", true, "functions returning a struct"},
    [F_COMPOUND_LITERAL] = {"compound-literal", true, "(struct S){...} with calls inside"},
    [F_POINTER_PARAM] = {"pointer-param", true,
                         "unsigned long * parameters: addresses of locals passed down and "
                         "written by the callee"},
    [F_CONST_POINTER] = {"const-pointer", true, "const unsigned long * parameters, read only"},
    [F_ARRAY] = {"array", true, "local arrays"},
    [F_LOCAL_POINTER] = {"local-pointer", true, "local pointers to locals, used across calls"},
    [F_SHADOW] = {"shadow", true, "names shadowed in nested blocks"},
    [F_STATIC_LOCAL] = {"static-local", true, "static locals (commutative accumulators)"},
    [F_VOID] = {"void", true, "void functions"},
    [F_NESTED_CALL] = {"nested-call", true, "recursive calls as arguments of recursive calls"},
    [F_EMBEDDED_ASSIGN] = {"embedded-assign", true, "assignments inside expressions with calls"},
    [F_EARLY_RETURN] = {"early-return", true, "returns from inside blocks, loops and switches"},
    [F_TAIL] = {"tail", true, "return f(...) tail calls"},
    [F_QUALIFIERS] = {"qualifiers", true, "const and volatile locals and parameters"},
    [F_PROTOTYPE] = {"prototype", true, "prototypes before the definitions"},
    [F_ARRAY_PARAM] = {"array-param", true,
                       "pointer parameters declared as arrays: unsigned long b[]"},
    [F_UNEVALUATED] = {"unevaluated", true,
                       "recursive calls in sizeof, which are not evaluated"},
    [F_FUNCTION_POINTER] = {"function-pointer", true,
                            "a local pointer to a helper function, called across calls"},
    [F_GENERATED_NAMES] = {"generated-names", true,
                           "locals named like the tool's own identifiers (f0__t3, f0__u2, "
                           "f0__l_x_4): it must choose other names"},
    [F_TASKS] = {"tasks", false,
                 "main also starts each function whose cycle has no static local as two "
                 "tasks of one queue, with a random quantum and budget, and prints the same "
                 "lines"},
};

static bool on(int f)
{
    return features[f].on;
}

/* ---- random numbers: splitmix64, the same sequence everywhere ---- */

static uint64_t rng_state;

static uint64_t next64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A number in [0, n). */
static int below(int n)
{
    return n <= 1 ? 0 : (int)(next64() % (uint64_t)n);
}

static bool chance(int percent)
{
    return below(100) < percent;
}

/* ---- text ---- */

typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void out(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = t->cap - t->len;
        int n = vsnprintf(t->s ? t->s + t->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            fprintf(stderr, "gen: vsnprintf failed\n");
            exit(2);
        }
        if ((size_t)n < room) {
            t->len += (size_t)n;
            return;
        }
        t->cap = 2 * t->cap + (size_t)n + 256;
        t->s = realloc(t->s, t->cap);
        if (!t->s) {
            fprintf(stderr, "gen: out of memory\n");
            exit(2);
        }
    }
}

static void tab(text *t, int ind)
{
    out(t, "%*s", 4 * ind, "");
}

static void append(text *t, const text *u)
{
    if (u->len)
        out(t, "%.*s", (int)u->len, u->s);
}

/* ---- types ---- */

typedef enum {
    T_VOID,
    T_ULONG,
    T_LONG,
    T_INT,
    T_UINT,
    T_STRUCT, /* struct S */
    T_ARRAY,  /* unsigned long [4] */
    T_PTR,    /* unsigned long * */
    T_CPTR,   /* const unsigned long * */
} type;

static const char *const type_names[] = {
    "void", "unsigned long", "long", "int", "unsigned", "struct S", "unsigned long",
    "unsigned long *", "const unsigned long *",
};
static const char *const cast_names[] = {
    "void", "unsigned long", "long", "int", "unsigned", "", "", "", "",
};

static bool scalar(type t)
{
    return t == T_ULONG || t == T_LONG || t == T_INT || t == T_UINT;
}

/* ---- functions and variables ---- */

enum { MAX_FUNCS = 4, MAX_PARAMS = 5, MAX_VARS = 400 };

typedef struct param {
    type t;
    char name[8];
    bool is_const;
    bool as_array; /* a pointer declared `unsigned long b[]` */
} param;

typedef struct func {
    char name[12]; /* "f" and an int */
    type ret;
    param params[MAX_PARAMS];
    int nparams;
    int depth_param; /* the index of the depth parameter */
    bool is_static;
    int callees[MAX_FUNCS]; /* annotated functions it may call (itself first) */
    int ncallees;
    int cycle_next;      /* --mutual: the next function of its cycle, or -1 */
    int nstatics;        /* static accumulators st0..: dumped at depth < 0 */
    bool has_deep;       /* the depth - 1 call site has been placed */
    long sites;          /* estimate: calls per activation (nested runs too) */
    bool via_used;       /* its nested-run helper via_NAME is called */
    bool has_op;         /* declares `op`, a pointer to mix or mix2 */
    text body;
} func;

typedef struct var {
    char name[12];
    type t;
    int store;   /* the object read or written: itself, or a pointer's target */
    int level;   /* block nesting where declared; parameters are 0 */
    bool param;
    bool assignable;
    bool addressable; /* &name may be passed as a writable pointer */
    bool is_volatile;
    bool nullable; /* a pointer parameter */
} var;

static func funcs[MAX_FUNCS];
static int nfuncs;

static var vars[MAX_VARS]; /* the scope stack of the function being written */
static int nvars;
static int nstores;
static const char *declaring; /* the name being declared: not visible yet */

/* What the helpers at file scope are needed for. */
static bool used_mix, used_mix2, used_note, used_mk, used_sfold, used_cap;
/* The next call placed must be the deep one (when it may be). */
static bool force_deep;

/* The state of the function being written. */
typedef struct gen {
    func *fn;
    int fi;
    int level;        /* block nesting */
    int mult;         /* how often the current point may run per activation */
    int loops;        /* loops around it (break/continue) */
    int breakable;    /* loops or switches around it */
    int stmts;        /* statements written, to bound the function's size */
    int names;        /* fresh name counter */
    int labels;       /* label counter */
    int counters;     /* loop counter names */
    int open_labels[8]; /* forward labels not yet placed: gotos may target them */
    int nopen;
} gen;

/* The one object a full expression writes (see the top of the file). */
typedef struct ectx {
    int excl;            /* its store, or -1 */
    bool excl_written;   /* a call or an assignment writes it already */
    bool excl_assign_ok; /* may an assignment inside the expression write it */
    int calls;           /* recursive calls still allowed in the expression */
    int nest;            /* recursive calls around this point (arguments) */
} ectx;

static const char *const local_names[] = {"x", "y", "z", "w", "u", "v", "t", "r", "s", "q"};

static var *push_var(const char *name, type t, int level)
{
    if (nvars == MAX_VARS) {
        fprintf(stderr, "gen: too many variables\n");
        exit(2);
    }
    var *v = &vars[nvars++];
    memset(v, 0, sizeof *v);
    snprintf(v->name, sizeof v->name, "%s", name);
    v->t = t;
    v->level = level;
    v->store = nstores++;
    v->assignable = true;
    return v;
}

/* Is vars[i] visible here: not hidden by a later declaration of its name? */
static bool visible(int i)
{
    if (declaring && !strcmp(vars[i].name, declaring))
        return false;
    for (int j = i + 1; j < nvars; j++)
        if (!strcmp(vars[j].name, vars[i].name))
            return false;
    return true;
}

static var *lookup(const char *name)
{
    for (int i = nvars - 1; i >= 0; i--)
        if (!strcmp(vars[i].name, name))
            return &vars[i];
    return NULL;
}

/* Picks a visible variable that PRED accepts, or NULL. */
static var *pick_var(bool (*pred)(const var *, const ectx *), const ectx *e)
{
    int cand[MAX_VARS], n = 0;
    for (int i = 0; i < nvars; i++)
        if (visible(i) && pred(&vars[i], e))
            cand[n++] = i;
    return n ? &vars[cand[below(n)]] : NULL;
}

/* ---- expressions ---- */

static void gen_u(gen *g, text *o, ectx *e, int size);
static void gen_s(gen *g, text *o, ectx *e, int size);
static void gen_cond(gen *g, text *o, ectx *e, int size);
static void gen_cond_pair(gen *g, text *o, ectx *e, int size);
static bool gen_call(gen *g, text *o, ectx *e, int size, int callee);

static bool readable(const var *v, const ectx *e)
{
    if (v->is_volatile || v->store == e->excl)
        return false;
    return scalar(v->t) || v->t == T_STRUCT || v->t == T_ARRAY || v->t == T_PTR ||
           v->t == T_CPTR;
}

/* Added to a value of a type narrower than unsigned long: gcc sees through
 * the conversion of a narrower value and warns that comparing it with a
 * constant out of its range is constant; a constant that does not fit the
 * narrower type stops it from narrowing. */
#define WIDE " + 0x100000000UL"

static void gen_const(text *o)
{
    /* Not 0xffffffffUL: 0xffffffffUL - (x + 0x100000000UL) is ~x to gcc,
     * which warns that a complemented narrow value is never 0. */
    static const char *const big[] = {"0x9e3779b97f4a7c15UL", "0xfffffffffUL",
                                      "0x8000000000000000UL", "0xffffffffffffffffUL"};
    if (chance(10))
        out(o, "%s", big[below(4)]);
    else
        out(o, "%dUL", 1 + below(200));
}

/* A read of VAR as an unsigned long. */
/* Counts what makes an expression not constant (reads, calls): a
 * comparison with a side that folds to 0 is one that gcc calls constant. */
static long opaque;

static void gen_read(text *o, const var *v)
{
    opaque++;
    switch (v->t) {
    case T_ULONG:
        out(o, "%s", v->name);
        break;
    case T_LONG:
        out(o, "(unsigned long)%s", v->name);
        break;
    case T_INT:
    case T_UINT:
        out(o, "((unsigned long)%s%s)", v->name, WIDE);
        break;
    case T_STRUCT:
        switch (below(3)) {
        case 0: out(o, "%s.a", v->name); break;
        case 1: out(o, "(unsigned long)%s.b", v->name); break;
        default: out(o, "((unsigned long)%s.c[%d]%s)", v->name, below(4), WIDE); break;
        }
        break;
    case T_ARRAY:
        out(o, "%s[%d]", v->name, below(4));
        break;
    case T_PTR:
    case T_CPTR:
        if (v->nullable)
            out(o, "(%s ? *%s : %dUL)", v->name, v->name, 1 + below(50));
        else
            out(o, "*%s", v->name);
        break;
    default:
        out(o, "1UL");
    }
}

static void gen_leaf(text *o, ectx *e)
{
    var *v = chance(75) ? pick_var(readable, e) : NULL;
    if (v)
        gen_read(o, v);
    else
        gen_const(o);
}

static bool excl_assignable(const var *v, const ectx *e)
{
    return v->store == e->excl && scalar(v->t) && v->assignable && !v->is_volatile;
}

/* `(x = E)` or `(x += E)` for the expression's written object, if allowed. */
static bool gen_embedded_assign(gen *g, text *o, ectx *e, int size, bool value)
{
    if (!on(F_EMBEDDED_ASSIGN) || e->excl < 0 || e->excl_written || !e->excl_assign_ok)
        return false;
    var *v = pick_var(excl_assignable, e);
    if (!v)
        return false;
    e->excl_written = true;
    static const char *const ops[] = {"=", "+=", "^=", "|="};
    const char *op = ops[below(4)];
    const char *cast = cast_names[v->t];
    bool narrow = value && (v->t == T_UINT || v->t == T_INT);
    if (value)
        out(o, "%s(unsigned long)", narrow ? "(" : "");
    out(o, "(%s %s (%s)(", v->name, op, cast);
    /* The assigned variable is excl: the right side cannot read it. */
    gen_u(g, o, e, size - 1);
    out(o, "))%s", narrow ? WIDE ")" : "");
    return true;
}

/* A call of a void function (or any call) as the left operand of a comma. */
static bool gen_call_any(gen *g, text *o, ectx *e, int size)
{
    func *fn = g->fn;
    if (e->calls <= 0 || fn->ncallees == 0)
        return false;
    int callee = fn->callees[below(fn->ncallees)];
    if (funcs[callee].ret != T_VOID)
        out(o, "(void)");
    return gen_call(g, o, e, size, callee);
}

static bool via_ok(const gen *g)
{
    return on(F_NESTED_RUN) && g->mult <= 4;
}

/* The top-level operator of the last expression gen_u wrote ('|', '&',
 * ...), or 0: gen_cond keeps `(x | 4UL) != 0UL` from being written, which
 * gcc rightly calls a constant comparison. */
static char last_op;

static void gen_u_inner(gen *g, text *o, ectx *e, int size);

static void gen_u(gen *g, text *o, ectx *e, int size)
{
    last_op = 0;
    gen_u_inner(g, o, e, size);
}

static void print_args(text *o, const func *fn, const char *depth, const char *ptr,
                       const char *cptr, int salt);

/* `((unsigned long)sizeof(f1(...)) + K)`: a call that is not evaluated
 * (constants for arguments: they are not evaluated either), a constant
 * value. False when no callee returns a value. */
static bool gen_unevaluated(gen *g, text *o)
{
    const func *fn = g->fn;
    int cand[MAX_FUNCS], n = 0;
    for (int i = 0; i < fn->ncallees; i++)
        if (funcs[fn->callees[i]].ret != T_VOID)
            cand[n++] = fn->callees[i];
    if (!on(F_UNEVALUATED) || !n)
        return false;
    const func *c = &funcs[cand[below(n)]];
    out(o, "((unsigned long)sizeof(%s(", c->name);
    print_args(o, c, "0L", "NULL", "NULL", 0);
    out(o, ")) + %dUL)", 1 + below(9));
    return true;
}

static void gen_u_inner(gen *g, text *o, ectx *e, int size)
{
    func *fn = g->fn;
    if (size <= 0) {
        gen_leaf(o, e);
        return;
    }
    for (int tries = 0; tries < 8; tries++) {
        int k = below(100);
        if (k < 22) {
            /* A recursive call used as a value. */
            if (e->calls <= 0 || fn->ncallees == 0)
                continue;
            int callee = fn->callees[below(fn->ncallees)];
            func *c = &funcs[callee];
            if (c->ret == T_VOID) {
                if (!on(F_COMMA))
                    continue;
                out(o, "(");
                gen_call(g, o, e, size - 1, callee);
                out(o, ", ");
                gen_u(g, o, e, size - 1);
                out(o, ")");
            } else if (c->ret == T_STRUCT) {
                int how = below(3);
                if (how == 2) {
                    used_sfold = true;
                    out(o, "sfold(");
                    gen_call(g, o, e, size - 1, callee);
                    out(o, ")");
                } else {
                    out(o, how ? "(unsigned long)" : "");
                    gen_call(g, o, e, size - 1, callee);
                    out(o, how ? ".b" : ".a");
                }
            } else {
                if (c->ret != T_ULONG)
                    out(o, c->ret == T_UINT || c->ret == T_INT ? "((unsigned long)"
                                                               : "(unsigned long)");
                gen_call(g, o, e, size - 1, callee);
                if (c->ret == T_UINT || c->ret == T_INT)
                    out(o, WIDE ")");
            }
            return;
        } else if (k < 42) {
            static const char *const ops[] = {"+", "-", "*", "^", "&", "|", "+", "^"};
            const char *op = ops[below(8)];
            out(o, "(");
            gen_u(g, o, e, size - 1);
            out(o, " %s ", op);
            gen_u(g, o, e, size - 1);
            out(o, ")");
            last_op = op[0];
            return;
        } else if (k < 47) {
            out(o, "(");
            gen_u(g, o, e, size - 1);
            out(o, chance(50) ? " / (" : " %% (");
            gen_u(g, o, e, size - 1);
            out(o, " | 1UL))");
            return;
        } else if (k < 51) {
            out(o, "(");
            gen_u(g, o, e, size - 1);
            out(o, chance(50) ? " << (" : " >> (");
            gen_u(g, o, e, size - 1);
            out(o, " & 31UL))");
            return;
        } else if (k < 55) {
            out(o, chance(50) ? "(~" : "(-");
            gen_u(g, o, e, size - 1);
            out(o, ")");
            return;
        } else if (k < 62) {
            /* + K: gcc warns about a boolean compared with a constant. */
            out(o, "((unsigned long)(");
            gen_cond(g, o, e, size - 1);
            out(o, ") + %dUL)", 1 + below(9));
            return;
        } else if (k < 72) {
            if (!on(F_LAZY))
                continue;
            /* ?: and the lazy && / || */
            if (chance(50)) {
                out(o, "(");
                gen_cond(g, o, e, size - 1);
                out(o, " ? ");
                gen_u(g, o, e, size - 1);
                out(o, " : ");
                gen_u(g, o, e, size - 1);
                out(o, ")");
                last_op = '?';
            } else {
                out(o, "((unsigned long)(");
                gen_cond_pair(g, o, e, size - 1);
                out(o, ") + %dUL)", 1 + below(9));
            }
            return;
        } else if (k < 77) {
            if (!on(F_COMMA))
                continue;
            /* The left operand must have a side effect. */
            text left = {0};
            ectx save = *e;
            bool ok = chance(50) ? gen_call_any(g, &left, e, size - 1)
                                 : gen_embedded_assign(g, &left, e, size - 1, false);
            if (!ok) {
                *e = save;
                free(left.s);
                continue;
            }
            out(o, "(");
            append(o, &left);
            free(left.s);
            out(o, ", ");
            gen_u(g, o, e, size - 1);
            out(o, ")");
            return;
        } else if (k < 81) {
            if (!gen_embedded_assign(g, o, e, size, true))
                continue;
            return;
        } else if (k < 88) {
            /* Ordinary helpers, pure or with a commutative side effect;
             * the size of a call's value; a call through `op`. */
            int h = below(5);
            if (h == 3) {
                if (!gen_unevaluated(g, o))
                    continue;
            } else if (h == 0 || h == 4) {
                if (h == 4 && !fn->has_op)
                    continue;
                used_mix = true;
                opaque++;
                out(o, h == 4 ? "op(" : "mix(");
                gen_u(g, o, e, size - 1);
                out(o, ", ");
                gen_u(g, o, e, size - 1);
                out(o, ")");
            } else if (h == 1) {
                used_note = true;
                opaque++;
                out(o, "note(");
                gen_u(g, o, e, size - 1);
                out(o, ")");
            } else {
                if (!on(F_STRUCT))
                    continue;
                used_sfold = true;
                opaque++;
                out(o, "sfold(");
                gen_s(g, o, e, size - 1);
                out(o, ")");
            }
            return;
        } else if (k < 91) {
            /* A nested run: an ordinary helper that calls an annotated function. */
            if (!via_ok(g) || e->calls <= 0)
                continue;
            /* It calls with a smaller depth too, or it would never end. */
            int callee = below(nfuncs);
            const char *d = fn->params[fn->depth_param].name;
            e->calls--;
            funcs[callee].via_used = true;
            used_cap = true;
            fn->sites += g->mult;
            opaque++;
            out(o, "via_%s((%s > cap_depth ? cap_depth : %s) - 1, ", funcs[callee].name, d, d);
            gen_u(g, o, e, size - 1);
            out(o, ")");
            return;
        } else if (k < 96) {
            /* An array element with a computed index. */
            var *v = pick_var(readable, e);
            if (!v || (v->t != T_ARRAY && v->t != T_STRUCT))
                continue;
            if (v->t == T_ARRAY)
                out(o, "%s[(", v->name);
            else
                out(o, "((unsigned long)%s.c[(", v->name);
            gen_u(g, o, e, size - 1);
            out(o, v->t == T_ARRAY ? ") & 3UL]" : ") & 3UL]" WIDE ")");
            return;
        } else {
            gen_leaf(o, e);
            return;
        }
    }
    gen_leaf(o, e);
}

/* A condition: an int from a comparison, never a bare arithmetic value
 * (gcc's -Wint-in-bool-context). */
/* `x != 1UL || x != 2UL`, `(x & 4UL) == 0UL || x != 0UL`: gcc folds two
 * equality tests of one value joined by && or || and says when the result
 * is constant (it also sees through ?: and ~ to find that value). The right
 * operand of && and || is therefore only ever an ordering comparison, which
 * it does not combine that way. */
static bool ordering_only;

/* `C && C` or `C || C`. */
static void gen_cond_pair(gen *g, text *o, ectx *e, int size)
{
    gen_cond(g, o, e, size);
    out(o, chance(50) ? " && " : " || ");
    bool saved = ordering_only;
    ordering_only = true;
    gen_cond(g, o, e, size);
    ordering_only = saved;
}

static void gen_cond(gen *g, text *o, ectx *e, int size)
{
    int k = below(100);
    if (k < 15 && on(F_LAZY) && size > 1) {
        out(o, "(");
        gen_cond_pair(g, o, e, size - 1);
        out(o, ")");
        return;
    }
    text left = {0}, right = {0};
    long before = opaque;
    gen_u(g, &left, e, size - 1);
    bool left_const = opaque == before;
    /* (x | 4UL) != 0UL, (x & 4UL) == 3UL: gcc knows the answer. */
    char left_op = last_op, right_op = 0;
    bool bitwise = last_op == '|' || last_op == '&', right_bitwise = false;
    /* `((x & 1UL) != 0UL ? x : 19UL) == 0UL`: gcc sees through ?: to two
     * equality tests of x, and may say the result is constant; an
     * ordering comparison it does not combine that way. */
    bool ordering = ordering_only || left_op == '?';
    const char *op;
    if (k < 45 && !ordering) {
        op = chance(50) ? "!=" : "==";
        out(&right, "0UL");
    } else if (k < 55 && !ordering) {
        /* Parity tests read well and split the paths evenly. */
        out(o, "(((%.*s) & %dUL) %s 0UL)", (int)left.len, left.s, 1 << below(3),
            chance(50) ? "==" : "!=");
        free(left.s);
        return;
    } else {
        static const char *const ops[] = {"<", "<=", ">", ">=", "==", "!="};
        op = ops[below(ordering ? 4 : 6)];
        /* Never a literal 0 on the right (-Wtype-limits); constants stay
         * below 256, so no comparison with an unsigned char is constant. */
        if (chance(40)) {
            out(&right, "%dUL", 1 + below(200));
        } else {
            before = opaque;
            gen_u(g, &right, e, size - 1);
            right_op = last_op;
            right_bitwise = last_op == '|' || last_op == '&';
            /* (d ^ x) != (x ^ d): a self-comparison to gcc. */
            if (right_op && right_op == left_op && right_op != '-')
                bitwise = right_bitwise = true;
            /* 196UL / 0x8000000000000000UL < x: a 0 that gcc sees. */
            if (opaque == before) {
                right.len = 0;
                right_bitwise = false;
                out(&right, "%dUL", 1 + below(200));
            }
        }
        if (left_const) {
            left.len = 0;
            bitwise = false;
            out(&left, "%dUL", 1 + below(200));
        }
        /* x < x: -Wtautological-compare. */
        if (left.len == right.len && !memcmp(left.s, right.s, left.len)) {
            right.len = 0;
            out(&right, "%dUL", 1 + below(200));
        }
    }
    out(o, bitwise ? "((%.*s + 1UL) %s " : "(%.*s %s ", (int)left.len, left.s, op);
    /* + 2UL: (x & y) + 1UL == (y & x) + 1UL is a self-comparison to gcc. */
    out(o, right_bitwise ? "(%.*s + 2UL))" : "%.*s)", (int)right.len, right.s);
    free(left.s);
    free(right.s);
}

static bool struct_readable(const var *v, const ectx *e)
{
    return v->t == T_STRUCT && v->store != e->excl;
}

/* An expression of type struct S. */
static void gen_s(gen *g, text *o, ectx *e, int size)
{
    func *fn = g->fn;
    for (int tries = 0; tries < 6; tries++) {
        int k = below(100);
        if (k < 25 && e->calls > 0 && size > 0) {
            int cand[MAX_FUNCS], n = 0;
            for (int i = 0; i < fn->ncallees; i++)
                if (funcs[fn->callees[i]].ret == T_STRUCT)
                    cand[n++] = fn->callees[i];
            if (!n)
                continue;
            gen_call(g, o, e, size - 1, cand[below(n)]);
            return;
        } else if (k < 45) {
            var *v = pick_var(struct_readable, e);
            if (!v)
                continue;
            out(o, "%s", v->name);
            return;
        } else if (k < 65 && on(F_COMPOUND_LITERAL)) {
            out(o, "((struct S){");
            gen_u(g, o, e, size - 1);
            out(o, ", (long)(");
            gen_u(g, o, e, size - 1);
            out(o, "), {%d, (unsigned char)(", below(256));
            gen_u(g, o, e, size - 2);
            out(o, "), %d, %d}})", below(256), below(256));
            return;
        } else if (k < 75 && on(F_LAZY) && size > 0) {
            out(o, "(");
            gen_cond(g, o, e, size - 1);
            out(o, " ? ");
            gen_s(g, o, e, size - 1);
            out(o, " : ");
            gen_s(g, o, e, size - 1);
            out(o, ")");
            return;
        } else {
            used_mk = true;
            out(o, "mk(");
            gen_u(g, o, e, size - 1);
            out(o, ", ");
            gen_u(g, o, e, size - 1);
            out(o, ")");
            return;
        }
    }
    used_mk = true;
    out(o, "mk(%dUL, %dUL)", below(100), below(100));
}

/* A value of type T for a parameter, a return or a declaration. */
static void gen_value(gen *g, text *o, ectx *e, int size, type t)
{
    if (t == T_STRUCT) {
        gen_s(g, o, e, size);
    } else if (t == T_ULONG) {
        gen_u(g, o, e, size);
    } else {
        out(o, "(%s)(", cast_names[t]);
        gen_u(g, o, e, size);
        out(o, ")");
    }
}

/* Can &V (or V itself) be passed as a writable unsigned long *? */
static bool excl_pointer(const var *v, const ectx *e)
{
    if (v->t == T_PTR)
        return v->store == e->excl && !v->nullable; /* a local pointer to excl */
    if (v->store != e->excl || !v->addressable)
        return false;
    return v->t == T_ULONG || v->t == T_ARRAY || v->t == T_STRUCT;
}

static bool param_pointer(const var *v, const ectx *e)
{
    return v->t == T_PTR && v->nullable && v->store == e->excl;
}

static bool readonly_pointer(const var *v, const ectx *e)
{
    if (v->store == e->excl || v->is_volatile)
        return false;
    if (v->t == T_PTR || v->t == T_CPTR)
        return true;
    return v->addressable && (v->t == T_ULONG || v->t == T_ARRAY || v->t == T_STRUCT);
}

/* An address of the object V stands for. */
static void gen_address(text *o, const var *v)
{
    switch (v->t) {
    case T_ULONG:
        out(o, "&%s", v->name);
        break;
    case T_ARRAY:
        if (chance(30))
            out(o, "%s", v->name);
        else
            out(o, "&%s[%d]", v->name, below(4));
        break;
    case T_STRUCT:
        out(o, "&%s.a", v->name);
        break;
    default:
        out(o, "%s", v->name);
    }
}

/* A recursive call to funcs[CALLEE]. Returns false (writing nothing) when
 * the expression may not call any more. */
static bool gen_call(gen *g, text *o, ectx *e, int size, int callee)
{
    func *fn = g->fn, *c = &funcs[callee];
    if (e->calls <= 0)
        return false;
    e->calls--;
    opaque++;
    fn->sites += g->mult;
    /* The deep site: once per activation at most, and only along a cycle. */
    bool cyclic = callee == g->fi || callee == fn->cycle_next;
    bool deep = cyclic && !fn->has_deep && g->mult == 1 && (force_deep || chance(35));
    if (deep)
        fn->has_deep = true;
    const char *d = fn->params[fn->depth_param].name;
    out(o, "%s(", c->name);
    ectx inner = *e;
    inner.nest++;
    if (!on(F_NESTED_CALL) || inner.nest > 2)
        inner.calls = 0;
    for (int i = 0; i < c->nparams; i++) {
        const param *p = &c->params[i];
        if (i)
            out(o, ", ");
        if (i == c->depth_param) {
            if (deep) {
                out(o, "%s - 1", d);
            } else {
                used_cap = true;
                out(o, "(%s > cap_depth ? cap_depth : %s) - 1", d, d);
            }
            continue;
        }
        switch (p->t) {
        case T_PTR: {
            var *v = NULL;
            if (inner.excl >= 0 && !inner.excl_written && chance(80)) {
                v = pick_var(excl_pointer, &inner);
                if (v)
                    gen_address(o, v);
                else if ((v = pick_var(param_pointer, &inner)) != NULL)
                    out(o, "%s", v->name);
            }
            if (v)
                inner.excl_written = true;
            else
                out(o, "NULL");
            break;
        }
        case T_CPTR: {
            var *v = chance(80) ? pick_var(readonly_pointer, &inner) : NULL;
            if (v)
                gen_address(o, v);
            else
                out(o, "NULL");
            break;
        }
        default:
            gen_value(g, o, &inner, size, p->t);
        }
    }
    out(o, ")");
    e->calls = inner.nest > 2 || !on(F_NESTED_CALL) ? e->calls : inner.calls;
    e->excl_written = inner.excl_written;
    return true;
}

/* ---- statements ---- */

static void gen_stmts(gen *g, text *o, int ind, int n, bool nodecl);
static void gen_stmt(gen *g, text *o, int ind, bool nodecl);

/* A fresh expression context: sometimes with an object it may write. */
static ectx new_ectx(gen *g)
{
    ectx e = {-1, false, true, 1 + below(3), 0};
    (void)g;
    if (chance(50)) {
        int cand[MAX_VARS], n = 0;
        for (int i = 0; i < nvars; i++) {
            const var *v = &vars[i];
            if (!visible(i) || v->is_volatile)
                continue;
            if ((v->addressable && (v->t == T_ULONG || v->t == T_ARRAY || v->t == T_STRUCT)) ||
                (v->t == T_PTR) || (scalar(v->t) && v->assignable))
                cand[n++] = v->store;
        }
        if (n)
            e.excl = cand[below(n)];
    }
    return e;
}

static const char *fresh_name(gen *g)
{
    static char buf[16];
    /* Shadow a visible name from an outer block, now and then. */
    if (on(F_SHADOW) && g->level >= 2 && chance(35)) {
        int cand[MAX_VARS], n = 0;
        for (int i = 0; i < nvars; i++) {
            const var *v = &vars[i];
            if (!visible(i) || v->level >= g->level || (v->param && g->level <= 1))
                continue;
            if (!strcmp(v->name, g->fn->params[g->fn->depth_param].name) ||
                !strcmp(v->name, "acc"))
                continue;
            cand[n++] = i;
        }
        if (n) {
            snprintf(buf, sizeof buf, "%s", vars[cand[below(n)]].name);
            return buf;
        }
    }
    if (on(F_GENERATED_NAMES) && chance(10)) {
        static const char *const patterns[] = {"%s__t%d", "%s__u%d", "%s__l_x_%d"};
        snprintf(buf, sizeof buf, patterns[below(3)], g->fn->name, ++g->names);
        return buf;
    }
    snprintf(buf, sizeof buf, "%s%d", local_names[below(10)], ++g->names);
    return buf;
}

/* The values of the variables declared at LEVEL and above, folded into acc,
 * so that every variable is read (and the checksums see them). */
static void gen_fold(gen *g, text *o, int ind, int from)
{
    (void)g;
    bool any = false;
    for (int i = from; i < nvars; i++)
        if (visible(i) && vars[i].is_volatile) {
            tab(o, ind);
            out(o, "acc += %s;\n", vars[i].name);
        }
    for (int i = from; i < nvars; i++) {
        const var *v = &vars[i];
        if (!visible(i) || v->is_volatile)
            continue;
        if (!any) {
            tab(o, ind);
            out(o, "acc = mix(acc, ");
            used_mix = true;
            any = true;
        } else {
            out(o, " + ");
        }
        switch (v->t) {
        case T_STRUCT:
            out(o, "%s.a + (unsigned long)%s.b + %s.c[0] + %s.c[3]", v->name, v->name, v->name,
                v->name);
            break;
        case T_ARRAY:
            out(o, "%s[0] + %s[1] + %s[2] + %s[3]", v->name, v->name, v->name, v->name);
            break;
        default:
            gen_read(o, v);
        }
    }
    if (any)
        out(o, ");\n");
}

/* A declaration with an initializer (recursive calls allowed in it). */
static void gen_decl(gen *g, text *o, int ind)
{
    char name[16];
    snprintf(name, sizeof name, "%s", fresh_name(g));
    int k = below(100);
    type t = T_ULONG;
    if (k < 45)
        t = T_ULONG;
    else if (k < 60)
        t = (type)(T_LONG + below(3));
    else if (k < 72 && on(F_STRUCT))
        t = T_STRUCT;
    else if (k < 84 && on(F_ARRAY))
        t = T_ARRAY;
    else if (k < 96 && on(F_LOCAL_POINTER))
        t = T_PTR;
    bool is_const = on(F_QUALIFIERS) && t != T_PTR && chance(10);
    bool is_volatile = on(F_QUALIFIERS) && !is_const && t == T_ULONG && chance(8);

    if (t == T_PTR) {
        /* A pointer to a visible local: it aliases its target. The new
         * name is in scope in its own initializer. */
        declaring = name;
        int cand[MAX_VARS], n = 0;
        for (int i = 0; i < nvars; i++) {
            const var *v = &vars[i];
            if (visible(i) && !v->param && !v->is_volatile && v->assignable &&
                (v->t == T_ULONG || v->t == T_ARRAY || v->t == T_STRUCT))
                cand[n++] = i;
        }
        declaring = NULL;
        if (!n) {
            t = T_ULONG;
        } else {
            var *target = &vars[cand[below(n)]];
            target->addressable = true;
            tab(o, ind);
            out(o, "unsigned long *%s = ", name);
            gen_address(o, target);
            out(o, ";\n");
            int store = target->store;
            var *v = push_var(name, T_PTR, g->level);
            v->store = store;
            v->assignable = false;
            return;
        }
    }

    ectx e = new_ectx(g);
    /* What the initializer writes cannot be read by it, nor declared by it. */
    declaring = name;
    tab(o, ind);
    out(o, "%s%s%s %s%s = ", is_const ? "const " : "", is_volatile ? "volatile " : "",
        type_names[t], name, t == T_ARRAY ? "[4]" : "");
    if (t == T_ARRAY) {
        out(o, "{");
        for (int i = 0; i < 4; i++) {
            if (i)
                out(o, ", ");
            gen_u(g, o, &e, below(3));
        }
        out(o, "}");
    } else {
        gen_value(g, o, &e, 1 + below(3), t);
    }
    out(o, ";\n");
    declaring = NULL;
    var *v = push_var(name, t, g->level);
    v->assignable = !is_const;
    v->is_volatile = is_volatile;
    v->addressable = !is_const && !is_volatile && chance(60);
}

/* What an assignment statement may store to: a variable, or what a
 * pointer points to. */
static bool assignable_lhs(const var *v, const ectx *e)
{
    (void)e;
    if (v->t == T_PTR)
        return true;
    return v->assignable && !v->is_volatile &&
           (scalar(v->t) || v->t == T_STRUCT || v->t == T_ARRAY);
}

/* `LHS = E;` or `LHS op= E;`. A plain assignment may store to the object
 * its right side writes (the store comes after the call); a compound one
 * reads it first, so its target is never the written object. */
static void gen_assign(gen *g, text *o, int ind)
{
    ectx e = new_ectx(g);
    var *v = pick_var(assignable_lhs, &e);
    if (!v) {
        tab(o, ind);
        out(o, "acc += ");
        gen_u(g, o, &e, 2);
        out(o, ";\n");
        return;
    }
    bool compound = chance(35) && v->t != T_STRUCT;
    if (compound && v->store == e.excl)
        e.excl = -1;
    if (v->store == e.excl)
        e.excl_assign_ok = false; /* two unsequenced stores otherwise */
    /* Signed variables get only ^= and |=: += -= *= can overflow them,
     * and gcc -O2 builds on signed overflow never happening (a native
     * program with it is no ground truth: seed 41045 of random-long). */
    static const char *const cops[] = {"^=", "|=", "+=", "-=", "*="};
    bool is_signed = v->t == T_LONG || v->t == T_INT;
    const char *op = compound ? cops[below(is_signed ? 2 : 5)] : "=";
    int size = 1 + below(3);
    tab(o, ind);
    switch (v->t) {
    case T_STRUCT:
        if (chance(50)) {
            text rhs = {0};
            gen_s(g, &rhs, &e, size);
            /* Never `s = s;` (clang's -Wself-assign). */
            if (rhs.len == strlen(v->name) && !memcmp(rhs.s, v->name, rhs.len)) {
                rhs.len = 0;
                used_mk = true;
                out(&rhs, "mk(%s.b + 1UL, %s.a)", v->name, v->name);
            }
            out(o, "%s = %.*s", v->name, (int)rhs.len, rhs.s);
            free(rhs.s);
        } else {
            int f = below(3);
            if (f == 0)
                out(o, "%s.a = ", v->name);
            else if (f == 1)
                out(o, "%s.b = (long)", v->name);
            else
                out(o, "%s.c[%d] = (unsigned char)", v->name, below(4));
            out(o, "(");
            gen_u(g, o, &e, size);
            out(o, ")");
        }
        break;
    case T_ARRAY:
        out(o, "%s[(", v->name);
        gen_u(g, o, &e, 1);
        out(o, ") & 3UL] %s ", op);
        gen_u(g, o, &e, size);
        break;
    case T_PTR:
        if (v->nullable) {
            out(o, "if (%s)\n", v->name);
            tab(o, ind + 1);
        }
        out(o, "*%s %s ", v->name, op);
        gen_u(g, o, &e, size);
        break;
    default: {
        text rhs = {0};
        gen_value(g, &rhs, &e, size, v->t);
        /* Never `x = x;` (clang's -Wself-assign). */
        if (rhs.len == strlen(v->name) && !memcmp(rhs.s, v->name, rhs.len))
            out(&rhs, " + 1UL");
        out(o, "%s %s %.*s", v->name, op, (int)rhs.len, rhs.s);
        free(rhs.s);
    }
    }
    out(o, ";\n");
}

/* A return statement: a value of the function's type, sometimes a tail call. */
static void gen_return(gen *g, text *o, int ind)
{
    func *fn = g->fn;
    ectx e = new_ectx(g);
    e.excl = -1; /* nothing reads what a returned expression writes */
    tab(o, ind);
    if (fn->ret == T_VOID) {
        out(o, "return;\n");
        return;
    }
    if (on(F_TAIL) && chance(35)) {
        int cand[MAX_FUNCS], n = 0;
        for (int i = 0; i < fn->ncallees; i++)
            if (funcs[fn->callees[i]].ret == fn->ret)
                cand[n++] = fn->callees[i];
        if (n) {
            out(o, "return ");
            gen_call(g, o, &e, 2, cand[below(n)]);
            out(o, ";\n");
            return;
        }
    }
    out(o, "return ");
    gen_value(g, o, &e, 1 + below(3), fn->ret);
    out(o, ";\n");
}

static void gen_block(gen *g, text *o, int ind, int n)
{
    int mark = nvars;
    g->level++;
    gen_stmts(g, o, ind, n, false);
    gen_fold(g, o, ind, mark);
    nvars = mark;
    g->level--;
}

static void gen_if(gen *g, text *o, int ind)
{
    ectx e = new_ectx(g);
    tab(o, ind);
    out(o, "if ");
    gen_cond(g, o, &e, 1 + below(3));
    out(o, " {\n");
    gen_block(g, o, ind + 1, 1 + below(3));
    tab(o, ind);
    if (chance(50)) {
        out(o, "} else {\n");
        gen_block(g, o, ind + 1, 1 + below(3));
        tab(o, ind);
    }
    out(o, "}\n");
}

/* Declares a loop counter; wraps the loop in a block when the context
 * allows no declaration (a case, a region jumped over by a goto). */
static void loop_counter(gen *g, text *o, int *ind, bool nodecl, char *name, size_t size,
                         bool *wrapped)
{
    snprintf(name, size, "k%d", ++g->counters);
    *wrapped = nodecl;
    if (nodecl) {
        tab(o, *ind);
        out(o, "{\n");
        (*ind)++;
    }
    tab(o, *ind);
    out(o, "unsigned %s = 0;\n", name);
}

static void end_wrap(text *o, int ind, bool wrapped)
{
    if (wrapped) {
        tab(o, ind - 1);
        out(o, "}\n");
    }
}

/* The loop body: a block whose first statement counts the iteration. */
static void gen_loop_body(gen *g, text *o, int ind, const char *counter, int limit)
{
    int mark = nvars;
    int mult = g->mult;
    g->mult *= limit;
    g->loops++;
    g->breakable++;
    g->level++;
    if (counter) {
        tab(o, ind);
        out(o, "%s++;\n", counter);
    }
    gen_stmts(g, o, ind, 1 + below(3), false);
    gen_fold(g, o, ind, mark);
    nvars = mark;
    g->level--;
    g->breakable--;
    g->loops--;
    g->mult = mult;
}

static void gen_loop(gen *g, text *o, int ind, bool nodecl)
{
    int limit = 1 + below(3);
    int kind = below(3);
    char k[16];
    bool wrapped = false;
    int mult = g->mult;
    if (kind == 0) {
        loop_counter(g, o, &ind, nodecl, k, sizeof k, &wrapped);
        push_var(k, T_UINT, g->level)->assignable = false;
        ectx e = new_ectx(g);
        g->mult = mult * (limit + 1);
        tab(o, ind);
        out(o, "while (%s < %dU && ", k, limit);
        gen_cond(g, o, &e, 1 + below(3));
        out(o, ") {\n");
        g->mult = mult;
        gen_loop_body(g, o, ind + 1, k, limit);
        tab(o, ind);
        out(o, "}\n");
        /* Unwrapped, the counter stays visible (and read) after the loop. */
        if (wrapped)
            nvars--;
        end_wrap(o, ind, wrapped);
    } else if (kind == 1) {
        loop_counter(g, o, &ind, nodecl, k, sizeof k, &wrapped);
        push_var(k, T_UINT, g->level)->assignable = false;
        tab(o, ind);
        out(o, "do {\n");
        gen_loop_body(g, o, ind + 1, k, limit);
        ectx e = new_ectx(g);
        g->mult = mult * limit;
        tab(o, ind);
        out(o, "} while (%s < %dU && ", k, limit);
        gen_cond(g, o, &e, 1 + below(3));
        out(o, ");\n");
        g->mult = mult;
        if (wrapped)
            nvars--;
        end_wrap(o, ind, wrapped);
    } else {
        /* for: the counter declared in the header (C99) or before it. */
        snprintf(k, sizeof k, "k%d", ++g->counters);
        bool in_header = nodecl || chance(60);
        int mark = nvars;
        if (!in_header) {
            tab(o, ind);
            out(o, "unsigned %s = 0;\n", k);
        }
        push_var(k, T_UINT, g->level + (in_header ? 1 : 0))->assignable = false;
        ectx e = new_ectx(g);
        g->mult = mult * (limit + 1);
        tab(o, ind);
        out(o, "for (%s%s = 0; %s < %dU && ", in_header ? "unsigned " : "", k, k, limit);
        gen_cond(g, o, &e, 1 + below(2));
        out(o, "; ");
        ectx inc = new_ectx(g);
        g->mult = mult * limit;
        int how = below(3);
        if (how == 0) {
            out(o, "%s++", k);
        } else if (how == 1) {
            out(o, "%s++, acc ^= ", k);
            inc.excl = -1;
            gen_u(g, o, &inc, 1 + below(2));
        } else {
            out(o, "%s += 1U + (unsigned)(", k);
            gen_u(g, o, &inc, 1 + below(2));
            out(o, " & 1UL)");
        }
        out(o, ") {\n");
        g->mult = mult;
        gen_loop_body(g, o, ind + 1, NULL, limit);
        tab(o, ind);
        out(o, "}\n");
        if (in_header)
            nvars = mark;
    }
}

static void gen_switch(gen *g, text *o, int ind)
{
    ectx e = new_ectx(g);
    int ncases = 2 + below(3);
    int values[5] = {0, 1, 2, 3, 4};
    for (int i = 4; i > 0; i--) {
        int j = below(i + 1), t = values[i];
        values[i] = values[j];
        values[j] = t;
    }
    tab(o, ind);
    /* ^ depth: never a constant (clang warns when no case matches one). */
    out(o, "switch ((");
    gen_u(g, o, &e, 1 + below(3));
    out(o, " ^ (unsigned long)%s) %% 5UL) {\n", g->fn->params[g->fn->depth_param].name);
    g->breakable++;
    for (int i = 0; i < ncases; i++) {
        bool dflt = i == ncases - 1 && chance(50);
        tab(o, ind);
        if (dflt)
            out(o, "default:\n");
        else
            out(o, "case %d:\n", values[i]);
        /* Declarations in a case would be in scope in the next one. */
        gen_stmts(g, o, ind + 1, 1 + below(2), true);
        if (i < ncases - 1 && chance(40)) {
            tab(o, ind + 1);
            out(o, "/* fall through */\n");
        } else {
            tab(o, ind + 1);
            out(o, "break;\n");
        }
    }
    g->breakable--;
    tab(o, ind);
    out(o, "}\n");
}

/* `if (C) goto L;` ... `L: S` in the same block: the statements between
 * declare nothing (they would be in scope, uninitialized, after L). Nested
 * statements may also jump to L, out of their blocks and loops. */
static void gen_forward_goto(gen *g, text *o, int ind)
{
    int label = ++g->labels;
    ectx e = new_ectx(g);
    tab(o, ind);
    out(o, "if ");
    gen_cond(g, o, &e, 1 + below(2));
    out(o, "\n");
    tab(o, ind + 1);
    out(o, "goto skip%d;\n", label);
    bool pushed = g->nopen < 8;
    if (pushed)
        g->open_labels[g->nopen++] = label;
    gen_stmts(g, o, ind, 1 + below(3), true);
    if (pushed)
        g->nopen--;
    out(o, "skip%d:\n", label);
    gen_stmt(g, o, ind, true);
}

/* `unsigned rN = 0; again: S... if (rN++ < L && C) goto again;` */
static void gen_backward_goto(gen *g, text *o, int ind, bool nodecl)
{
    int label = ++g->labels, limit = 1 + below(2);
    char r[24];
    snprintf(r, sizeof r, "round%d", label);
    if (nodecl) {
        tab(o, ind);
        out(o, "{\n");
        ind++;
    }
    tab(o, ind);
    out(o, "unsigned %s = 0;\n", r);
    out(o, "again%d:\n", label);
    int mult = g->mult;
    g->mult = mult * (limit + 1);
    /* The statement after a label cannot be a declaration. */
    gen_stmt(g, o, ind, true);
    gen_stmts(g, o, ind, below(3), true);
    ectx e = new_ectx(g);
    tab(o, ind);
    out(o, "if (%s++ < %dU && ", r, limit);
    gen_cond(g, o, &e, 1 + below(2));
    out(o, ")\n");
    tab(o, ind + 1);
    out(o, "goto again%d;\n", label);
    g->mult = mult;
    if (nodecl) {
        tab(o, ind - 1);
        out(o, "}\n");
    }
}

static bool static_update_ok(const gen *g)
{
    return g->fn->nstatics > 0;
}

static void gen_stmt(gen *g, text *o, int ind, bool nodecl)
{
    func *fn = g->fn;
    g->stmts++;
    bool small = g->stmts > 40 || g->level > 3;
    for (int tries = 0; tries < 20; tries++) {
        int k = below(120);
        if (k < 18) {
            gen_assign(g, o, ind);
        } else if (k < 30) {
            /* A call as a statement. */
            ectx e = new_ectx(g);
            text t = {0};
            if (!gen_call_any(g, &t, &e, 1 + below(2))) {
                free(t.s);
                continue;
            }
            tab(o, ind);
            append(o, &t);
            out(o, ";\n");
            free(t.s);
        } else if (k < 40) {
            ectx e = new_ectx(g);
            tab(o, ind);
            out(o, "acc %s ", chance(50) ? "+=" : "^=");
            if (e.excl >= 0 && lookup("acc") && lookup("acc")->store == e.excl)
                e.excl = -1;
            gen_u(g, o, &e, 1 + below(3));
            out(o, ";\n");
        } else if (k < 45) {
            /* Globals and statics: commutative updates, no calls. */
            ectx e = {-1, false, false, 0, 0};
            tab(o, ind);
            if (static_update_ok(g) && chance(60))
                out(o, "st%d += ", below(fn->nstatics));
            else
                out(o, chance(50) ? "g_sum += " : "g_xor ^= ");
            gen_u(g, o, &e, 1 + below(2));
            out(o, ";\n");
        } else if (k < 60) {
            if (nodecl)
                continue;
            gen_decl(g, o, ind);
        } else if (k < 72) {
            if (small)
                continue;
            gen_if(g, o, ind);
        } else if (k < 78) {
            if (small || !on(F_SWITCH))
                continue;
            gen_switch(g, o, ind);
        } else if (k < 88) {
            if (small || !on(F_LOOPS) || g->mult > 4)
                continue;
            gen_loop(g, o, ind, nodecl);
        } else if (k < 93) {
            if (small)
                continue;
            tab(o, ind);
            out(o, "{\n");
            gen_block(g, o, ind + 1, 1 + below(3));
            tab(o, ind);
            out(o, "}\n");
        } else if (k < 97) {
            if (small || !on(F_GOTO))
                continue;
            gen_forward_goto(g, o, ind);
        } else if (k < 99) {
            if (small || !on(F_BACKWARD_GOTO) || g->mult > 4)
                continue;
            gen_backward_goto(g, o, ind, nodecl);
        } else if (k < 106) {
            /* break, continue or a goto to an open label, under a condition. */
            bool can_break = on(F_BREAK_CONTINUE) && g->breakable > 0;
            bool can_continue = on(F_BREAK_CONTINUE) && g->loops > 0;
            bool can_goto = on(F_GOTO) && g->nopen > 0;
            if (!can_break && !can_continue && !can_goto)
                continue;
            ectx e = new_ectx(g);
            tab(o, ind);
            out(o, "if ");
            gen_cond(g, o, &e, 1 + below(2));
            out(o, "\n");
            tab(o, ind + 1);
            int w = below(3);
            if (w == 0 && can_goto)
                out(o, "goto skip%d;\n", g->open_labels[below(g->nopen)]);
            else if (w == 1 && can_continue)
                out(o, "continue;\n");
            else if (can_break)
                out(o, "break;\n");
            else if (can_continue)
                out(o, "continue;\n");
            else
                out(o, "goto skip%d;\n", g->open_labels[below(g->nopen)]);
        } else if (k < 110) {
            if (!on(F_EARLY_RETURN) || g->level < 2)
                continue;
            ectx e = new_ectx(g);
            tab(o, ind);
            out(o, "if ");
            gen_cond(g, o, &e, 1 + below(2));
            out(o, " {\n");
            gen_return(g, o, ind + 1);
            tab(o, ind);
            out(o, "}\n");
        } else {
            gen_assign(g, o, ind);
        }
        return;
    }
    tab(o, ind);
    out(o, "acc += 1UL;\n");
}

static void gen_stmts(gen *g, text *o, int ind, int n, bool nodecl)
{
    for (int i = 0; i < n; i++)
        gen_stmt(g, o, ind, nodecl);
}

/* ---- functions ---- */

static const char *const param_names[] = {"a", "b", "c", "e", "m"};

static void gen_signature(func *fn, int fi)
{
    snprintf(fn->name, sizeof fn->name, "f%d", fi);
    int k = below(100);
    if (k < 35)
        fn->ret = T_ULONG;
    else if (k < 45)
        fn->ret = T_LONG;
    else if (k < 55)
        fn->ret = T_INT;
    else if (k < 62)
        fn->ret = T_UINT;
    else if (k < 80 && on(F_STRUCT_RETURN) && on(F_STRUCT))
        fn->ret = T_STRUCT;
    else if (on(F_VOID))
        fn->ret = T_VOID;
    else
        fn->ret = T_ULONG;
    fn->is_static = chance(70);
    int np = 1 + below(4);
    fn->depth_param = below(np);
    bool has_ptr = false, has_cptr = false;
    int named = 0;
    for (int i = 0; i < np; i++) {
        param *p = &fn->params[i];
        if (i == fn->depth_param) {
            p->t = T_LONG;
            snprintf(p->name, sizeof p->name, "%s", chance(50) ? "d" : "depth");
            p->is_const = on(F_QUALIFIERS) && chance(15);
            continue;
        }
        snprintf(p->name, sizeof p->name, "%s", param_names[named++]);
        int t = below(100);
        if (t < 30)
            p->t = T_ULONG;
        else if (t < 45)
            p->t = (type)(T_LONG + below(3));
        else if (t < 62 && on(F_STRUCT))
            p->t = T_STRUCT;
        else if (t < 85 && on(F_POINTER_PARAM) && !has_ptr)
            p->t = T_PTR, has_ptr = true;
        else if (t < 95 && on(F_CONST_POINTER) && !has_cptr)
            p->t = T_CPTR, has_cptr = true;
        else
            p->t = T_ULONG;
        p->is_const = on(F_QUALIFIERS) && scalar(p->t) && chance(10);
        p->as_array = (p->t == T_PTR || p->t == T_CPTR) && on(F_ARRAY_PARAM) && chance(30);
    }
    fn->nparams = np;
    fn->nstatics = on(F_STATIC_LOCAL) && chance(40) ? 1 + below(2) : 0;
}

static void print_params(text *o, const func *fn)
{
    for (int i = 0; i < fn->nparams; i++) {
        const param *p = &fn->params[i];
        if (p->as_array) {
            out(o, "%s%sunsigned long %s[]", i ? ", " : "", p->t == T_CPTR ? "const " : "",
                p->name);
            continue;
        }
        out(o, "%s%s%s%s", i ? ", " : "", p->is_const ? "const " : "", type_names[p->t],
            p->t == T_PTR || p->t == T_CPTR ? "" : " ");
        out(o, "%s", p->name);
    }
}

static void print_head(text *o, const func *fn, bool annotate)
{
    out(o, "%s%s%s %s(", annotate ? "UNRECURSE " : "", fn->is_static ? "static " : "",
        type_names[fn->ret], fn->name);
    print_params(o, fn);
    out(o, ")");
}

/* A value of type T built from constants only (dump and base cases). */
static void const_value(text *o, type t, const char *v)
{
    if (t == T_STRUCT)
        out(o, "mk(%s, 7UL)", v), used_mk = true;
    else if (t == T_ULONG)
        out(o, "%s", v);
    else
        out(o, "(%s)(%s)", cast_names[t], v);
}

/* `acc += f(depth - 1, ...);`: the deep call, at the top level. */
static void gen_deep_statement(gen *g, text *o)
{
    func *fn = g->fn;
    int cand[2], n = 0;
    for (int i = 0; i < fn->ncallees; i++)
        if (fn->callees[i] == g->fi || fn->callees[i] == fn->cycle_next)
            cand[n++] = fn->callees[i];
    if (!n)
        return;
    int callee = cand[below(n)];
    ectx e = new_ectx(g);
    if (e.excl == lookup("acc")->store)
        e.excl = -1; /* acc += ...: acc is read */
    force_deep = true;
    tab(o, 1);
    if (funcs[callee].ret == T_VOID) {
        gen_call(g, o, &e, 1, callee);
    } else if (funcs[callee].ret == T_STRUCT) {
        used_sfold = true;
        out(o, "acc += sfold(");
        gen_call(g, o, &e, 1, callee);
        out(o, ")");
    } else {
        out(o, "acc += (unsigned long)");
        gen_call(g, o, &e, 1, callee);
    }
    out(o, ";\n");
    force_deep = false;
}

static void gen_function(int fi)
{
    func *fn = &funcs[fi];
    text *o = &fn->body;
    gen g = {0};
    g.fn = fn;
    g.fi = fi;
    g.mult = 1;
    g.level = 1;
    nvars = 0;
    nstores = 0;
    const char *d = fn->params[fn->depth_param].name;

    print_head(o, fn, true);
    out(o, "\n{\n");
    for (int i = 0; i < fn->nstatics; i++)
        out(o, "    static unsigned long st%d%s;\n", i, i ? " = 5" : "");
    for (int i = 0; i < fn->nparams; i++) {
        const param *p = &fn->params[i];
        var *v = push_var(p->name, p->t, 0);
        v->param = true;
        v->assignable = !p->is_const && i != fn->depth_param;
        v->addressable = false;
        if (p->t == T_PTR || p->t == T_CPTR) {
            v->nullable = true;
            v->assignable = p->t == T_PTR;
        }
    }
    /* The dump activation: main calls it last to print the statics. */
    if (fn->nstatics) {
        out(o, "    if (%s < 0) {\n        g_dump += st0", d);
        for (int i = 1; i < fn->nstatics; i++)
            out(o, " * 3UL + st%d", i);
        out(o, ";\n");
        if (fn->ret == T_VOID) {
            out(o, "        return;\n");
        } else {
            out(o, "        return ");
            const_value(o, fn->ret, "0UL");
            out(o, ";\n");
        }
        out(o, "    }\n");
    }
    /* The base case reads the parameters only. */
    {
        ectx e = {-1, false, false, 0, 0};
        out(o, "    if (%s <= 0", d);
        if (chance(30))
            out(o, " || %s > 1000000000L", d);
        out(o, ") {\n");
        if (chance(40)) {
            for (int i = 0; i < fn->nparams; i++)
                if (fn->params[i].t == T_PTR) {
                    out(o, "        if (%s)\n            *%s ^= ", fn->params[i].name,
                        fn->params[i].name);
                    gen_u(&g, o, &e, 1);
                    out(o, ";\n");
                }
        }
        if (fn->ret == T_VOID) {
            out(o, "        g_sum += ");
            gen_u(&g, o, &e, 2);
            out(o, ";\n        return;\n");
        } else {
            out(o, "        return ");
            gen_value(&g, o, &e, 2, fn->ret);
            out(o, ";\n");
        }
        out(o, "    }\n");
    }
    {
        ectx e = {-1, false, false, 0, 0};
        out(o, "    unsigned long acc = ");
        gen_u(&g, o, &e, 1);
        out(o, ";\n");
        if (on(F_FUNCTION_POINTER) && chance(40)) {
            /* Read after calls: the pointer is saved across them. */
            out(o, "    unsigned long (*op)(unsigned long, unsigned long) = "
                   "((unsigned long)%s & 1UL) != 0UL ? mix : mix2;\n", d);
            fn->has_op = used_mix = used_mix2 = true;
        }
        var *v = push_var("acc", T_ULONG, 1);
        v->addressable = false;
    }
    int mark = nvars;
    gen_stmts(&g, o, 1, 2 + below(5), false);
    /* No deep call placed: add one, so that the deep run goes deep. */
    if (!fn->has_deep && chance(70))
        gen_deep_statement(&g, o);
    gen_fold(&g, o, 1, mark);
    /* Parameters are read too (and not only in the base case). */
    out(o, "    acc = %s(acc, (unsigned long)%s", fn->has_op ? "op" : "mix", d);
    used_mix = true;
    for (int i = 0; i < fn->nparams; i++) {
        const param *p = &fn->params[i];
        if (i == fn->depth_param)
            continue;
        if (p->t == T_STRUCT)
            out(o, " + %s.a + (unsigned long)%s.b + %s.c[1]", p->name, p->name, p->name);
        else if (p->t == T_PTR || p->t == T_CPTR)
            out(o, " + (%s ? *%s : 3UL)", p->name, p->name);
        else
            out(o, " + (unsigned long)%s", p->name);
    }
    out(o, ");\n");
    /* The end: sometimes a tail call, the deep one if none was placed. */
    if (on(F_TAIL) && fn->ret != T_VOID && chance(fn->has_deep ? 20 : 60)) {
        int cand[MAX_FUNCS], n = 0;
        for (int i = 0; i < fn->ncallees; i++)
            if (funcs[fn->callees[i]].ret == fn->ret &&
                (fn->has_deep || fn->callees[i] == fi || fn->callees[i] == fn->cycle_next))
                cand[n++] = fn->callees[i];
        if (n) {
            ectx e = new_ectx(&g);
            force_deep = true;
            out(o, "    return ");
            gen_call(&g, o, &e, 2, cand[below(n)]);
            out(o, ";\n}\n");
            force_deep = false;
            return;
        }
    }
    if (!fn->has_deep)
        gen_deep_statement(&g, o);
    if (fn->ret == T_VOID) {
        out(o, "    g_sum += acc;\n");
    } else if (fn->ret == T_STRUCT) {
        used_mk = true;
        out(o, "    return mk(acc, (unsigned long)%s);\n", d);
    } else {
        out(o, "    return ");
        const_value(o, fn->ret, "acc");
        out(o, ";\n");
    }
    out(o, "}\n");
}

/* ---- the program ---- */

static void print_helpers(text *o)
{
    if (used_mix)
        out(o, "static unsigned long mix(unsigned long a, unsigned long b)\n{\n"
               "    return (a * 0x9e3779b97f4a7c15UL) ^ (b + (a >> 29));\n}\n\n");
    if (used_mix2)
        out(o, "static unsigned long mix2(unsigned long a, unsigned long b)\n{\n"
               "    return (a ^ (b << 7)) * 0xbf58476d1ce4e5b9UL + b;\n}\n\n");
    if (used_note)
        out(o, "/* A commutative side effect: the order of the calls does not matter. */\n"
               "static unsigned long note(unsigned long x)\n{\n"
               "    g_note += x;\n    return x;\n}\n\n");
    if (used_mk)
        out(o, "static struct S mk(unsigned long a, unsigned long b)\n{\n"
               "    struct S s;\n    s.a = a;\n    s.b = (long)(b & 0xffffUL);\n"
               "    s.c[0] = (unsigned char)a;\n    s.c[1] = (unsigned char)b;\n"
               "    s.c[2] = (unsigned char)(a >> 8);\n    s.c[3] = 3;\n    return s;\n}\n\n");
    if (used_sfold)
        out(o, "static unsigned long sfold(struct S s)\n{\n"
               "    return s.a * 3UL + (unsigned long)s.b + s.c[0] + s.c[1] * 7UL + s.c[2] + "
               "s.c[3];\n}\n\n");
}

/* Arguments for a call from main or from a nested-run helper. DEPTH is the
 * depth argument; PTR and CPTR are what the pointer and the const pointer
 * parameters get: never the same object (the callee may write through the
 * one in an expression that reads through the other). */
static void print_args(text *o, const func *fn, const char *depth, const char *ptr,
                       const char *cptr, int salt)
{
    for (int i = 0; i < fn->nparams; i++) {
        const param *p = &fn->params[i];
        if (i)
            out(o, ", ");
        if (i == fn->depth_param) {
            out(o, "%s", depth);
            continue;
        }
        switch (p->t) {
        case T_STRUCT:
            used_mk = true;
            out(o, "mk(%dUL, %dUL)", 3 + salt + i, 11 * i + salt);
            break;
        case T_PTR:
            out(o, "%s", ptr);
            break;
        case T_CPTR:
            out(o, "%s", cptr);
            break;
        case T_ULONG:
            out(o, "%dUL", 5 + 7 * i + salt);
            break;
        default:
            out(o, "(%s)%d", cast_names[p->t], 2 + 3 * i + salt);
        }
    }
}

static bool has_param(const func *fn, type t)
{
    for (int i = 0; i < fn->nparams; i++)
        if (fn->params[i].t == t)
            return true;
    return false;
}

/* Whether some function is on a cycle only through via_ helpers (it
 * calls via_f, f calls it back, but no chain of direct calls leads back to
 * it). The tool warns about such a function, rightly: it is marked for
 * rewriting, yet each of its recursions is a nested run. The call graph is
 * read from the text written, so a call that was generated and then
 * dropped does not count. Nodes: funcs[i] is i, via_funcs[i] is nfuncs + i. */
static bool only_cycle_through_via(void)
{
    enum { N = 2 * MAX_FUNCS };
    bool direct[N][N] = {{false}}, all[N][N] = {{false}};
    for (int i = 0; i < nfuncs; i++) {
        all[nfuncs + i][i] = true;
        const text *b = &funcs[i].body;
        /* From the body's brace: the head names the function too. */
        const char *brace = memchr(b->s, '{', b->len);
        for (size_t k = brace ? (size_t)(brace - b->s) : b->len; k < b->len; k++) {
            if (k > 0 && (isalnum((unsigned char)b->s[k - 1]) || b->s[k - 1] == '_'))
                continue;
            bool via = b->len - k > 4 && !memcmp(b->s + k, "via_", 4);
            size_t at = k + (via ? 4 : 0);
            for (int j = 0; j < nfuncs; j++) {
                size_t n = strlen(funcs[j].name);
                if (b->len - at > n && !memcmp(b->s + at, funcs[j].name, n) &&
                    b->s[at + n] == '(') {
                    all[i][via ? nfuncs + j : j] = true;
                    direct[i][j] |= !via;
                }
            }
        }
    }
    /* Warshall's transitive closure of both. */
    for (int m = 0; m < 2 * nfuncs; m++)
        for (int i = 0; i < 2 * nfuncs; i++)
            for (int j = 0; j < 2 * nfuncs; j++) {
                all[i][j] |= all[i][m] && all[m][j];
                direct[i][j] |= direct[i][m] && direct[m][j];
            }
    for (int i = 0; i < nfuncs; i++)
        if (all[i][i] && !direct[i][i])
            return true;
    return false;
}

/* via_NAME(v): an ordinary function that starts a nested run of NAME. */
static void print_via(text *o, const func *fn)
{
    out(o, "/* Not rewritten: calls %s, which starts a nested run of frames. */\n", fn->name);
    out(o, "static unsigned long via_%s(long depth, unsigned long v)\n{\n", fn->name);
    bool ptr = has_param(fn, T_PTR);
    if (ptr)
        out(o, "    unsigned long cell = v;\n");
    if (has_param(fn, T_CPTR))
        out(o, "    const unsigned long seen = v + 1UL;\n");
    text args = {0};
    print_args(&args, fn, "depth", "&cell", "&seen", 1);
    switch (fn->ret) {
    case T_VOID:
        out(o, "    %s(%.*s);\n    return v%s;\n", fn->name, (int)args.len, args.s,
            ptr ? " + cell" : "");
        break;
    case T_STRUCT:
        used_sfold = true;
        out(o, "    unsigned long r = sfold(%s(%.*s));\n    return (r ^ v)%s;\n", fn->name,
            (int)args.len, args.s, ptr ? " + cell" : "");
        break;
    default:
        out(o, "    unsigned long r = (unsigned long)%s(%.*s);\n    return (r ^ v)%s;\n", fn->name,
            (int)args.len, args.s, ptr ? " + cell" : "");
    }
    out(o, "}\n\n");
    free(args.s);
}

/* Does a function of funcs[I]'s cycle have a static local? The tool
 * refuses to start such a cycle's functions as tasks. */
static bool cycle_has_statics(int i)
{
    int j = i;
    do {
        if (funcs[j].nstatics)
            return true;
        j = funcs[j].cycle_next;
    } while (j >= 0 && j != i);
    return false;
}

/* The calls of print_main_call with N and HALF, made as two tasks of one
 * queue run a random budget at a time with a random quantum: the lines
 * printed are the same. */
static void print_main_tasks(text *o, const func *fn)
{
    bool ptr = has_param(fn, T_PTR), cptr = has_param(fn, T_CPTR);
    int quantum = 1 + below(100), budget = 1 + below(1000);
    out(o, "    {\n        unrecurse_queue *q = unrecurse_queue_new();\n");
    if (ptr)
        out(o, "        unsigned long cell0 = 7UL, cell2 = 9UL;\n");
    if (cptr)
        out(o, "        const unsigned long seen0 = 20UL, seen2 = 22UL;\n");
    if (fn->ret != T_VOID)
        out(o, "        %s r0, r2;\n", type_names[fn->ret]);
    out(o, "        unrecurse_queue_set_quantum(q, %d);\n", quantum);
    for (int salt = 0; salt <= 2; salt += 2) {
        char cell[16], seen[16];
        snprintf(cell, sizeof cell, "&cell%d", salt);
        snprintf(seen, sizeof seen, "&seen%d", salt);
        text args = {0};
        print_args(&args, fn, salt ? "half" : "n", cell, seen, salt);
        if (fn->ret == T_VOID)
            out(o, "        UNRECURSE_START_VOID(q, %s(%.*s));\n", fn->name, (int)args.len,
                args.s);
        else
            out(o, "        UNRECURSE_START(q, &r%d, %s(%.*s));\n", salt, fn->name,
                (int)args.len, args.s);
        free(args.s);
    }
    out(o, "        while (unrecurse_queue_run(q, %d) > 0)\n            ;\n", budget);
    for (int salt = 0; salt <= 2; salt += 2) {
        const char *c = ptr ? (salt ? ", cell2" : ", cell0") : "";
        switch (fn->ret) {
        case T_VOID:
            out(o, "        printf(\"%s%s\\n\"%s);\n", fn->name, ptr ? " %lu" : "", c);
            break;
        case T_STRUCT:
            out(o, "        printf(\"%s %%lu %%ld %%u %%u %%u %%u%s\\n\", r%d.a, r%d.b, r%d.c[0], "
                   "r%d.c[1], r%d.c[2], r%d.c[3]%s);\n",
                fn->name, ptr ? " %lu" : "", salt, salt, salt, salt, salt, salt, c);
            break;
        default:
            out(o, "        printf(\"%s %%lu%s\\n\", (unsigned long)r%d%s);\n", fn->name,
                ptr ? " %lu" : "", salt, c);
        }
    }
    out(o, "        unrecurse_queue_free(q);\n    }\n");
}

/* One call from main, its result and pointer cell printed. */
static void print_main_call(text *o, const func *fn, const char *depth, int salt)
{
    bool ptr = has_param(fn, T_PTR);
    out(o, "    {\n");
    if (ptr)
        out(o, "        unsigned long cell = %dUL;\n", 7 + salt);
    if (has_param(fn, T_CPTR))
        out(o, "        const unsigned long seen = %dUL;\n", 20 + salt);
    text args = {0};
    print_args(&args, fn, depth, "&cell", "&seen", salt);
    switch (fn->ret) {
    case T_VOID:
        out(o, "        %s(%.*s);\n", fn->name, (int)args.len, args.s);
        out(o, "        printf(\"%s%s\\n\"%s);\n", fn->name, ptr ? " %lu" : "",
            ptr ? ", cell" : "");
        break;
    case T_STRUCT:
        out(o, "        struct S r = %s(%.*s);\n", fn->name, (int)args.len, args.s);
        out(o, "        printf(\"%s %%lu %%ld %%u %%u %%u %%u%s\\n\", r.a, r.b, r.c[0], r.c[1], "
               "r.c[2], r.c[3]%s);\n",
            fn->name, ptr ? " %lu" : "", ptr ? ", cell" : "");
        break;
    default:
        out(o, "        unsigned long r = (unsigned long)%s(%.*s);\n", fn->name, (int)args.len,
            args.s);
        out(o, "        printf(\"%s %%lu%s\\n\", r%s);\n", fn->name, ptr ? " %lu" : "",
            ptr ? ", cell" : "");
    }
    out(o, "    }\n");
    free(args.s);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: gen SEED [--mutual] [--enable=F,...] [--disable=F,...] [--functions=N]\n"
            "       gen --list-features\n");
    exit(2);
}

static void set_feature(const char *name, size_t len, bool value)
{
    if (len == 3 && !strncmp(name, "all", 3)) {
        for (int i = 0; i < F_COUNT; i++)
            features[i].on = value;
        return;
    }
    for (int i = 0; i < F_COUNT; i++)
        if (strlen(features[i].name) == len && !strncmp(name, features[i].name, len)) {
            features[i].on = value;
            return;
        }
    fprintf(stderr, "gen: no feature '%.*s' (see gen --list-features)\n", (int)len, name);
    exit(2);
}

/* NAME,NAME,... */
static void set_features(const char *list, bool value)
{
    while (*list) {
        size_t len = strcspn(list, ",");
        if (len)
            set_feature(list, len, value);
        list += len + (list[len] == ',');
    }
}

int main(int argc, char **argv)
{
    const char *seed_arg = NULL;
    int max_funcs = MAX_FUNCS;
    text cmdline = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--list-features")) {
            for (int f = 0; f < F_COUNT; f++)
                printf("%-18s %-3s %s\n", features[f].name, features[f].on ? "on" : "off",
                       features[f].what);
            return 0;
        } else if (!strcmp(a, "--mutual")) {
            features[F_MUTUAL].on = true;
        } else if (!strncmp(a, "--enable=", 9)) {
            set_features(a + 9, true);
        } else if (!strncmp(a, "--disable=", 10)) {
            set_features(a + 10, false);
        } else if (!strncmp(a, "--functions=", 12)) {
            max_funcs = atoi(a + 12);
            if (max_funcs < 1 || max_funcs > MAX_FUNCS)
                usage();
        } else if (a[0] == '-' && a[1] == '-') {
            usage();
        } else if (!seed_arg) {
            seed_arg = a;
        } else {
            usage();
        }
        out(&cmdline, " %s", a);
    }
    if (!seed_arg)
        usage();
    char *end;
    unsigned long long seed = strtoull(seed_arg, &end, 10);
    if (*end)
        usage();
    rng_state = seed * 0x2545f4914f6cdd1dULL + 1;

    nfuncs = 1 + below(max_funcs);
    for (int i = 0; i < nfuncs; i++) {
        gen_signature(&funcs[i], i);
        funcs[i].cycle_next = -1;
    }
    /* Who calls whom: itself; with --mutual the next function of its
     * cycle (of 2 or 3 consecutive functions); with the feature "cross",
     * earlier functions of other cycles. */
    int cycle_of[MAX_FUNCS];
    for (int i = 0; i < nfuncs;) {
        int len = on(F_MUTUAL) && nfuncs - i >= 2 ? (nfuncs - i >= 3 && chance(50) ? 3 : 2) : 1;
        for (int j = 0; j < len; j++) {
            cycle_of[i + j] = i;
            funcs[i + j].cycle_next = len > 1 ? i + (j + 1) % len : -1;
        }
        i += len;
    }
    for (int i = 0; i < nfuncs; i++) {
        func *fn = &funcs[i];
        if (fn->cycle_next < 0 || chance(70))
            fn->callees[fn->ncallees++] = i;
        if (fn->cycle_next >= 0)
            fn->callees[fn->ncallees++] = fn->cycle_next;
        if (on(F_CROSS))
            for (int j = 0; j < i; j++)
                if (cycle_of[j] != cycle_of[i] && chance(50))
                    fn->callees[fn->ncallees++] = j;
    }
    for (int i = 0; i < nfuncs; i++)
        gen_function(i);

    /* How deep the deep run can go: the calls per level of the deepest
     * chain, with cap_depth 2 when that stays small. */
    long k = 1;
    for (int i = 0; i < nfuncs; i++) {
        if (funcs[i].sites > k)
            k = funcs[i].sites;
    }
    int cap = k <= 12 ? 2 : 1;
    long per_level = 1 + k * (cap == 2 ? 1 + k : 1) + k;
    long deep = 3000000L / (per_level * nfuncs);
    if (deep > 30000)
        deep = 30000;
    if (deep < 1000)
        deep = 1000;

    text o = {0};
    out(&o, "/*\n * Generated by tests/random/gen%.*s\n", (int)cmdline.len, cmdline.s);
    out(&o, " * unrecurse-random: small=0,1,2,3,5 deep=%ld%s\n */\n", deep,
        only_cycle_through_via() ? " warns=via-cycle" : "");
    out(&o, "#include <stdio.h>\n#include <stdlib.h>\n\n#include <unrecurse.h>\n\n");
    out(&o, "struct S {\n    unsigned long a;\n    long b;\n    unsigned char c[4];\n};\n\n");
    out(&o, "/* Written only by commutative updates; read by main. */\n");
    out(&o, "static unsigned long g_sum, g_xor, g_note, g_dump;\n");
    if (used_cap) {
        out(&o, "/* The depth every call site but one per function passes on. */\n");
        out(&o, "static const long cap_depth = %d;\n", cap);
    }
    out(&o, "\n");
    /* via_ helpers print calls (print_args may need mk): generate first. */
    text vias = {0};
    for (int i = 0; i < nfuncs; i++)
        if (funcs[i].via_used)
            print_via(&vias, &funcs[i]);
    text mainfn = {0};
    out(&mainfn, "int main(int argc, char **argv)\n{\n");
    out(&mainfn, "    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 3;\n");
    out(&mainfn, "    long half = n / 2;\n");
    for (int i = 0; i < nfuncs; i++) {
        print_main_call(&mainfn, &funcs[i], "n", 0);
        print_main_call(&mainfn, &funcs[i], "half", 2);
        if (on(F_TASKS) && !cycle_has_statics(i))
            print_main_tasks(&mainfn, &funcs[i]);
    }
    for (int i = 0; i < nfuncs; i++)
        if (funcs[i].nstatics) {
            text args = {0};
            print_args(&args, &funcs[i], "-1L", "NULL", "NULL", 0);
            out(&mainfn, "    %s%s(%.*s);\n", funcs[i].ret == T_VOID ? "" : "(void)",
                funcs[i].name, (int)args.len, args.s);
            free(args.s);
        }
    out(&mainfn, "    printf(\"globals %%lu %%lu %%lu %%lu\\n\", g_sum, g_xor, g_note, g_dump);\n");
    out(&mainfn, "    return (int)(g_sum %% 3UL);\n}\n");

    print_helpers(&o);
    /* Prototypes: needed by mutual recursion and the nested-run helpers. */
    bool any_via = false;
    for (int i = 0; i < nfuncs; i++)
        any_via |= funcs[i].via_used;
    if (on(F_PROTOTYPE) || on(F_MUTUAL) || on(F_CROSS) || any_via) {
        for (int i = 0; i < nfuncs; i++) {
            print_head(&o, &funcs[i], chance(50));
            out(&o, ";\n");
        }
        out(&o, "\n");
    }
    append(&o, &vias);
    for (int i = 0; i < nfuncs; i++) {
        append(&o, &funcs[i].body);
        out(&o, "\n");
    }
    append(&o, &mainfn);
    fwrite(o.s, 1, o.len, stdout);
    free(o.s);
    free(vias.s);
    free(mainfn.s);
    free(cmdline.s);
    return ferror(stdout) ? 2 : 0;
}
