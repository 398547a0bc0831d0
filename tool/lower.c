/*
 * lower.c - the third stage: one recursive function becomes a state
 * machine over heap frames.
 *
 * The rewritten function keeps its name and signature and runs a loop of
 * its own frames. Its body is the user's body, with four kinds of edits:
 *
 *   - each recursive call is hoisted in front of its statement: the
 *     arguments are evaluated, the native locals still needed afterwards are
 *     saved into the current frame, a frame is pushed for the callee, and
 *     control jumps to the top of the body (`NAME__enter`). When the callee
 *     returns, the dispatch jumps back to the resume label after the call
 *     (`NAME__resume_K`), the saved locals are restored, and the result is
 *     in a temporary (`NAME__tK`) that replaces the call in the statement;
 *   - `return E;` stores E and jumps to the frame's exit (`NAME__return`),
 *     which pops the frame and resumes the caller, or returns from the
 *     outermost frame; `return f(...);` reuses the current frame (a tail
 *     call) when no pointer into the frame can exist;
 *   - variables that must have an address that survives calls (address
 *     taken, arrays, const, hidden by shadowing) live in the frame, and every
 *     use is rewritten to `NAME__f->field`;
 *   - everything else is copied byte for byte.
 *
 * Only what is live across a call is stored in a frame; locals that die
 * before the next call stay native C locals, kept in registers.
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lower {
    const program *prog;
    const source *src;
    const function *fn;
    buf *out;
    bool lines;
    bool used_return; /* some statement jumps to NAME__return */
    bool used_enter;
    /* Where `continue` goes in each enclosing loop: NULL to keep it, or the
     * label of a rewritten loop's increment; and whether it was used. */
    const char *cont[256];
    bool cont_used[256];
    int ncont;
    int nloops;       /* rewritten loops so far, for unique labels */
} lower;

/* ---- text helpers ---- */

static void text(lower *L, unsigned from, unsigned to)
{
    if (to > from)
        buf_put(L->out, L->src->text + from, to - from);
}

/* The leading white space of the line holding OFFSET. */
static char *indent_of(const source *src, unsigned offset)
{
    size_t start = src->line_start[source_line(src, offset)], i = start;
    while (i < src->len && (src->text[i] == ' ' || src->text[i] == '\t'))
        i++;
    char *s = xrealloc(NULL, i - start + 1);
    memcpy(s, src->text + start, i - start);
    s[i - start] = '\0';
    return s;
}

/* `TYPE NAME` as a declaration, for types spelled as clang spells them:
 * `int [3]` -> `int NAME[3]`, `int (*)(int)` -> `int (*NAME)(int)`. */
static void declare(buf *b, const char *type, const char *name)
{
    const char *fp = strstr(type, "(*");
    const char *arr = strchr(type, '[');
    if (fp) {
        const char *at = fp + 2;
        while (*at == '*')
            at++;
        buf_put(b, type, (size_t)(at - type));
        buf_puts(b, name);
        buf_puts(b, at);
    } else if (arr) {
        size_t n = (size_t)(arr - type);
        while (n > 0 && type[n - 1] == ' ')
            n--;
        buf_put(b, type, n);
        buf_printf(b, " %s", name);
        buf_puts(b, arr);
    } else {
        size_t n = strlen(type);
        buf_printf(b, n && type[n - 1] == '*' ? "%s%s" : "%s %s", type, name);
    }
}

static unsigned skip_space_from(const source *src, unsigned at, unsigned end)
{
    while (at < end && strchr(" \t\r\n", src->text[at]))
        at++;
    return at;
}

static void line_directive(lower *L, unsigned offset)
{
    if (L->lines)
        emit_line_directive(L->src, L->out, source_line(L->src, offset));
}

/* ---- names shared by a group ---- */

static const function *group_member(const program *prog, int group, int entry)
{
    for (int i = 0; i < prog->nfns; i++)
        if (prog->fns[i].group == group && prog->fns[i].entry == entry)
            return &prog->fns[i];
    return NULL;
}

/* The prefix of the names a group's state machine shares: the function's
 * own name for a group of one, FIRST_cycle otherwise. */
static void group_prefix(const program *prog, const function *fn, char *out, size_t size)
{
    if (fn->group_size == 1)
        snprintf(out, size, "%s", fn->name);
    else
        snprintf(out, size, "%s_cycle", group_member(prog, fn->group, 0)->name);
}

/* The variable a return of FN stores its value in. In a group, functions
 * returning the same type share one, so that a tail call from one to
 * another can return for both. */
static void ret_var(const program *prog, const function *fn, char *out, size_t size)
{
    if (fn->group_size == 1 || !fn->ret_type) {
        snprintf(out, size, fn->ret_type ? "%s__ret" : "", fn->name);
        return;
    }
    char p[256];
    group_prefix(prog, fn, p, sizeof p);
    for (int e = 0; e < fn->group_size; e++) {
        const function *m = group_member(prog, fn->group, e);
        if (m->ret_type && !strcmp(m->ret_type, fn->ret_type)) {
            snprintf(out, size, "%s__ret_%d", p, e);
            return;
        }
    }
}

/* The number a frame's `resume` holds while call K of FN runs: unique
 * within FN's group, since one dispatch serves the whole group. */
static int resume_number(const program *prog, const function *fn, const call *k)
{
    int base = 0;
    for (int e = 0; e < fn->entry; e++)
        base += group_member(prog, fn->group, e)->ncalls;
    return base + k->id;
}

/* A function alone on its cycle with no variable in its frame keeps a
 * frame only while it is suspended in a call: pushed at the call, popped at
 * the resume, none for a call that makes no call itself (most calls of a
 * tree recursion). Otherwise a frame lives as long as the activation. */
static bool frames_on_call(const function *fn)
{
    return fn->group_size == 1 && !fn->any_resident;
}

/* The largest resume number of FN's group, 0 if it has none. */
static int max_resume(const program *prog, const function *fn)
{
    int max = 0;
    for (int e = 0; e < fn->group_size; e++) {
        const function *m = group_member(prog, fn->group, e);
        for (int i = 0; i < m->ncalls; i++)
            if (m->calls[i].kind == ITEM_CALL && !m->calls[i].tail)
                max = resume_number(prog, m, &m->calls[i]);
    }
    return max;
}

static int count_resume(const program *prog, const function *fn)
{
    int n = 0;
    for (int e = 0; e < fn->group_size; e++) {
        const function *m = group_member(prog, fn->group, e);
        for (int i = 0; i < m->ncalls; i++)
            n += m->calls[i].kind == ITEM_CALL && !m->calls[i].tail;
    }
    return n;
}

/* The type of a frame's `return_to` field (where its caller resumes), or
 * NULL when the group has a single resume point and needs none. */
static const char *return_to_type(const program *prog, const function *fn)
{
    if (count_resume(prog, fn) <= 1)
        return NULL;
    int max = max_resume(prog, fn);
    return max <= 255 ? "unsigned char" : max <= 65535 ? "unsigned short" : "unsigned";
}

/* ---- expressions ---- */

/* Does item K produce a value (held in NAME__tID)? */
static const char *item_type(const lower *L, const call *k)
{
    return k->kind == ITEM_CALL ? L->prog->fns[k->callee].ret_type : k->type;
}

static bool has_value(const lower *L, const call *k)
{
    return item_type(L, k) != NULL;
}

/* Copies [from, to) with the recursive calls inside it replaced by their
 * results and the uses of frame-resident variables by frame accesses. */
static void expr(lower *L, unsigned from, unsigned to)
{
    const function *fn = L->fn;
    unsigned at = from;
    while (at < to) {
        /* The next edit at or after `at`. */
        unsigned best = to;
        const call *kc = NULL;
        const ref *kr = NULL;
        for (int i = 0; i < fn->ncalls; i++) {
            const call *k = &fn->calls[i];
            if (k->begin >= at && k->end <= to &&
                (k->begin < best || (kc && k->begin == best && k->end > kc->end))) {
                best = k->begin;
                kc = k;
            }
        }
        for (int i = 0; i < fn->nrefs; i++) {
            const ref *r = &fn->refs[i];
            if (!fn->vars[r->var].resident || r->offset == (unsigned)-1)
                continue;
            if (r->offset >= at && r->offset < to && r->offset < best) {
                best = r->offset;
                kr = r;
                kc = NULL;
            }
        }
        text(L, at, best);
        if (best == to)
            break;
        if (kc) {
            if (has_value(L, kc))
                buf_printf(L->out, "%s__t%d", fn->name, kc->id);
            else
                buf_puts(L->out, "((void)0)");
            at = kc->end;
        } else {
            const var *v = &fn->vars[kr->var];
            buf_printf(L->out, "%s__f->%s", fn->name, v->field);
            at = kr->offset + (unsigned)strlen(v->name);
        }
    }
}

/* Copies the condition [from, to) for an `if (...)` of the rewrite,
 * without the parentheses around it, if any: `if ((a == b))` draws a
 * warning from clang. */
static void condition(lower *L, unsigned from, unsigned to)
{
    const char *t = L->src->text;
    while (to - from >= 2 && t[from] == '(' && t[to - 1] == ')') {
        int depth = 0;
        unsigned i = from;
        for (; i < to; i++) {
            if (t[i] == '(')
                depth++;
            else if (t[i] == ')' && --depth == 0)
                break;
        }
        if (i != to - 1)
            break; /* (a) == (b): not one pair */
        from++;
        to--;
    }
    expr(L, from, to);
}

/* ---- calls ---- */

static void comment_call(lower *L, const call *k)
{
    buf_puts(L->out, "/* ");
    for (unsigned i = k->begin; i < k->end; i++) {
        char c = L->src->text[i];
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        buf_put(L->out, &c, 1);
        if (c == '*' && i + 1 < k->end && L->src->text[i + 1] == '/')
            buf_puts(L->out, " ");
    }
    buf_puts(L->out, " */");
}

/* Evaluates the arguments of K into CALLEE__arg_PARAM: block-local
 * temporaries for a group of one, the state machine's variables otherwise. */
static void eval_args(lower *L, const call *k, const function *callee, const char *ind)
{
    int nargs = clang_Cursor_getNumArguments(k->cursor);
    int p = 0;
    for (int i = 0; i < callee->nvars && p < nargs; i++) {
        const var *v = &callee->vars[i];
        if (!v->is_param)
            continue;
        unsigned b, e;
        cursor_range(L->src, clang_Cursor_getArgument(k->cursor, (unsigned)p), &b, &e);
        buf_printf(L->out, "%s    ", ind);
        buf tmp = {0};
        buf_printf(&tmp, "%s__arg_%s", callee->name, v->name);
        if (callee->group_size == 1)
            declare(L->out, v->type, tmp.data);
        else
            buf_puts(L->out, tmp.data);
        buf_fini(&tmp);
        buf_puts(L->out, " = ");
        expr(L, b, e);
        buf_puts(L->out, ";\n");
        p++;
    }
}

/* Moves FN's evaluated arguments into its parameters (those in the frame
 * through the frame pointer FRAME). */
static void pass_args(lower *L, const function *fn, const char *ind)
{
    for (int i = 0; i < fn->nvars; i++) {
        const var *v = &fn->vars[i];
        if (!v->is_param)
            continue;
        if (v->resident)
            buf_printf(L->out, "%s%s__f->%s = %s__arg_%s;\n", ind, fn->name, v->field,
                       fn->name, v->name);
        else
            buf_printf(L->out, "%s%s = %s__arg_%s;\n", ind, v->name, fn->name, v->name);
    }
}

static void emit_call(lower *L, const call *k, const char *ind)
{
    const function *fn = L->fn;
    const function *callee = &L->prog->fns[k->callee];
    const char *n = fn->name, *c = callee->name;
    bool group = fn->group_size > 1;
    char p[256], ret[300];
    group_prefix(L->prog, fn, p, sizeof p);
    ret_var(L->prog, callee, ret, sizeof ret);
    char *in = xrealloc(NULL, strlen(ind) + 5);
    sprintf(in, "%s    ", ind);
    L->used_enter = true;
    comment_call(L, k);
    buf_printf(L->out, "\n%s{\n", ind);
    eval_args(L, k, callee, ind);
    const char *rt = return_to_type(L->prog, fn);
    if (k->tail) {
        /* The callee takes over this frame's place: it returns to our caller. */
        if (!group)
            pass_args(L, fn, in);
        else if (callee != fn) {
            if (rt)
                buf_printf(L->out, "%s%s__return_to = %s__f->return_to;\n", in, p, n);
            buf_printf(L->out, "%s%s__was_root = (void *)%s__f == %s__root;\n", in, p, n, p);
            buf_printf(L->out, "%sunrecurse_pop(%s__stack, %s__f);\n", in, p, n);
            buf_printf(L->out,
                       "%s%s__f = unrecurse_push(%s__stack, UNRECURSE_FRAME_SIZE(sizeof *%s__f), "
                       "&%s__function, NULL);\n",
                       in, c, p, c, c);
            if (rt)
                buf_printf(L->out, "%s%s__f->return_to = %s__return_to;\n", in, c, p);
            buf_printf(L->out, "%sif (%s__was_root)\n%s    %s__root = %s__f;\n", in, p, in, p, c);
        }
        buf_printf(L->out, "%sgoto %s__enter;\n%s}\n", in, c, ind);
        free(in);
        return;
    }
    if (frames_on_call(fn)) /* this activation's frame, for as long as the call runs */
        buf_printf(L->out,
                   "%s%s__f = unrecurse_push(%s__stack, UNRECURSE_FRAME_SIZE(sizeof *%s__f), "
                   "&%s__function, NULL);\n",
                   in, n, p, n, n);
    for (int i = 0; i < k->nlive; i++) {
        const var *v = &fn->vars[k->live[i]];
        buf_printf(L->out, "%s    %s__f->%s = %s;\n", ind, n, v->field, v->name);
    }
    for (int i = 0; i < k->nlive_temps; i++)
        buf_printf(L->out, "%s    %s__f->%s = %s__t%d;\n", ind, n,
                   fn->temp_field[k->live_temps[i]], n, k->live_temps[i]);
    if (frames_on_call(fn)) {
        if (rt)
            buf_printf(L->out, "%s%s__f->return_to = %d;\n", in, n, k->id);
    } else {
        /* The callee's frame goes on top; it records where this one resumes. */
        buf_printf(L->out,
                   "%s%s__f = unrecurse_push(%s__stack, UNRECURSE_FRAME_SIZE(sizeof *%s__f), "
                   "&%s__function, NULL);\n",
                   in, c, p, c, c);
        if (rt)
            buf_printf(L->out, "%s%s__f->return_to = %d;\n", in, c,
                       resume_number(L->prog, fn, k));
    }
    if (!group)
        pass_args(L, fn, in);
    buf_printf(L->out, "%sgoto %s__enter;\n%s}\n", in, c, ind);
    free(in);
    buf_printf(L->out, "%s%s__resume_%d:\n", ind, n, k->id);
    bool any = false;
    for (int i = 0; i < k->nlive; i++) {
        const var *v = &fn->vars[k->live[i]];
        buf_printf(L->out, "%s%s = %s__f->%s;\n", ind, v->name, n, v->field);
        any = true;
    }
    for (int i = 0; i < k->nlive_temps; i++) {
        buf_printf(L->out, "%s%s__t%d = %s__f->%s;\n", ind, n, k->live_temps[i], n,
                   fn->temp_field[k->live_temps[i]]);
        any = true;
    }
    if (frames_on_call(fn)) {
        buf_printf(L->out, "%sunrecurse_pop(%s__stack, %s__f);\n", ind, n, n);
        any = true;
    }
    if (k->value_used && callee->ret_type) {
        buf_printf(L->out, "%s%s__t%d = %s;\n", ind, n, k->id, ret);
        any = true;
    }
    if (!any)
        buf_printf(L->out, "%s;\n", ind);
}

/* ---- statements ---- */

typedef struct stmt_calls {
    const call **v;
    int n;
} stmt_calls;

static stmt_calls calls_of(const function *fn, unsigned stmt_begin)
{
    stmt_calls sc = {xcalloc((size_t)fn->ncalls + 1, sizeof(call *)), 0};
    for (int i = 0; i < fn->ncalls; i++)
        if (fn->calls[i].stmt_begin == stmt_begin && fn->calls[i].owner == -1)
            sc.v[sc.n++] = &fn->calls[i];
    return sc;
}

/* The end of statement S including its `;` when the extent leaves it out. */
static unsigned stmt_end(const source *src, CXCursor s, unsigned end)
{
    if (clang_getCursorKind(s) == CXCursor_CompoundStmt)
        return end;
    if (end > 0 && (src->text[end - 1] == ';' || src->text[end - 1] == '}'))
        return end;
    unsigned i = end;
    while (i < src->len && strchr(" \t\r\n", src->text[i]))
        i++;
    return i < src->len && src->text[i] == ';' ? i + 1 : end;
}

typedef struct kids {
    CXCursor *v;
    int n, cap;
} kids;

static enum CXChildVisitResult collect(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    kids *k = data;
    VEC_PUSH(k->v, k->n, k->cap, c);
    return CXChildVisit_Continue;
}

static void stmt(lower *L, CXCursor s, bool wrap);

static void emit_item(lower *L, const call *k, const char *ind);

/* Emits, each line starting with IND, the items directly inside operand OP
 * of lazy item OWNER (or at the top of the statement at STMT_BEGIN if OWNER
 * is -1), in evaluation order. Returns how many there were. */
static int emit_items(lower *L, unsigned stmt_begin, int owner, int op, const char *ind)
{
    const function *fn = L->fn;
    int n = 0;
    for (int i = 0; i < fn->ncalls; i++) {
        const call *k = &fn->calls[i];
        if (k->stmt_begin != stmt_begin || k->owner != owner || k->tail ||
            (owner >= 0 && k->owner_op != op))
            continue;
        buf_puts(L->out, ind);
        emit_item(L, k, ind);
        n++;
    }
    return n;
}

/* A lazy operator as statements: the operands that may be skipped run
 * under an if, exactly as often as in the original expression. */
static void emit_lazy(lower *L, const call *k, const char *ind)
{
    const function *fn = L->fn;
    buf *o = L->out;
    buf in = {0};
    buf_printf(&in, "%s    ", ind);
    char t[64];
    snprintf(t, sizeof t, "%s__t%d", fn->name, k->id);
    bool value = k->value_used && k->type;
    buf_printf(o, "/* %s */\n", k->op);
    emit_items(L, k->stmt_begin, (int)(k - fn->calls), 0, ind);
    if (!strcmp(k->op, ",")) {
        buf_printf(o, "%s(void)(", ind);
        expr(L, k->ob[0], k->oe[0]);
        buf_puts(o, ");\n");
        emit_items(L, k->stmt_begin, (int)(k - fn->calls), 1, ind);
        buf_printf(o, value ? "%s%s = " : "%s(void)(", ind, t);
        expr(L, k->ob[1], k->oe[1]);
        buf_puts(o, value ? ";\n" : ");\n");
    } else if (!strcmp(k->op, "?:")) {
        buf_printf(o, "%sif (", ind);
        condition(L, k->ob[0], k->oe[0]);
        buf_puts(o, ") {\n");
        for (int arm = 1; arm <= 2; arm++) {
            emit_items(L, k->stmt_begin, (int)(k - fn->calls), arm, in.data);
            buf_printf(o, value ? "%s%s = " : "%s(void)(", in.data, t);
            expr(L, k->ob[arm], k->oe[arm]);
            buf_puts(o, value ? ";\n" : ");\n");
            buf_printf(o, arm == 1 ? "%s} else {\n" : "%s}\n", ind);
        }
    } else {
        bool and = !strcmp(k->op, "&&");
        if (value)
            buf_printf(o, "%s%s = %d;\n", ind, t, and ? 0 : 1);
        buf_printf(o, "%sif (%s", ind, and ? "" : "!(");
        if (and)
            condition(L, k->ob[0], k->oe[0]);
        else
            expr(L, k->ob[0], k->oe[0]);
        buf_puts(o, and ? ") {\n" : ")) {\n");
        emit_items(L, k->stmt_begin, (int)(k - fn->calls), 1, in.data);
        buf_printf(o, value ? "%s%s = (" : "%s(void)(", in.data, t);
        expr(L, k->ob[1], k->oe[1]);
        buf_puts(o, value ? ") != 0;\n" : ");\n");
        buf_printf(o, "%s}\n", ind);
    }
    buf_fini(&in);
}

static void emit_item(lower *L, const call *k, const char *ind)
{
    if (k->kind == ITEM_LAZY)
        emit_lazy(L, k, ind);
    else
        emit_call(L, k, ind);
}

/* Emits the hoisted items of the statement at STMT_BEGIN, in front of the
 * statement text at B. */
static void hoist_at(lower *L, unsigned stmt_begin, unsigned b)
{
    const function *fn = L->fn;
    bool any = false;
    for (int i = 0; i < fn->ncalls; i++)
        any |= fn->calls[i].stmt_begin == stmt_begin && fn->calls[i].owner == -1 &&
               !fn->calls[i].tail;
    if (!any)
        return;
    char *ind = indent_of(L->src, b);
    trim_line(L->out);
    line_directive(L, stmt_begin);
    emit_items(L, stmt_begin, -1, 0, ind);
    line_directive(L, b);
    buf_puts(L->out, ind);
    free(ind);
}

static void hoist(lower *L, const stmt_calls *sc, unsigned b)
{
    if (sc->n)
        hoist_at(L, b, b);
}

static bool is_tail_return(const stmt_calls *sc)
{
    return sc->n > 0 && sc->v[sc->n - 1]->tail;
}

static void return_stmt(lower *L, CXCursor s, unsigned b, unsigned e, const stmt_calls *sc)
{
    const function *fn = L->fn;
    kids ks = {0};
    clang_visitChildren(s, collect, &ks);
    if (is_tail_return(sc)) {
        char *ind = indent_of(L->src, b);
        emit_call(L, sc->v[sc->n - 1], ind);
        free(ind);
    } else if (ks.n == 0) {
        buf_printf(L->out, "goto %s__return;", fn->name);
        L->used_return = true;
    } else {
        unsigned xb, xe;
        cursor_range(L->src, ks.v[0], &xb, &xe);
        buf_puts(L->out, "{ ");
        if (fn->ret_type) {
            char ret[300];
            ret_var(L->prog, fn, ret, sizeof ret);
            buf_printf(L->out, "%s = ", ret);
        }
        expr(L, xb, xe);
        buf_printf(L->out, "; goto %s__return; }", fn->name);
        L->used_return = true;
    }
    (void)e;
    free(ks.v);
}

/* The offset just after the `=` of a declarator, or 0 if it has none. */
static unsigned initializer_start(const source *src, CXCursor d, unsigned end)
{
    unsigned name = source_offset(src, clang_getCursorLocation(d));
    int depth = 0;
    for (unsigned i = name; i < end; i++) {
        char c = src->text[i];
        if (c == '[' || c == '(')
            depth++;
        else if (c == ']' || c == ')')
            depth--;
        else if (c == '=' && depth == 0)
            return i + 1;
    }
    return 0;
}

static void decl_stmt(lower *L, CXCursor s, unsigned b, unsigned e)
{
    const function *fn = L->fn;
    kids ks = {0};
    clang_visitChildren(s, collect, &ks);
    bool any_moved = false;
    for (int i = 0; i < ks.n; i++)
        for (int v = 0; v < fn->nvars; v++)
            if ((fn->vars[v].resident || fn->vars[v].hoisted) &&
                clang_equalCursors(fn->vars[v].decl, ks.v[i]))
                any_moved = true;
    if (!any_moved) {
        expr(L, b, e);
        free(ks.v);
        return;
    }
    /* Declarators one by one. Resident ones become stores into the frame;
     * saved ones are declared at the top of the function (their lifetime
     * must span the jumps out of and back into their block) and become
     * assignments. */
    bool empty = true;
    /* In a for header the declarators become one expression. */
    bool header = false;
    for (int i = 0; i < ks.n; i++)
        for (int j = 0; j < fn->nvars; j++)
            if (clang_equalCursors(fn->vars[j].decl, ks.v[i]) && fn->vars[j].in_for_header)
                header = true;
    for (int i = 0; i < ks.n; i++) {
        const var *v = NULL;
        for (int j = 0; j < fn->nvars; j++)
            if (clang_equalCursors(fn->vars[j].decl, ks.v[i]))
                v = &fn->vars[j];
        if (!v)
            continue;
        unsigned db, de;
        cursor_range(L->src, ks.v[i], &db, &de);
        unsigned init = initializer_start(L->src, ks.v[i], de);
        if (!empty)
            buf_puts(L->out, " ");
        if (!v->resident && !v->hoisted) {
            declare(L->out, v->type, v->name);
            if (init) {
                buf_puts(L->out, " =");
                expr(L, init, de);
            }
            buf_puts(L->out, ";");
            empty = false;
            continue;
        }
        if (!init)
            continue;
        empty = false;
        CXType t = clang_getCursorType(v->decl);
        unsigned ib = skip_space_from(L->src, init, de);
        if (!v->resident) {
            buf_printf(L->out, "%s =", v->name);
            if (L->src->text[ib] == '{')
                buf_printf(L->out, " (%s)", v->type); /* a compound literal */
            expr(L, init, de);
            buf_puts(L->out, header && i + 1 < ks.n ? "," : ";");
            continue;
        }
        bool aggregate = t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
                         L->src->text[ib] == '{';
        if (aggregate) {
            buf_puts(L->out, "{ ");
            buf tmp = {0};
            buf_printf(&tmp, "%s__init", fn->name);
            declare(L->out, v->type, tmp.data);
            buf_fini(&tmp);
            buf_puts(L->out, " =");
            expr(L, init, de);
            buf_printf(L->out, "; memcpy(&%s__f->%s, &%s__init, sizeof %s__init); }", fn->name,
                       v->field, fn->name, fn->name);
        } else {
            buf_printf(L->out, "%s__f->%s =", fn->name, v->field);
            expr(L, init, de);
            buf_puts(L->out, ";");
        }
    }
    if (empty)
        buf_puts(L->out, ";");
    free(ks.v);
}

/* Declares FN's hoisted locals at the top of its body. They start at
 * zero: a local may be saved before it is first assigned
 * (on paths where it is assigned again before any read), and a compiler
 * cannot always see that through the resume jumps. */
static void declare_saved_locals(lower *L, const function *fn)
{
    for (int i = 0; i < fn->nvars; i++) {
        const var *v = &fn->vars[i];
        if (!v->hoisted)
            continue;
        buf_puts(L->out, "    ");
        declare(L->out, v->type, v->name);
        buf_puts(L->out, " = {0};\n");
    }
}

/* Which children of S are statements (the rest are expressions). */
static bool child_is_stmt(const source *src, CXCursor s, CXCursor child, int i, int n,
                          unsigned child_begin)
{
    switch (clang_getCursorKind(s)) {
    case CXCursor_CompoundStmt:
    case CXCursor_LabelStmt:
        return true;
    case CXCursor_IfStmt:
    case CXCursor_SwitchStmt:
    case CXCursor_WhileStmt:
        return i >= 1;
    case CXCursor_DoStmt:
        return i == 0 && n == 2;
    case CXCursor_CaseStmt:
    case CXCursor_DefaultStmt:
        return i == n - 1;
    case CXCursor_ForStmt: {
        /* The body is the child after the header's closing parenthesis. */
        unsigned b, e, h[3];
        cursor_range(src, s, &b, &e);
        if (!for_header(src, b, e, h))
            return false;
        /* The body, or a declaration in the header (lowered like others). */
        return child_begin > h[2] || (child_begin < h[0] && clang_getCursorKind(child) ==
                                                                 CXCursor_DeclStmt);
    }
    default:
        return false;
    }
}

/* Copies the statement's text from B to E, lowering its child statements
 * and the expressions between them. */
static void children(lower *L, CXCursor s, unsigned b, unsigned e)
{
    kids ks = {0};
    clang_visitChildren(s, collect, &ks);
    unsigned at = b;
    for (int i = 0; i < ks.n; i++) {
        unsigned cb, ce;
        if (!cursor_range(L->src, ks.v[i], &cb, &ce) || cb < at)
            continue;
        if (child_is_stmt(L->src, s, ks.v[i], i, ks.n, cb)) {
            expr(L, at, cb);
            ce = stmt_end(L->src, ks.v[i], ce);
            stmt(L, ks.v[i], clang_getCursorKind(s) != CXCursor_CompoundStmt);
        } else {
            expr(L, at, ce);
        }
        at = ce;
    }
    expr(L, at, e);
    free(ks.v);
}

static bool has_items(const function *fn, unsigned key)
{
    for (int i = 0; i < fn->ncalls; i++)
        if (fn->calls[i].stmt_begin == key)
            return true;
    return false;
}

/* Emits the items of a loop condition or increment at KEY, each line
 * indented with IND. */
static void loop_part_items(lower *L, unsigned key, const char *ind)
{
    line_directive(L, key);
    emit_items(L, key, -1, 0, ind);
}

/* A loop whose condition or increment calls the function becomes
 * `for (;;)` with the condition evaluated as statements at the top (while,
 * for) or bottom (do), and `continue` sent to the increment. */
static bool rewritten_loop(lower *L, CXCursor s, unsigned b, unsigned e)
{
    const function *fn = L->fn;
    const source *src = L->src;
    enum CXCursorKind k = clang_getCursorKind(s);
    kids ks = {0};
    clang_visitChildren(s, collect, &ks);
    CXCursor init = clang_getNullCursor(), cond = clang_getNullCursor(),
             inc = clang_getNullCursor(), body = clang_getNullCursor();
    unsigned h[3] = {0, 0, 0};
    if (k == CXCursor_WhileStmt && ks.n == 2) {
        cond = ks.v[0];
        body = ks.v[1];
    } else if (k == CXCursor_DoStmt && ks.n == 2) {
        body = ks.v[0];
        cond = ks.v[1];
    } else if (k == CXCursor_ForStmt && for_header(src, b, e, h)) {
        for (int i = 0; i < ks.n; i++) {
            unsigned cb, ce;
            cursor_range(src, ks.v[i], &cb, &ce);
            if (cb > h[2])
                body = ks.v[i];
            else if (cb < h[0])
                init = ks.v[i];
            else if (cb < h[1])
                cond = ks.v[i];
            else
                inc = ks.v[i];
        }
    }
    free(ks.v);
    unsigned cb = 0, ce = 0, nb = 0, ne = 0;
    if (!clang_Cursor_isNull(cond))
        cursor_range(src, cond, &cb, &ce);
    if (!clang_Cursor_isNull(inc))
        cursor_range(src, inc, &nb, &ne);
    bool rewrite = (ce > cb && has_items(fn, cb)) || (ne > nb && has_items(fn, nb));
    if (!rewrite || clang_Cursor_isNull(body))
        return false;

    buf *o = L->out;
    char *ind = indent_of(src, b);
    buf in = {0};
    buf_printf(&in, "%s    ", ind);
    char label[96];
    snprintf(label, sizeof label, "%s__continue_%d", fn->name, ++L->nloops);
    bool is_for = k == CXCursor_ForStmt;
    if (is_for) {
        buf_puts(o, "{\n");
        if (!clang_Cursor_isNull(init)) {
            unsigned ib, ie;
            cursor_range(src, init, &ib, &ie);
            buf_puts(o, in.data);
            if (clang_getCursorKind(init) == CXCursor_DeclStmt)
                stmt(L, init, false);
            else {
                expr(L, ib, ie);
                buf_puts(o, ";");
            }
            buf_puts(o, "\n");
        }
        buf_printf(o, "%sfor (;;) {\n", in.data);
        buf_puts(&in, "    ");
    } else {
        buf_puts(o, "for (;;) {\n");
    }
    if (k != CXCursor_DoStmt && ce > cb) {
        loop_part_items(L, cb, in.data);
        buf_printf(o, "%sif (!(", in.data);
        expr(L, cb, ce);
        buf_puts(o, "))\n");
        buf_printf(o, "%s    break;\n", in.data);
    }
    unsigned bb, be;
    cursor_range(src, body, &bb, &be);
    line_directive(L, bb);
    buf_puts(o, in.data);
    L->cont[L->ncont] = k == CXCursor_WhileStmt ? NULL : label;
    L->cont_used[L->ncont] = false;
    L->ncont++;
    stmt(L, body, true);
    L->ncont--;
    buf_puts(o, "\n");
    if (L->cont_used[L->ncont])
        buf_printf(o, "%s%s:;\n", in.data, label);
    if (k == CXCursor_DoStmt) {
        loop_part_items(L, cb, in.data);
        buf_printf(o, "%sif (!(", in.data);
        expr(L, cb, ce);
        buf_printf(o, "))\n%s    break;\n", in.data);
    }
    if (ne > nb) {
        loop_part_items(L, nb, in.data);
        buf_printf(o, "%s(void)(", in.data);
        expr(L, nb, ne);
        buf_puts(o, ");\n");
    }
    if (is_for)
        buf_printf(o, "%s    }\n", ind);
    buf_printf(o, "%s}", ind);
    line_directive(L, e);
    free(ind);
    buf_fini(&in);
    return true;
}

static void stmt(lower *L, CXCursor s, bool wrap)
{
    const source *src = L->src;
    const function *fn = L->fn;
    unsigned b, e;
    if (!cursor_range(src, s, &b, &e))
        return;
    e = stmt_end(src, s, e);
    enum CXCursorKind k = clang_getCursorKind(s);
    stmt_calls sc = calls_of(fn, b);
    bool braces = wrap && sc.n > 0 && !(sc.n == 1 && sc.v[0]->tail);
    if (braces)
        buf_puts(L->out, "{ ");
    hoist(L, &sc, b);

    switch (k) {
    case CXCursor_WhileStmt:
    case CXCursor_DoStmt:
    case CXCursor_ForStmt:
        if (rewritten_loop(L, s, b, e))
            break;
        L->cont[L->ncont++] = NULL;
        children(L, s, b, e);
        L->ncont--;
        break;
    case CXCursor_ContinueStmt:
        if (L->ncont > 0 && L->cont[L->ncont - 1]) {
            buf_printf(L->out, "goto %s;", L->cont[L->ncont - 1]);
            L->cont_used[L->ncont - 1] = true;
        } else
            expr(L, b, e);
        break;
    case CXCursor_CompoundStmt:
    case CXCursor_IfStmt:
    case CXCursor_SwitchStmt:
    case CXCursor_LabelStmt:
    case CXCursor_CaseStmt:
    case CXCursor_DefaultStmt:
        children(L, s, b, e);
        break;
    case CXCursor_ReturnStmt:
        return_stmt(L, s, b, e, &sc);
        break;
    case CXCursor_DeclStmt:
        decl_stmt(L, s, b, e);
        break;
    default:
        if (clang_isExpression(k) && sc.n > 0 && !sc.v[sc.n - 1]->value_used &&
            sc.v[sc.n - 1]->begin == b)
            break; /* `f(...);` alone: nothing is left of it */
        expr(L, b, e);
        break;
    }
    if (braces)
        buf_puts(L->out, " }");
    free(sc.v);
}

/* ---- the function ---- */

static int by_alignment(const void *a, const void *b)
{
    const var *x = *(const var *const *)a, *y = *(const var *const *)b;
    if (x->align != y->align)
        return x->align > y->align ? -1 : 1;
    return x < y ? -1 : x > y;
}

static bool has_resume_points(const function *fn)
{
    for (int i = 0; i < fn->ncalls; i++)
        if (fn->calls[i].kind == ITEM_CALL && !fn->calls[i].tail)
            return true;
    return false;
}

static void frame_struct(lower *L)
{
    const function *fn = L->fn;
    const char *n = fn->name;
    buf *o = L->out;
    bool group = fn->group_size > 1;
    char p[256];
    group_prefix(L->prog, fn, p, sizeof p);
    if (frames_on_call(fn) && !has_resume_points(fn))
        goto nested; /* only tail calls: a loop that needs no frame */
    buf_printf(o, "/* The heap frame of one call of %s: what outlives a recursive call. */\n", n);
    (void)group;
    (void)p;
    buf_printf(o, "struct %s__frame {\n", n);
    size_t fields_at = o->len;
    /* Values that are never live across the same call share a union. */
    for (int u = 1; u <= fn->nslots; u++) {
        buf_puts(o, "    union {\n");
        for (int i = 0; i < fn->nvars; i++)
            if (fn->vars[i].slot == u && !fn->vars[i].resident) {
                buf_puts(o, "        ");
                declare(o, fn->vars[i].type, strchr(fn->vars[i].field, '.') + 1);
                buf_puts(o, ";\n");
            }
        for (int id = 1; id <= fn->ncalls; id++)
            if (fn->temp_field[id] && fn->temp_slot[id] == u) {
                buf_puts(o, "        ");
                declare(o, item_type(L, &fn->calls[id - 1]), strchr(fn->temp_field[id], '.') + 1);
                buf_puts(o, ";\n");
            }
        buf_printf(o, "    } %s__u%d;\n", n, u);
    }
    const var **vs = xcalloc((size_t)fn->nvars + 1, sizeof *vs);
    int nv = 0;
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].resident || (fn->vars[i].saved && fn->vars[i].slot < 0))
            vs[nv++] = &fn->vars[i];
    qsort(vs, (size_t)nv, sizeof *vs, by_alignment);
    for (int i = 0; i < nv; i++) {
        buf_puts(o, "    ");
        declare(o, vs[i]->type, vs[i]->field);
        buf_puts(o, ";\n");
    }
    free(vs);
    /* Results of earlier calls in a statement, live across a later call. */
    for (int id = 1; id <= fn->ncalls; id++)
        if (fn->temp_field[id] && fn->temp_slot[id] < 0) {
            buf_puts(o, "    ");
            declare(o, item_type(L, &fn->calls[id - 1]), fn->temp_field[id]);
            buf_puts(o, ";\n");
        }
    const char *rt = return_to_type(L->prog, fn);
    if (rt)
        buf_printf(o, "    %s return_to; /* where the caller resumes */\n", rt);
    if (o->len == fields_at)
        buf_puts(o, "    char unused; /* nothing outlives a call */\n");
    buf_puts(o, "};\n");
    buf_printf(o, "static const unrecurse_function %s__function = {\"%s\", \"", n, n);
    for (const char *q = L->src->path; *q; q++)
        buf_printf(o, (*q == '"' || *q == '\\') ? "\\%c" : "%c", *q);
    buf_puts(o, "\"};\n");
nested:
    if (!group) {
        /* For a call deep in the native stack: see unrecurse_run_on_segment. */
        buf_printf(o, "struct %s__nested {\n", n);
        bool any = false;
        for (int i = 0; i < fn->nvars; i++)
            if (fn->vars[i].is_param) {
                buf_puts(o, "    ");
                declare(o, fn->vars[i].type, fn->vars[i].name);
                buf_puts(o, ";\n");
                any = true;
            }
        if (fn->ret_type) {
            buf_puts(o, "    ");
            declare(o, fn->ret_type, "result");
            buf_puts(o, ";\n");
        } else if (!any) {
            buf_puts(o, "    char unused;\n");
        }
        buf_printf(o, "};\nstatic void %s__nested_run(void *nested);\n", n);
    }
}

/* Runs FN (a group of one) on a new native stack segment, for a call that
 * finds the native stack nearly used up. */
static void nested_run(lower *L)
{
    const function *fn = L->fn;
    const char *n = fn->name;
    buf *o = L->out;
    buf_printf(o, "\nstatic void %s__nested_run(void *nested)\n{\n", n);
    buf_printf(o, "    struct %s__nested *a = nested;\n    ", n);
    if (fn->ret_type)
        buf_puts(o, "a->result = ");
    buf_printf(o, "%s(", n);
    bool first = true;
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].is_param) {
            buf_printf(o, "%sa->%s", first ? "" : ", ", fn->vars[i].name);
            first = false;
        }
    buf_puts(o, ");\n}");
}

/* Moves this call to a new native stack segment when the native stack is
 * nearly used up: a deep chain of nested runs stays bounded by the heap. */
static void native_check(lower *L)
{
    const function *fn = L->fn;
    const char *n = fn->name;
    buf *o = L->out;
    buf_printf(o, "    if (unrecurse_native_low(%s__stack)) {\n", n);
    buf_printf(o, "        struct %s__nested %s__a;\n", n, n);
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].is_param)
            buf_printf(o, "        %s__a.%s = %s;\n", n, fn->vars[i].name, fn->vars[i].name);
    buf_printf(o, "        unrecurse_run_on_segment(%s__stack, %s__nested_run, &%s__a);\n", n, n,
               n);
    if (fn->ret_type)
        buf_printf(o, "        return %s__a.result;\n    }\n", n);
    else
        buf_puts(o, "        return;\n    }\n");
}

/* Declares the temporaries holding FN's call and operator results. */
static void declare_temps(lower *L, const function *fn)
{
    for (int i = 0; i < fn->ncalls; i++) {
        const call *k = &fn->calls[i];
        if (!k->value_used || k->tail || !has_value(L, k))
            continue;
        buf tmp = {0};
        buf_printf(&tmp, "%s__t%d", fn->name, k->id);
        buf_puts(L->out, "    ");
        declare(L->out, item_type(L, k), tmp.data);
        /* Set on every path that reads it, but through jumps a compiler
         * cannot always follow: initialized so none warns. */
        buf_puts(L->out, " = {0};\n");
        buf_fini(&tmp);
    }
}

static void prologue(lower *L)
{
    const function *fn = L->fn;
    const char *n = fn->name;
    buf *o = L->out;
    buf_printf(o, "{\n    unrecurse_stack *const %s__stack = unrecurse_stack_get();\n", n);
    native_check(L);
    if (frames_on_call(fn)) {
        if (has_resume_points(fn)) {
            buf_printf(o, "    const char *const %s__base = unrecurse_mark(%s__stack);\n", n, n);
            buf_printf(o, "    struct %s__frame *%s__f;\n", n, n);
        }
    } else {
        buf_printf(o,
                   "    struct %s__frame *%s__f = unrecurse_push(%s__stack, "
                   "UNRECURSE_FRAME_SIZE(sizeof *%s__f), &%s__function, NULL);\n",
                   n, n, n, n, n);
        if (has_resume_points(fn))
            buf_printf(o, "    struct %s__frame *const %s__root = %s__f;\n", n, n, n);
        if (return_to_type(L->prog, fn))
            buf_printf(o, "    %s %s__return_to;\n", return_to_type(L->prog, fn), n);
    }
    if (fn->ret_type) {
        buf_puts(o, "    ");
        buf tmp = {0};
        buf_printf(&tmp, "%s__ret", n);
        declare(o, fn->ret_type, tmp.data);
        buf_puts(o, ";\n");
        buf_fini(&tmp);
    }
    declare_temps(L, fn);
    declare_saved_locals(L, fn);
    buf_puts(o, "\n");
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].is_param && fn->vars[i].resident)
            buf_printf(o, "    %s__f->%s = %s;\n", n, fn->vars[i].field, fn->vars[i].name);
}

/* Jumps to the resume point of FN (a group of one) that SELECTOR names, and
 * closes the function: a switch, or a plain goto when there is only one. */
static void dispatch(lower *L, const char *selector)
{
    const function *fn = L->fn;
    const char *n = fn->name;
    buf *o = L->out;
    int last = 0;
    for (int i = 0; i < fn->ncalls; i++)
        if (fn->calls[i].kind == ITEM_CALL && !fn->calls[i].tail)
            last = fn->calls[i].id;
    if (!return_to_type(L->prog, fn)) {
        buf_printf(o, "    goto %s__resume_%d;\n}", n, last);
        return;
    }
    buf_printf(o, "    switch (%s) {\n", selector);
    for (int i = 0; i < fn->ncalls; i++) {
        const call *k = &fn->calls[i];
        if (k->kind != ITEM_CALL || k->tail || k->id == last)
            continue;
        buf_printf(o, "    case %d: goto %s__resume_%d;\n", k->id, n, k->id);
    }
    buf_printf(o, "    default: goto %s__resume_%d;\n    }\n}", n, last);
}

static void epilogue(lower *L)
{
    const function *fn = L->fn;
    const char *n = fn->name;
    buf *o = L->out;
    buf selector = {0};
    if (L->used_return)
        buf_printf(o, "%s__return:\n", n);
    if (frames_on_call(fn)) {
        /* The frame on top, if this run pushed it, is the caller's. */
        const char *value = fn->ret_type ? " " : "";
        const char *ret = fn->ret_type ? "__ret" : "";
        if (!has_resume_points(fn)) {
            buf_printf(o, "    return%s%s%s;\n}", value, fn->ret_type ? n : "", ret);
            return;
        }
        buf_printf(o, "    if (unrecurse_at_mark(%s__stack, %s__base))\n", n, n);
        buf_printf(o, "        return%s%s%s;\n", value, fn->ret_type ? n : "", ret);
        buf_printf(o, "    %s__f = unrecurse_top(%s__stack, UNRECURSE_FRAME_SIZE(sizeof *%s__f));\n",
                   n, n, n);
        buf_printf(&selector, "%s__f->return_to", n);
        dispatch(L, selector.data);
        buf_fini(&selector);
        return;
    }
    if (!has_resume_points(fn)) {
        buf_printf(o, "    unrecurse_pop(%s__stack, %s__f);\n", n, n);
        if (fn->ret_type)
            buf_printf(o, "    return %s__ret;\n", n);
        buf_puts(o, "}");
        return;
    }
    /* Pop the frame; resume the caller where its call was made. */
    buf_printf(o, "    if (%s__f == %s__root) {\n", n, n);
    buf_printf(o, "        unrecurse_pop(%s__stack, %s__f);\n", n, n);
    buf_printf(o, fn->ret_type ? "        return %s__ret;\n    }\n" : "        return;\n    }\n", n);
    const char *rt = return_to_type(L->prog, fn);
    if (rt)
        buf_printf(o, "    %s__return_to = %s__f->return_to;\n", n, n);
    buf_printf(o,
               "    %s__f = unrecurse_pop_to(%s__stack, %s__f, UNRECURSE_FRAME_SIZE(sizeof *%s__f));\n",
               n, n, n, n);
    buf_printf(&selector, "%s__return_to", n);
    dispatch(L, selector.data);
    buf_fini(&selector);
}


static CXCursor body_of(const function *fn)
{
    CXCursor b = clang_getNullCursor();
    kids ks = {0};
    clang_visitChildren(fn->cursor, collect, &ks);
    for (int i = 0; i < ks.n; i++)
        if (clang_getCursorKind(ks.v[i]) == CXCursor_CompoundStmt)
            b = ks.v[i];
    free(ks.v);
    return b;
}

/* A function alone on its cycle: the function itself runs its frames. */
static void lower_alone(lower *L)
{
    const function *fn = L->fn;
    buf *out = L->out;
    frame_struct(L);
    line_directive(L, fn->begin);
    text(L, fn->begin, fn->body_begin);
    prologue(L);
    /* The body, with its labels and gotos, is entered anew for every call. */
    buf body = {0};
    L->out = &body;
    line_directive(L, fn->body_begin);
    buf_puts(&body, "    ");
    stmt(L, body_of(fn), false);
    buf_puts(&body, "\n");
    L->out = out;
    if (L->used_enter)
        buf_printf(out, "%s__enter:\n", fn->name);
    buf_put(out, body.data, body.len);
    buf_fini(&body);
    epilogue(L);
    nested_run(L);
}

static bool has_params(const function *fn)
{
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].is_param)
            return true;
    return false;
}

/* A member of a cycle of several functions keeps its name and signature:
 * it packs its arguments and runs the cycle's state machine, PREFIX__run,
 * from its own entry. */
static void lower_member_wrapper(lower *L, const char *p)
{
    const function *fn = L->fn;
    buf *o = L->out;
    const char *n = fn->name;
    if (has_params(fn)) {
        buf_printf(o, "/* The arguments of %s, handed to %s__run. */\nstruct %s__args {\n", n, p,
                   n);
        for (int i = 0; i < fn->nvars; i++)
            if (fn->vars[i].is_param) {
                buf_puts(o, "    ");
                declare(o, fn->vars[i].type, fn->vars[i].name);
                buf_puts(o, ";\n");
            }
        buf_puts(o, "};\n");
    }
    if (fn->group_first)
        buf_printf(o, "static void %s__run(int entry, void *args, void *result);\n", p);
    line_directive(L, fn->begin);
    text(L, fn->begin, fn->body_begin);
    buf_puts(o, "{\n");
    if (has_params(fn))
        buf_printf(o, "    struct %s__args %s__a;\n", n, n);
    if (fn->ret_type) {
        buf tmp = {0};
        buf_printf(&tmp, "%s__r", n);
        buf_puts(o, "    ");
        declare(o, fn->ret_type, tmp.data);
        buf_puts(o, ";\n");
        buf_fini(&tmp);
    }
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].is_param)
            buf_printf(o, "    %s__a.%s = %s;\n", n, fn->vars[i].name, fn->vars[i].name);
    buf_printf(o, "    %s__run(%d, ", p, fn->entry);
    if (has_params(fn))
        buf_printf(o, "&%s__a, ", n);
    else
        buf_puts(o, "NULL, ");
    if (fn->ret_type)
        buf_printf(o, "&%s__r);\n", n);
    else
        buf_puts(o, "NULL);\n");
    if (fn->ret_type)
        buf_printf(o, "    return %s__r;\n", n);
    buf_puts(o, "}");
}

/* The state machine of a cycle of several functions: their bodies side by
 * side in one C function, so that a call from one to another is a jump, not
 * a native call. Each body is a block of its own, so its names stay its
 * own; arguments travel in CALLEE__arg_PARAM, results in PREFIX__ret_N. */
static void lower_group_engine(lower *L, const char *p)
{
    const program *prog = L->prog;
    const function *self = L->fn;
    buf *o = L->out;
    int size = self->group_size;
    buf_puts(o, "\n");
    for (int e = 0; e < size; e++) {
        L->fn = group_member(prog, self->group, e);
        frame_struct(L);
    }
    buf_printf(o, "struct %s__nested {\n    int entry;\n    void *args, *result;\n};\n", p);
    buf_printf(o, "static void %s__nested_run(void *nested);\n", p);
    buf_printf(o, "\nstatic void %s__run(int entry, void *args, void *result)\n{\n", p);
    buf_printf(o, "    unrecurse_stack *const %s__stack = unrecurse_stack_get();\n", p);
    buf_printf(o, "    if (unrecurse_native_low(%s__stack)) {\n", p);
    buf_printf(o, "        struct %s__nested %s__a = {entry, args, result};\n", p, p);
    buf_printf(o, "        unrecurse_run_on_segment(%s__stack, %s__nested_run, &%s__a);\n", p,
               p, p);
    buf_puts(o, "        return;\n    }\n");
    const char *rt = return_to_type(prog, self);
    bool cross_tail = false;
    for (int e = 0; e < size; e++) {
        const function *m = group_member(prog, self->group, e);
        for (int i = 0; i < m->ncalls; i++)
            cross_tail |= m->calls[i].tail && &prog->fns[m->calls[i].callee] != m;
    }
    buf_printf(o, "    void *%s__top, *%s__root;\n", p, p);
    if (rt)
        buf_printf(o, "    %s %s__return_to = 0;\n", rt, p);
    if (cross_tail)
        buf_printf(o, "    int %s__was_root;\n", p);
    for (int e = 0; e < size; e++) {
        const function *m = group_member(prog, self->group, e);
        buf_printf(o, "    struct %s__frame *%s__f;\n", m->name, m->name);
    }
    for (int e = 0; e < size; e++) {
        const function *m = group_member(prog, self->group, e);
        char ret[300], mine[300];
        if (!m->ret_type)
            continue;
        ret_var(prog, m, ret, sizeof ret);
        snprintf(mine, sizeof mine, "%s__ret_%d", p, e);
        if (strcmp(ret, mine) != 0)
            continue; /* shared with an earlier member of the same type */
        buf_puts(o, "    ");
        declare(o, m->ret_type, ret);
        buf_puts(o, " = {0};\n"); /* a body may end without a return */
    }
    for (int e = 0; e < size; e++) {
        const function *m = group_member(prog, self->group, e);
        for (int i = 0; i < m->nvars; i++) {
            if (!m->vars[i].is_param)
                continue;
            buf tmp = {0};
            buf_printf(&tmp, "%s__arg_%s", m->name, m->vars[i].name);
            buf_puts(o, "    ");
            declare(o, m->vars[i].type, tmp.data);
            buf_puts(o, ";\n");
            buf_fini(&tmp);
        }
        declare_temps(L, m);
    }
    buf_puts(o, "\n    (void)args;\n    (void)result;\n");
    /* The members call each other here, not through their wrappers. */
    for (int e = 0; e < size; e++)
        buf_printf(o, "    (void)%s;\n", group_member(prog, self->group, e)->name);
    buf_puts(o, "    switch (entry) {\n");
    for (int e = 0; e < size; e++) {
        const function *m = group_member(prog, self->group, e);
        buf_printf(o, e + 1 < size ? "    case %d:\n" : "    default:\n", e);
        for (int i = 0; i < m->nvars; i++)
            if (m->vars[i].is_param)
                buf_printf(o, "        %s__arg_%s = ((struct %s__args *)args)->%s;\n", m->name,
                           m->vars[i].name, m->name, m->vars[i].name);
        buf_printf(o,
                   "        %s__f = unrecurse_push(%s__stack, UNRECURSE_FRAME_SIZE(sizeof *%s__f), "
                   "&%s__function, NULL);\n",
                   m->name, p, m->name, m->name);
        buf_printf(o, "        %s__root = %s__f;\n        goto %s__enter;\n", p, m->name,
                   m->name);
    }
    buf_puts(o, "    }\n");
    for (int e = 0; e < size; e++) {
        const function *m = group_member(prog, self->group, e);
        L->fn = m;
        L->used_return = false;
        buf_printf(o, "\n    /* %s */\n    {\n", m->name);
        for (int i = 0; i < m->nvars; i++)
            if (m->vars[i].is_param && !m->vars[i].resident) {
                buf_puts(o, "    ");
                declare(o, m->vars[i].type, m->vars[i].name);
                buf_puts(o, ";\n");
            }
        declare_saved_locals(L, m);
        buf_printf(o, "%s__enter:\n", m->name);
        pass_args(L, m, "    ");
        line_directive(L, m->body_begin);
        buf_puts(o, "    ");
        stmt(L, body_of(m), false);
        buf_puts(o, "\n    }\n");
        if (L->used_return)
            buf_printf(o, "%s__return:\n", m->name);
        buf_printf(o, "    %s__top = %s__f;\n", p, m->name);
        if (rt)
            buf_printf(o, "    %s__return_to = %s__f->return_to;\n", p, m->name);
        buf_printf(o, "    goto %s__leave;\n", p);
    }
    /* Pop the frame that returned and resume its caller. */
    buf_printf(o, "%s__leave:\n", p);
    buf_printf(o, "    if (%s__top == %s__root) {\n", p, p);
    buf_printf(o, "        unrecurse_pop(%s__stack, %s__top);\n", p, p);
    buf_puts(o, "        switch (entry) {\n");
    for (int e = 0; e < size; e++) {
        const function *m = group_member(prog, self->group, e);
        char ret[300];
        if (!m->ret_type)
            continue;
        ret_var(prog, m, ret, sizeof ret);
        buf_printf(o, "        case %d:\n            *(", e);
        declare(o, m->ret_type, "*");
        buf_printf(o, ")result = %s;\n            break;\n", ret);
    }
    buf_puts(o, "        }\n        return;\n    }\n");
    int last_id = 0;
    const function *last_fn = NULL;
    for (int e = 0; e < size; e++) {
        const function *m = group_member(prog, self->group, e);
        for (int i = 0; i < m->ncalls; i++)
            if (m->calls[i].kind == ITEM_CALL && !m->calls[i].tail) {
                last_id = m->calls[i].id;
                last_fn = m;
            }
    }
    if (last_fn && !rt) { /* one resume point in the whole group */
        buf_printf(o,
                   "    %s__f = unrecurse_pop_to(%s__stack, %s__top, "
                   "UNRECURSE_FRAME_SIZE(sizeof *%s__f));\n    goto %s__resume_%d;\n",
                   last_fn->name, p, p, last_fn->name, last_fn->name, last_id);
    } else if (last_fn) {
        buf_printf(o, "    switch (%s__return_to) {\n", p);
        for (int e = 0; e < size; e++) {
            const function *m = group_member(prog, self->group, e);
            for (int i = 0; i < m->ncalls; i++) {
                const call *k = &m->calls[i];
                if (k->kind != ITEM_CALL || k->tail)
                    continue;
                if (m == last_fn && k->id == last_id)
                    buf_puts(o, "    default:\n");
                else
                    buf_printf(o, "    case %d:\n", resume_number(prog, m, k));
                buf_printf(o,
                           "        %s__f = unrecurse_pop_to(%s__stack, %s__top, "
                           "UNRECURSE_FRAME_SIZE(sizeof *%s__f));\n"
                           "        goto %s__resume_%d;\n",
                           m->name, p, p, m->name, m->name, k->id);
            }
        }
        buf_puts(o, "    }\n");
    }
    buf_puts(o, "}\n");
    buf_printf(o, "\nstatic void %s__nested_run(void *nested)\n{\n", p);
    buf_printf(o, "    struct %s__nested *a = nested;\n", p);
    buf_printf(o, "    %s__run(a->entry, a->args, a->result);\n}", p);
    L->fn = self;
}

void lower_function(const program *prog, const function *fn, buf *out, bool lines)
{
    lower L = {.prog = prog, .src = prog->src, .fn = fn, .out = out, .lines = lines};
    if (fn->group_size == 1) {
        lower_alone(&L);
        return;
    }
    char p[256];
    group_prefix(prog, fn, p, sizeof p);
    lower_member_wrapper(&L, p);
    if (fn->group_last)
        lower_group_engine(&L, p);
}
