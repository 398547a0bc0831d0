/*
 * lower.c - one recursive function's statements, lowered onto heap frames.
 *
 * The rewritten function keeps its name and signature. Native first (the
 * default), it keeps its own body too, copied as it is, and the lowered
 * body below is its state machine, PREFIX__heap, run past the native
 * budget; with --heap-only (or a static local) the function is the state
 * machine. The machine runs a loop of its own frames (frames.c writes the
 * frame code around the body); generated lines are pinned to the user's
 * lines with #line (pin). The lowered body is the user's body, read from
 * the IR, with four kinds of edits:
 *
 *   - each recursive call is hoisted in front of its statement: the
 *     arguments are evaluated, the native locals still needed afterwards are
 *     saved into the current frame, a frame is pushed for the callee, and
 *     control jumps to the top of the body (`NAME__enter`). When the callee
 *     returns, the dispatch jumps back to the resume label after the call
 *     (`NAME__resume_K`), the saved locals are restored, and the result is
 *     in a temporary (`NAME__tK`) that replaces the call in the statement;
 *     a lazy operator with a call in an operand that may not run becomes
 *     `if`s, so each call runs exactly as often as in the original;
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
 * before the next call stay native C locals, kept in registers. This file
 * reads the IR and the source text only, never libclang.
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where `continue` goes in an enclosing loop: NULL to keep it, or the
 * label of a rewritten loop's increment; and whether it was used. */
typedef struct continuation {
    const char *label;
    bool used;
} continuation;

typedef struct lower {
    const program *prog;
    const source *src;
    const function *fn;
    buf *out;
    bool lines;
    bool used_return; /* some statement jumps to NAME__return */
    bool used_enter;
    continuation *cont; /* innermost last */
    int ncont, capcont;
    int nloops;       /* rewritten loops so far, for unique labels */
    /* fn's items by where they begin (outermost first), and the uses of
     * its renamed or frame-resident variables by offset: what expr edits. */
    const function *indexed;
    const item **items;
    int nitems;
    const ref **refs;
    int nrefs;
} lower;

static void stmt(lower *L, const node *n, bool wrap);

static void text(lower *L, unsigned from, unsigned to)
{
    if (to > from)
        buf_put(L->out, L->src->text + from, to - from);
}

static void line_directive(lower *L, unsigned offset)
{
    if (L->lines)
        text_line_directive(L->src, L->out, source_line(L->src, offset));
}

/* Says that the generated code written to L->out since FROM is at the
 * line of OFFSET (text_pin_lines), when #line directives are written. */
static void pin(lower *L, size_t from, unsigned offset)
{
    if (L->lines)
        text_pin_lines(L->out, from, source_line(L->src, offset));
}

/* ---- expressions ---- */

static int by_begin(const void *a, const void *b)
{
    const item *x = *(const item *const *)a, *y = *(const item *const *)b;
    if (x->begin != y->begin)
        return x->begin < y->begin ? -1 : 1;
    return (x->end < y->end) - (x->end > y->end);
}

static int by_offset(const void *a, const void *b)
{
    const ref *x = *(const ref *const *)a, *y = *(const ref *const *)b;
    return (x->offset > y->offset) - (x->offset < y->offset);
}

/* Builds L's index of L->fn, if it is not built yet. */
static void index_function(lower *L)
{
    const function *fn = L->fn;
    if (L->indexed == fn)
        return;
    L->indexed = fn;
    L->items = xrealloc(L->items, ((size_t)fn->nitems + 1) * sizeof *L->items);
    L->nitems = 0;
    for (int i = 0; i < fn->nitems; i++)
        L->items[L->nitems++] = &fn->items[i];
    qsort(L->items, (size_t)L->nitems, sizeof *L->items, by_begin);
    L->refs = xrealloc(L->refs, ((size_t)fn->nrefs + 1) * sizeof *L->refs);
    L->nrefs = 0;
    for (int i = 0; i < fn->nrefs; i++) {
        const var *v = &fn->vars[fn->refs[i].var];
        if ((v->resident || v->cname) && fn->refs[i].offset != (unsigned)-1)
            L->refs[L->nrefs++] = &fn->refs[i];
    }
    qsort(L->refs, (size_t)L->nrefs, sizeof *L->refs, by_offset);
}

/* The first of N things, sorted by KEY (the offset of thing I of BASE),
 * whose offset is at or after AT. */
static int first_from(const void *base, int n, unsigned (*key)(const void *, int), unsigned at)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (key(base, mid) < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static unsigned item_key(const void *items, int i)
{
    return ((const item *const *)items)[i]->begin;
}

static unsigned ref_key(const void *refs, int i)
{
    return ((const ref *const *)refs)[i]->offset;
}

static unsigned edit_key(const void *edits, int i)
{
    return ((const edit *)edits)[i].offset;
}

/* Copies [from, to) with the items inside it replaced by their results,
 * the uses of frame-resident variables by frame accesses, and the edits
 * (renamed labels) made. */
static void expr(lower *L, unsigned from, unsigned to)
{
    const function *fn = L->fn;
    index_function(L);
    unsigned at = from;
    while (at < to) {
        /* The next edit at or after `at`: the outermost item there (the
         * first of those beginning first, in by_begin order). */
        unsigned best = to;
        const item *kc = NULL;
        const ref *kr = NULL;
        int i = first_from(L->items, L->nitems, item_key, at);
        for (; i < L->nitems && L->items[i]->begin < best; i++)
            if (L->items[i]->end <= to) {
                kc = L->items[i];
                best = kc->begin;
                break;
            }
        int r = first_from(L->refs, L->nrefs, ref_key, at);
        if (r < L->nrefs && L->refs[r]->offset < to && L->refs[r]->offset < best) {
            kr = L->refs[r];
            best = kr->offset;
            kc = NULL;
        }
        const edit *ke = NULL;
        int e = first_from(fn->edits, fn->nedits, edit_key, at);
        if (e < fn->nedits && fn->edits[e].offset < best) {
            ke = &fn->edits[e];
            best = ke->offset;
            kc = NULL;
            kr = NULL;
        }
        text(L, at, best);
        if (best == to)
            break;
        if (ke) {
            buf_puts(L->out, ke->text);
            at = ke->offset + ke->len;
        } else if (kc) {
            if (frame_temp_type(L->prog, kc))
                buf_printf(L->out, "%s__t%d", fn->prefix, kc->id);
            else
                buf_puts(L->out, "((void)0)");
            at = kc->end;
        } else {
            const var *v = &fn->vars[kr->var];
            if (v->resident)
                frame_put_var(L->out, fn, v);
            else
                buf_puts(L->out, frame_var_name(v)); /* renamed: indexed for it */
            at = kr->offset + (unsigned)strlen(v->name);
        }
    }
}

/* The condition [from, to) of an `if (...)` the rewrite writes, without
 * enclosing parentheses: `if ((a == b))` draws a warning from clang. */
static void condition(lower *L, unsigned from, unsigned to)
{
    text_unparen(L->src, &from, &to);
    expr(L, from, to);
}

/* ---- calls ---- */

static void comment_call(lower *L, const item *k)
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
static void eval_args(lower *L, const item *k, const function *callee, const char *ind)
{
    int p = 0;
    for (int i = 0; i < callee->nvars && p < k->nargs; i++) {
        const var *v = &callee->vars[i];
        if (!v->is_param)
            continue;
        buf_printf(L->out, "%s    ", ind);
        char name[300];
        snprintf(name, sizeof name, "%s__arg_%s", callee->prefix, v->name);
        if (callee->group_size == 1)
            text_declare(L->out, v->type, name);
        else
            buf_puts(L->out, name);
        buf_puts(L->out, " = ");
        expr(L, k->args[p].begin, k->args[p].end);
        buf_puts(L->out, ";\n");
        p++;
    }
}

/* `return f(...)`: the callee takes over this frame's place and returns
 * to our caller. IN is the indentation inside the call's block. */
static void tail_call(lower *L, const function *callee, const char *in)
{
    const function *fn = L->fn;
    const char *n = fn->prefix, *c = callee->prefix;
    char p[256];
    frame_prefix(L->prog, fn, p, sizeof p);
    const char *rt = frame_return_to_type(L->prog, fn);
    if (fn->group_size == 1)
        frame_pass_args(fn, L->out, in);
    else if (callee != fn) {
        if (rt)
            buf_printf(L->out, "%s%s__return_to = %s__f->%s__return_to;\n", in, p, n, n);
        buf_printf(L->out, "%s%s__was_root = (void *)%s__f == %s__root;\n", in, p, n, p);
        buf_printf(L->out, "%sunrecurse_pop(%s__stack, %s__f);\n", in, p, n);
        frame_push_member(L->prog, L->out, in, callee, p);
        if (rt)
            buf_printf(L->out, "%s%s__f->%s__return_to = %s__return_to;\n", in, c, c, p);
        buf_printf(L->out, "%sif (%s__was_root)\n%s    %s__root = %s__f;\n", in, p, in, p, c);
    }
}

/* Saves what outlives call K, pushes the frame that records where K
 * resumes, and passes the arguments. */
static void suspend(lower *L, const item *k, const function *callee, const char *ind,
                    const char *in)
{
    const function *fn = L->fn;
    const char *n = fn->prefix;
    char p[256];
    frame_prefix(L->prog, fn, p, sizeof p);
    const char *rt = frame_return_to_type(L->prog, fn);
    if (fn->model == FRAMES_ON_CALL) /* this activation's frame, while the call runs */
        frame_push(L->out, in, false, n, p);
    for (int i = 0; i < k->nlive; i++) {
        const var *v = &fn->vars[k->live[i]];
        buf_printf(L->out, "%s    ", ind);
        frame_put_var(L->out, fn, v);
        buf_printf(L->out, " = %s;\n", frame_var_name(v));
    }
    for (int i = 0; i < k->nlive_temps; i++) {
        buf_printf(L->out, "%s    ", ind);
        frame_put_temp(L->out, fn, k->live_temps[i]);
        buf_printf(L->out, " = %s__t%d;\n", n, k->live_temps[i]);
    }
    if (fn->model == FRAMES_ON_CALL) {
        if (rt)
            buf_printf(L->out, "%s%s__f->%s__return_to = %d;\n", in, n, n, k->id);
    } else {
        /* The callee's frame goes on top; it records where this one resumes. */
        frame_push_member(L->prog, L->out, in, callee, p);
        if (rt)
            buf_printf(L->out, "%s%s__f->%s__return_to = %d;\n", in, callee->prefix,
                       callee->prefix, frame_resume_number(L->prog, fn, k));
    }
    if (fn->group_size == 1)
        frame_pass_args(fn, L->out, in);
}

/* The resume point of call K: restore what was saved, take the result. */
static void resume(lower *L, const item *k, const function *callee, const char *ind)
{
    const function *fn = L->fn;
    const char *n = fn->prefix;
    buf_printf(L->out, "%s%s__resume_%d:\n", ind, n, k->id);
    bool any = false;
    for (int i = 0; i < k->nlive; i++) {
        const var *v = &fn->vars[k->live[i]];
        buf_printf(L->out, "%s%s = ", ind, frame_var_name(v));
        frame_put_var(L->out, fn, v);
        buf_puts(L->out, ";\n");
        any = true;
    }
    for (int i = 0; i < k->nlive_temps; i++) {
        buf_printf(L->out, "%s%s__t%d = ", ind, n, k->live_temps[i]);
        frame_put_temp(L->out, fn, k->live_temps[i]);
        buf_puts(L->out, ";\n");
        any = true;
    }
    if (fn->model == FRAMES_ON_CALL) {
        buf_printf(L->out, "%sunrecurse_pop(%s__stack, %s__f);\n", ind, n, n);
        any = true;
    }
    if (frame_temp_type(L->prog, k)) {
        char ret[300];
        frame_ret_var(L->prog, callee, ret, sizeof ret);
        buf_printf(L->out, "%s%s__t%d = %s;\n", ind, n, k->id, ret);
        any = true;
    }
    if (!any)
        buf_printf(L->out, "%s;\n", ind);
}

static void emit_call(lower *L, const item *k, const char *ind)
{
    const function *callee = &L->prog->fns[k->callee];
    char *in = xrealloc(NULL, strlen(ind) + 5);
    sprintf(in, "%s    ", ind);
    L->used_enter = true;
    comment_call(L, k);
    buf_printf(L->out, "\n%s{\n", ind);
    eval_args(L, k, callee, ind);
    if (k->tail)
        tail_call(L, callee, in);
    else
        suspend(L, k, callee, ind, in);
    buf_printf(L->out, "%sgoto %s__enter;\n%s}\n", in, callee->prefix, ind);
    free(in);
    if (!k->tail)
        resume(L, k, callee, ind);
}

static void emit_item(lower *L, const item *k, const char *ind);

/* Emits the items of LIST, each line starting with IND, in evaluation
 * order (a tail call is emitted by its return). */
static void emit_items(lower *L, const item_list *list, const char *ind)
{
    for (int i = 0; i < list->n; i++) {
        const item *k = &L->fn->items[list->v[i]];
        if (k->tail)
            continue;
        size_t at = L->out->len;
        buf_puts(L->out, ind);
        emit_item(L, k, ind);
        pin(L, at, k->begin);
    }
}

/* `TARGET = OPERAND;`, or `(void)(OPERAND);` when the value is not used. */
static void assign_operand(lower *L, const char *ind, const char *target, span op,
                           const char *suffix)
{
    buf_printf(L->out, target ? "%s%s = " : "%s(void)(", ind, target);
    expr(L, op.begin, op.end);
    buf_puts(L->out, target ? suffix : ");\n");
}

/* A lazy operator as statements: the operands that may be skipped run
 * under an if, exactly as often as in the original expression. */
static void emit_lazy(lower *L, const item *k, const char *ind)
{
    buf *o = L->out;
    buf in = {0};
    buf_printf(&in, "%s    ", ind);
    char t[300];
    snprintf(t, sizeof t, "%s__t%d", L->fn->prefix, k->id);
    const char *target = frame_temp_type(L->prog, k) ? t : NULL;
    buf_printf(o, "/* %s */\n", k->op);
    emit_items(L, &k->inner[0], ind);
    if (!strcmp(k->op, ",")) {
        assign_operand(L, ind, NULL, k->ops[0], NULL);
        emit_items(L, &k->inner[1], ind);
        assign_operand(L, ind, target, k->ops[1], ";\n");
    } else if (!strcmp(k->op, "?:")) {
        buf_printf(o, "%sif (", ind);
        condition(L, k->ops[0].begin, k->ops[0].end);
        buf_puts(o, ") {\n");
        for (int arm = 1; arm <= 2; arm++) {
            emit_items(L, &k->inner[arm], in.data);
            assign_operand(L, in.data, target, k->ops[arm], ";\n");
            buf_printf(o, arm == 1 ? "%s} else {\n" : "%s}\n", ind);
        }
    } else {
        bool and = !strcmp(k->op, "&&");
        if (target)
            buf_printf(o, "%s%s = %d;\n", ind, t, and ? 0 : 1);
        buf_printf(o, "%sif (%s", ind, and ? "" : "!(");
        if (and)
            condition(L, k->ops[0].begin, k->ops[0].end);
        else
            expr(L, k->ops[0].begin, k->ops[0].end);
        buf_puts(o, and ? ") {\n" : ")) {\n");
        emit_items(L, &k->inner[1], in.data);
        if (target) {
            buf_printf(o, "%s%s = (", in.data, t);
            expr(L, k->ops[1].begin, k->ops[1].end);
            buf_puts(o, ") != 0;\n");
        } else {
            assign_operand(L, in.data, NULL, k->ops[1], NULL);
        }
        buf_printf(o, "%s}\n", ind);
    }
    buf_fini(&in);
}

static void emit_item(lower *L, const item *k, const char *ind)
{
    if (k->kind == ITEM_LAZY)
        emit_lazy(L, k, ind);
    else
        emit_call(L, k, ind);
}

/* ---- statements ---- */

static const item *last_item(const lower *L, const item_list *l)
{
    return l->n ? &L->fn->items[l->v[l->n - 1]] : NULL;
}

/* Emits ITEMS, hoisted in front of the statement at BEGIN (the code at
 * AT, when that is a part of it), before its text. */
static void hoist_items(lower *L, const item_list *items, unsigned begin, unsigned at)
{
    bool any = false;
    for (int i = 0; i < items->n; i++)
        any |= !L->fn->items[items->v[i]].tail;
    if (!any)
        return;
    char *ind = text_indent_of(L->src, begin);
    buf_trim_line(L->out);
    line_directive(L, at);
    emit_items(L, items, ind);
    line_directive(L, at);
    buf_puts(L->out, ind);
    free(ind);
}

static void hoist(lower *L, const node *n)
{
    hoist_items(L, &n->items, n->begin, n->begin);
}

static void return_stmt(lower *L, const node *n)
{
    const function *fn = L->fn;
    const item *last = last_item(L, &n->items);
    if (last && last->tail) {
        char *ind = text_indent_of(L->src, n->begin);
        emit_call(L, last, ind);
        free(ind);
    } else if (!n->has_value) {
        buf_printf(L->out, "goto %s__return;", fn->prefix);
        L->used_return = true;
    } else {
        buf_puts(L->out, "{ ");
        if (fn->ret_type) {
            char ret[300];
            frame_ret_var(L->prog, fn, ret, sizeof ret);
            buf_printf(L->out, "%s = ", ret);
        }
        expr(L, n->value.begin, n->value.end);
        buf_printf(L->out, "; goto %s__return; }", fn->prefix);
        L->used_return = true;
    }
}

/* A declarator of a frame-resident variable: a store into the frame. */
static void store_resident(lower *L, const declarator *d, const var *v)
{
    const function *fn = L->fn;
    unsigned ib = text_skip_space(L->src, d->init, d->end);
    if (v->is_array || L->src->text[ib] == '{') { /* an aggregate */
        char name[300];
        snprintf(name, sizeof name, "%s__init", fn->prefix);
        buf_puts(L->out, "{ ");
        text_declare(L->out, v->type, name);
        buf_puts(L->out, " =");
        expr(L, d->init, d->end);
        buf_puts(L->out, "; memcpy(&");
        frame_put_var(L->out, fn, v);
        buf_printf(L->out, ", &%s, sizeof %s); }", name, name);
    } else {
        frame_put_var(L->out, fn, v);
        buf_puts(L->out, " =");
        expr(L, d->init, d->end);
        buf_puts(L->out, ";");
    }
}

/* Declarators one by one. Resident ones become stores into the frame;
 * hoisted ones are declared at the top of the function (their lifetime
 * must span the jumps out of and back into their block) and become
 * assignments; in a for header, one expression. */
static void decl_stmt(lower *L, const node *n)
{
    const function *fn = L->fn;
    bool any_moved = false, header = false;
    for (int i = 0; i < n->ndecls; i++) {
        const var *v = &fn->vars[n->decls[i].var];
        any_moved |= v->resident || v->hoisted;
        header |= v->in_for_header;
    }
    if (!any_moved && !n->split) {
        expr(L, n->begin, n->end);
        return;
    }
    bool empty = true;
    for (int i = 0; i < n->ndecls; i++) {
        const declarator *d = &n->decls[i];
        const var *v = &fn->vars[d->var];
        if (d->items.n) {
            hoist_items(L, &d->items, n->begin, d->name);
            empty = true;
        } else if (!empty)
            buf_puts(L->out, " ");
        if (!v->resident && !v->hoisted) {
            text_declare(L->out, v->type, v->name);
            if (d->init) {
                buf_puts(L->out, " =");
                expr(L, d->init, d->end);
            }
            buf_puts(L->out, ";");
            empty = false;
            continue;
        }
        if (!d->init)
            continue;
        empty = false;
        if (v->resident) {
            store_resident(L, d, v);
            continue;
        }
        buf_printf(L->out, "%s =", frame_var_name(v));
        if (L->src->text[text_skip_space(L->src, d->init, d->end)] == '{')
            buf_printf(L->out, " (%s)", v->type); /* a compound literal */
        expr(L, d->init, d->end);
        buf_puts(L->out, header && d->followed ? "," : ";");
    }
    if (empty)
        buf_puts(L->out, ";");
}

/* Copies N's text, lowering its child statements where they stand and the
 * expressions between them. */
static void children(lower *L, const node *n)
{
    unsigned at = n->begin;
    for (int i = 0; i < n->nkids; i++) {
        expr(L, at, n->kids[i]->begin);
        stmt(L, n->kids[i], n->kind != NODE_BLOCK);
        at = n->kids[i]->end;
    }
    expr(L, at, n->end);
}

/* Evaluates a loop condition or increment's items, each line indented
 * with IND. */
static void loop_part_items(lower *L, span part, const item_list *items, const char *ind)
{
    line_directive(L, part.begin);
    emit_items(L, items, ind);
}

static void push_continuation(lower *L, const char *label)
{
    continuation c = {label, false};
    VEC_PUSH(L->cont, L->ncont, L->capcont, c);
}

/* The head of a rewritten loop: a for's init in a block around it, then
 * `for (;;) {` and the condition of while and for. IN, the indentation
 * inside the loop, grows by a level for a for. */
static void loop_head(lower *L, const node *n, buf *in)
{
    buf *o = L->out;
    if (n->kind == NODE_FOR) {
        buf_puts(o, "{\n");
        if (n->init || n->init_expr.end > n->init_expr.begin) {
            buf_puts(o, in->data);
            if (n->init)
                stmt(L, n->init, false);
            else {
                expr(L, n->init_expr.begin, n->init_expr.end);
                buf_puts(o, ";");
            }
            buf_puts(o, "\n");
        }
        buf_printf(o, "%sfor (;;) {\n", in->data);
        buf_puts(in, "    ");
    } else {
        buf_puts(o, "for (;;) {\n");
    }
    if (n->kind != NODE_DO && n->cond.end > n->cond.begin) {
        loop_part_items(L, n->cond, &n->cond_items, in->data);
        buf_printf(o, "%sif (!(", in->data);
        expr(L, n->cond.begin, n->cond.end);
        buf_puts(o, "))\n");
        buf_printf(o, "%s    break;\n", in->data);
    }
}

/* A loop whose condition or increment calls the function becomes
 * `for (;;)` with the condition evaluated as statements at the top (while,
 * for) or bottom (do), and `continue` sent to the increment. */
static bool rewritten_loop(lower *L, const node *n)
{
    bool rewrite = (n->cond.end > n->cond.begin && n->cond_items.n) ||
                   (n->inc.end > n->inc.begin && n->inc_items.n);
    if (!rewrite || !n->body)
        return false;
    buf *o = L->out;
    char *ind = text_indent_of(L->src, n->begin);
    buf in = {0};
    buf_printf(&in, "%s    ", ind);
    char label[300];
    snprintf(label, sizeof label, "%s__continue_%d", L->fn->prefix, ++L->nloops);
    loop_head(L, n, &in);
    line_directive(L, n->body->begin);
    buf_puts(o, in.data);
    push_continuation(L, n->kind == NODE_WHILE ? NULL : label);
    stmt(L, n->body, true);
    bool used = L->cont[--L->ncont].used;
    buf_puts(o, "\n");
    if (used)
        buf_printf(o, "%s%s:;\n", in.data, label);
    if (n->kind == NODE_DO) {
        loop_part_items(L, n->cond, &n->cond_items, in.data);
        buf_printf(o, "%sif (!(", in.data);
        expr(L, n->cond.begin, n->cond.end);
        buf_printf(o, "))\n%s    break;\n", in.data);
    }
    if (n->inc.end > n->inc.begin) {
        loop_part_items(L, n->inc, &n->inc_items, in.data);
        assign_operand(L, in.data, NULL, n->inc, NULL);
    }
    if (n->kind == NODE_FOR)
        buf_printf(o, "%s    }\n", ind);
    buf_printf(o, "%s}", ind);
    line_directive(L, n->end);
    free(ind);
    buf_fini(&in);
    return true;
}

static void stmt(lower *L, const node *n, bool wrap)
{
    const item *last = last_item(L, &n->items);
    bool braces = wrap && last && !(n->items.n == 1 && last->tail);
    if (braces)
        buf_puts(L->out, "{ ");
    hoist(L, n);

    switch (n->kind) {
    case NODE_WHILE:
    case NODE_DO:
    case NODE_FOR:
        if (rewritten_loop(L, n))
            break;
        push_continuation(L, NULL);
        children(L, n);
        L->ncont--;
        break;
    case NODE_CONTINUE:
        if (L->ncont > 0 && L->cont[L->ncont - 1].label) {
            buf_printf(L->out, "goto %s;", L->cont[L->ncont - 1].label);
            L->cont[L->ncont - 1].used = true;
        } else
            expr(L, n->begin, n->end);
        break;
    case NODE_BLOCK:
    case NODE_NESTING:
        children(L, n);
        break;
    case NODE_RETURN:
        return_stmt(L, n);
        break;
    case NODE_DECL:
        decl_stmt(L, n);
        break;
    case NODE_EXPR:
        if (last && !last->value_used && last->begin == n->begin)
            break; /* `f(...);` alone: nothing is left of it */
        expr(L, n->begin, n->end);
        break;
    case NODE_OTHER:
        expr(L, n->begin, n->end);
        break;
    }
    if (braces)
        buf_puts(L->out, " }");
}

/* ---- the function ---- */

/* The body, lowered, from the current position of L->out. */
static void body(lower *L, const function *fn)
{
    line_directive(L, fn->body_begin);
    buf_puts(L->out, "    ");
    stmt(L, fn->body, false);
}

/* A function alone on its cycle: the function itself runs its frames. */
static void lower_alone(lower *L)
{
    const function *fn = L->fn;
    buf *out = L->out;
    if (fn->tasked)
        frame_task_prototype(fn, out);
    frame_struct(L->prog, fn, out);
    if (fn->native_first)
        buf_printf(out, "static void %s__heap(struct %s__nested *%s__a);\n", fn->prefix,
                   fn->prefix, fn->prefix);
    line_directive(L, fn->begin);
    text(L, fn->begin, fn->body_begin);
    size_t head = out->len;
    if (fn->native_first) {
        frame_native_head(fn, out);
        frame_native_body(L->src, fn, out, L->lines, head);
        head = out->len;
        buf_puts(out, "}\n");
        pin(L, head, fn->body_end - 1);
        head = out->len;
        frame_heap_head(fn, out);
    }
    frame_prologue(L->prog, fn, out);
    /* The body, with its labels and gotos, is entered anew for every call. */
    buf lowered = {0};
    L->out = &lowered;
    body(L, fn);
    buf_puts(&lowered, "\n");
    L->out = out;
    if (L->used_enter)
        buf_printf(out, "%s__enter:\n", fn->prefix);
    pin(L, head, fn->body_begin);
    buf_put(out, lowered.data, lowered.len);
    size_t tail = out->len;
    frame_epilogue(L->prog, fn, out, L->used_return);
    if (fn->native_first) {
        buf_puts(out, "\n");
        frame_name_macros(fn, out, false);
        buf_puts(out, "}");
    }
    frame_nested_run(fn, out);
    pin(L, tail, fn->body_end - 1);
    if (fn->tasked) { /* the same body, in the task's state machine */
        head = out->len;
        frame_task_head(L->prog, fn, out);
        pin(L, head, fn->body_begin);
        buf_put(out, lowered.data, lowered.len);
        tail = out->len;
        frame_task_tail(L->prog, fn, out);
        pin(L, tail, fn->body_end - 1);
    }
    buf_fini(&lowered);
}

/* The state machine of a cycle of several functions, written after its
 * last member: the members' bodies side by side in one C function. */
static void lower_cycle(lower *L)
{
    const function *self = L->fn;
    buf *out = L->out;
    int size = self->group_size;
    /* The members' bodies, lowered once: in the engine, and in the task
     * engine if a member is started as a task. */
    buf *bodies = xcalloc((size_t)size, sizeof *bodies);
    bool *used_return = xcalloc((size_t)size, sizeof *used_return);
    for (int e = 0; e < size; e++) {
        L->fn = frame_member(L->prog, self->group, e);
        L->used_return = false;
        L->out = &bodies[e];
        body(L, L->fn);
        used_return[e] = L->used_return;
    }
    L->out = out;
    bool tasked = frame_group_tasked(L->prog, self);
    for (int copy = 0; copy < (tasked ? 2 : 1); copy++) {
        size_t at = out->len;
        if (copy == 0)
            frame_engine_head(L->prog, self, out);
        else
            frame_cycle_task_head(L->prog, self, out);
        pin(L, at, self->body_end - 1);
        for (int e = 0; e < size; e++) {
            const function *m = frame_member(L->prog, self->group, e);
            at = out->len;
            frame_engine_member_head(L->prog, m, out, copy == 1);
            pin(L, at, m->body_begin);
            buf_put(out, bodies[e].data, bodies[e].len);
            at = out->len;
            frame_engine_member_tail(L->prog, m, out, used_return[e]);
            pin(L, at, m->body_end - 1);
        }
        at = out->len;
        if (copy == 0)
            frame_engine_tail(L->prog, self, out);
        else
            frame_cycle_task_tail(L->prog, self, out);
        pin(L, at, self->body_end - 1);
    }
    for (int e = 0; e < size; e++)
        buf_fini(&bodies[e]);
    free(bodies);
    free(used_return);
    L->fn = self;
}

void lower_function(const program *prog, const function *fn, buf *out, bool lines)
{
    lower L = {.prog = prog, .src = prog->src, .fn = fn, .out = out, .lines = lines};
    if (fn->group_size == 1) {
        lower_alone(&L);
    } else {
        if (fn->tasked)
            frame_task_prototype(fn, out);
        frame_member_wrapper(prog, fn, out, lines);
        if (fn->group_last)
            lower_cycle(&L);
    }
    free(L.cont);
    free(L.items);
    free(L.refs);
}
