/*
 * live.c - what outlives each recursive call, and where it is kept.
 *
 * A rewritten call leaves the C function (it jumps to the top of the state
 * machine), so every value still needed after it must be stored in the
 * caller's heap frame first and loaded back at the resume point. This stage
 * decides, from the IR alone:
 *   - which native variables are live across each call (`item.live`) and
 *     which results of earlier items of the same statement are
 *     (`item.live_temps`);
 *   - which variables live in the frame for good ("resident": address
 *     taken, arrays, const, or hiding/hidden by a saved name), and their
 *     member names;
 *   - which saved values can share storage (a union slot) because no call
 *     has both live; slots are numbers, spelled only by frames.c;
 *   - which locals are declared at the top of the rewritten function;
 *   - the function's frame model and its tail calls.
 *
 * Liveness is deliberately simple and conservative: a variable is live
 * across a call if it is read later in its scope, or anywhere in a loop
 * around the call, or anywhere at all when the function has labels. It
 * works on source offsets: a use is "after" a call when it comes later in
 * the text or in the evaluation order of the call's statement.
 */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

static bool inside(unsigned x, unsigned b, unsigned e)
{
    return x >= b && x < e;
}

/* Is OFFSET in a part of K's statement that is evaluated before K: an
 * earlier call's arguments, or an earlier operand of a lazy operator K is
 * in (the condition of the ?: whose branch holds K, say)? */
static bool evaluated_before(const function *fn, const item *k, unsigned offset)
{
    if (!inside(offset, k->stmt_items.begin, k->stmt_items.end))
        return false; /* in no item of K's statement: the common case, made fast */
    for (const item *j = fn->items; j < fn->items + fn->nitems; j++) {
        if (j->stmt_begin != k->stmt_begin || !inside(offset, j->begin, j->end))
            continue;
        bool holds_k = k->begin >= j->begin && k->end <= j->end;
        if (j < k && !holds_k)
            return true;
        if (j->kind == ITEM_LAZY && holds_k)
            for (int op = 1; op < j->nops; op++)
                if (k->begin >= j->ops[op].begin && k->end <= j->ops[op].end)
                    for (int before = 0; before < op; before++)
                        if (inside(offset, j->ops[before].begin, j->ops[before].end))
                            return true;
    }
    return false;
}

/* Is there a jump or a label in [B, E)? */
static bool control_between(const function *fn, unsigned b, unsigned e)
{
    for (int i = 0; i < fn->njumps; i++)
        if (inside(fn->jumps[i], b, e))
            return true;
    for (int i = 0; i < fn->nlabels; i++)
        if (inside(fn->labels[i], b, e))
            return true;
    return false;
}

/* Is VI overwritten after K before anything can read it? True when the
 * next use after K's statement is a plain assignment in a later statement
 * of the same block, with no jump or label in between. */
static bool overwritten_after(const function *fn, int vi, const item *k)
{
    const ref *first = NULL;
    for (int i = 0; i < fn->nrefs; i++) {
        const ref *r = &fn->refs[i];
        if (r->var != vi || r->offset == (unsigned)-1 || inside(r->offset, k->begin, k->end) ||
            evaluated_before(fn, k, r->offset))
            continue; /* not after K: in its arguments or an earlier call's */
        if (inside(r->offset, k->stmt_begin, k->stmt_end)) {
            if (!r->kills)
                return false; /* read (or maybe not written) by K's own statement */
            if (r->stmt_begin != k->stmt_begin)
                return false; /* written by a nested statement only */
        }
        if (r->offset >= k->stmt_begin && (!first || r->offset < first->offset))
            first = r;
    }
    if (!first || !first->kills || k->block == (unsigned)-1 || first->block != k->block)
        return false;
    /* `v = v * 2` reads v before it stores it. */
    for (int i = 0; i < fn->nrefs; i++)
        if (fn->refs[i].var == vi && !fn->refs[i].write_only &&
            fn->refs[i].stmt_begin == first->stmt_begin)
            return false;
    return !control_between(fn, k->stmt_begin, first->offset);
}

/* Is native variable VI live across call K? */
static bool live_across(const function *fn, int vi, const item *k, bool in_return)
{
    const var *v = &fn->vars[vi];
    if (!(v->scope_begin <= k->begin && k->begin < v->scope_end))
        return false;
    if (overwritten_after(fn, vi, k))
        return false;
    bool any_read = false;
    for (int i = 0; i < fn->nrefs; i++) {
        const ref *r = &fn->refs[i];
        if (r->var != vi || r->write_only)
            continue;
        if (r->offset == (unsigned)-1)
            return true; /* used through a macro: position unknown */
        if (in_return && r->offset >= k->stmt_end)
            continue; /* after a return: never read by this activation */
        any_read = true;
        if (r->offset >= k->stmt_begin && r->offset < v->scope_end &&
            !inside(r->offset, k->begin, k->end) && !evaluated_before(fn, k, r->offset))
            return true;
        for (int l = 0; l < fn->nloops && !in_return; l++)
            if (inside(k->begin, fn->loops[l].begin, fn->loops[l].end) &&
                inside(r->offset, fn->loops[l].begin, fn->loops[l].end))
                return true;
    }
    if (any_read && !in_return)
        for (int l = 0; l < fn->nlabels; l++)
            if (inside(fn->labels[l], v->scope_begin, v->scope_end))
                return true;
    return false;
}

/* Is the result of item P of K's statement still to be used after K: not
 * consumed by K itself, nor by a lazy operand K is outside of? */
static bool result_live_across(const program *prog, const function *fn, const item *p,
                               const item *k)
{
    if (p->stmt_begin != k->stmt_begin || !frame_temp_type(prog, p) ||
        (p->begin >= k->begin && p->end <= k->end))
        return false;
    if (p->owner >= 0) {
        const item *o = &fn->items[p->owner];
        span in = o->ops[p->owner_op];
        return k->begin >= in.begin && k->end <= in.end;
    }
    return true;
}

static void clear_liveness(function *fn)
{
    for (int i = 0; i < fn->nvars; i++)
        fn->vars[i].saved = false;
    for (int c = 0; c < fn->nitems; c++) {
        item *k = &fn->items[c];
        free(k->live);
        k->live = NULL;
        k->nlive = 0;
        free(k->live_temps);
        k->live_temps = NULL;
        k->nlive_temps = 0;
    }
}

static int by_statement(const void *a, const void *b)
{
    const item *x = *(const item *const *)a, *y = *(const item *const *)b;
    return (x->stmt_begin > y->stmt_begin) - (x->stmt_begin < y->stmt_begin);
}

/* Sets each item's stmt_items: the text the items of its statement cover,
 * outside of which nothing is evaluated before it (sorted, not compared
 * pairwise: an else-if chain of 10,000 calls has 10,000 statements). */
static void cover_statements(function *fn)
{
    item **order = xcalloc((size_t)fn->nitems + 1, sizeof *order);
    for (int i = 0; i < fn->nitems; i++)
        order[i] = &fn->items[i];
    qsort(order, (size_t)fn->nitems, sizeof *order, by_statement);
    for (int first = 0, next; first < fn->nitems; first = next) {
        span cover = {order[first]->begin, order[first]->end};
        for (next = first; next < fn->nitems && order[next]->stmt_begin == order[first]->stmt_begin;
             next++) {
            if (order[next]->begin < cover.begin)
                cover.begin = order[next]->begin;
            if (order[next]->end > cover.end)
                cover.end = order[next]->end;
        }
        for (int i = first; i < next; i++)
            order[i]->stmt_items = cover;
    }
    free(order);
}

static void compute_liveness(const program *prog, function *fn)
{
    clear_liveness(fn);
    for (int c = 0; c < fn->nitems; c++) {
        item *k = &fn->items[c];
        if (k->kind != ITEM_CALL)
            continue;
        /* A call hoisted before a return statement: once the statement is
         * done, the activation is over (a macro's return is not seen
         * here, and stays conservative). */
        bool in_return = text_spelled_at(prog->src, k->stmt_begin, "return");
        for (int vi = 0; vi < fn->nvars; vi++) {
            var *v = &fn->vars[vi];
            if (v->is_static || v->resident || !live_across(fn, vi, k, in_return))
                continue;
            v->saved = true;
            k->live = xrealloc(k->live, (size_t)(k->nlive + 1) * sizeof *k->live);
            k->live[k->nlive++] = vi;
        }
        for (int j = 0; j < c; j++) {
            if (!result_live_across(prog, fn, &fn->items[j], k))
                continue;
            k->live_temps =
                xrealloc(k->live_temps, (size_t)(k->nlive_temps + 1) * sizeof *k->live_temps);
            k->live_temps[k->nlive_temps++] = fn->items[j].id;
        }
    }
}

/* Can A and B, of one name, be told apart where their values are saved?
 * Yes when neither is in scope where the other is, unless both are saved
 * and so both declared at the top of the function. */
static bool apart(const var *a, const var *b)
{
    bool disjoint = a->scope_end <= b->scope_begin || b->scope_end <= a->scope_begin;
    bool both_hoisted = a->saved && b->saved && !a->fixed_decl && !b->fixed_decl;
    return disjoint && !both_hoisted;
}

/* Variables sharing a name with another one that is saved across a call
 * could be hidden at the call; keep them all in the frame instead. */
static bool resolve_shadowing(function *fn)
{
    bool changed = false;
    for (int i = 0; i < fn->nvars; i++)
        for (int j = 0; j < fn->nvars; j++) {
            var *a = &fn->vars[i], *b = &fn->vars[j];
            if (i == j || a->is_static || b->is_static || strcmp(a->name, b->name) != 0 ||
                apart(a, b))
                continue;
            if ((a->saved || a->resident) && !b->resident) {
                b->resident = true;
                changed = true;
            }
        }
    return changed;
}

/* ---- frame storage ---- */

/* Is saved value A (a variable index >= 0, or -ID of a temporary) live
 * across call K? */
static bool value_live_at(const item *k, int a)
{
    for (int i = 0; i < k->nlive; i++)
        if (a >= 0 && k->live[i] == a)
            return true;
    for (int i = 0; i < k->nlive_temps; i++)
        if (a < 0 && k->live_temps[i] == -a)
            return true;
    return false;
}

static bool values_clash(const function *fn, int a, int b)
{
    for (int c = 0; c < fn->nitems; c++)
        if (value_live_at(&fn->items[c], a) && value_live_at(&fn->items[c], b))
            return true;
    return false;
}

/* Numbers the union slots: values alone in theirs need no union (-1). */
static void number_slots(function *fn, const int *vals, const int *slot, int nv, int nslots)
{
    int *members = xcalloc((size_t)nslots + 1, sizeof *members);
    int *name_of = xcalloc((size_t)nslots + 1, sizeof *name_of);
    for (int a = 0; a < nv; a++)
        members[slot[a]]++;
    int named = 0;
    for (int sl = 0; sl < nslots; sl++)
        name_of[sl] = members[sl] > 1 ? ++named : -1;
    fn->nslots = named;
    for (int a = 0; a < nv; a++) {
        if (vals[a] >= 0)
            fn->vars[vals[a]].slot = name_of[slot[a]];
        else
            fn->temp_slot[-vals[a]] = name_of[slot[a]];
    }
    free(members);
    free(name_of);
}

/* Gives saved values that are never live across the same call the same
 * storage: a union in the frame. Resident variables keep their own. */
static void share_slots(function *fn)
{
    int nt = fn->nitems + 1;
    fn->temp_saved = xcalloc((size_t)nt, sizeof *fn->temp_saved);
    fn->temp_slot = xcalloc((size_t)nt, sizeof *fn->temp_slot);
    for (int c = 0; c < fn->nitems; c++)
        for (int t = 0; t < fn->items[c].nlive_temps; t++)
            fn->temp_saved[fn->items[c].live_temps[t]] = true;
    /* The values: saved variables (index >= 0) and temporaries (-id). */
    int *vals = xcalloc((size_t)(fn->nvars + nt), sizeof *vals);
    int nv = 0;
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].saved && !fn->vars[i].resident)
            vals[nv++] = i;
    for (int id = 1; id < nt; id++) {
        fn->temp_slot[id] = -1;
        if (fn->temp_saved[id])
            vals[nv++] = -id;
    }
    int *slot = xcalloc((size_t)nv + 1, sizeof *slot);
    int nslots = 0;
    for (int a = 0; a < nv; a++) {
        /* The first slot none of whose values is live with this one. */
        for (int sl = 0; sl <= nslots; sl++) {
            bool clash = false;
            for (int b = 0; b < a && !clash; b++)
                clash = slot[b] == sl && values_clash(fn, vals[a], vals[b]);
            if (!clash) {
                slot[a] = sl;
                if (sl == nslots)
                    nslots++;
                break;
            }
        }
    }
    number_slots(fn, vals, slot, nv, nslots);
    free(vals);
    free(slot);
}

/* Names each frame member after its variable, unique within the frame,
 * and rejects what a frame cannot hold. */
static void place_in_frame(const source *src, function *fn)
{
    for (int i = 0; i < fn->nvars; i++) {
        var *v = &fn->vars[i];
        if (!v->resident && !v->saved)
            continue;
        fn->any_resident |= v->resident;
        int same = 0;
        for (int j = 0; j < i; j++)
            if ((fn->vars[j].resident || fn->vars[j].saved) && !strcmp(fn->vars[j].name, v->name))
                same++;
        buf f = {0};
        if (same)
            buf_printf(&f, "%s_%d", v->name, same + 1);
        else
            buf_puts(&f, v->name);
        v->field = f.data;
        /* Saved, it is stored and loaded by name where the call is; in
         * the frame, its declaration would have to change. */
        if (v->fixed_decl && v->resident)
            diag_at(src, v->decl_begin, DIAG_ERROR,
                    "variable '%s' must live in the heap frame (its address is taken, or its "
                    "name is shadowed), but %s declares it, which the rewrite cannot edit; "
                    "declare it in a statement of its own",
                    v->name, v->in_macro ? "a macro" : "a statement a macro writes");
        if (v->unnameable)
            diag_at(src, v->decl_begin, DIAG_ERROR,
                    "variable '%s' must be kept in the heap frame, but %s", v->name,
                    v->unnameable);
        if (v->align > 8)
            diag_at(src, v->decl_begin, DIAG_ERROR,
                    "variable '%s' needs %u-byte alignment; frames are 8-byte aligned "
                    "(over-aligned locals are not supported yet)", v->name, v->align);
        if (v->resident)
            for (int r = 0; r < fn->nrefs; r++)
                if (fn->refs[r].var == i && fn->refs[r].offset == (unsigned)-1)
                    diag_at(src, fn->refs[r].macro_at, DIAG_ERROR,
                            "variable '%s' lives in the heap frame and is used inside a macro "
                            "expansion, which cannot be rewritten; use it outside the macro",
                            v->name);
    }
}

/* ---- where native locals are declared ---- */

/* Is VI's name in the output its own? (Renamed locals do not count.) */
static bool name_unique(const function *fn, int vi)
{
    if (fn->vars[vi].cname)
        return true;
    for (int j = 0; j < fn->nvars; j++)
        if (j != vi && !fn->vars[j].cname && !strcmp(fn->vars[j].name, fn->vars[vi].name))
            return false;
    return true;
}

/* Can every use of VI be renamed (none is spelled by a macro)? */
static bool renamable(const function *fn, int vi)
{
    for (int r = 0; r < fn->nrefs; r++)
        if (fn->refs[r].var == vi && fn->refs[r].offset == (unsigned)-1)
            return false;
    return true;
}

/* A local whose name an earlier local of the function has too is
 * renamed PREFIX__l_NAME_K, so that it can be declared at the top (l_:
 * no generated name starts so). */
static void rename_repeated(function *fn)
{
    for (int i = 0; i < fn->nvars; i++) {
        var *v = &fn->vars[i];
        if (v->is_param || v->is_static || v->resident || v->fixed_decl || v->in_for_header ||
            !renamable(fn, i))
            continue;
        int earlier = 0;
        for (int j = 0; j < i; j++)
            earlier += !strcmp(fn->vars[j].name, v->name);
        if (!earlier)
            continue;
        buf b = {0};
        buf_printf(&b, "%s__l_%s_%d", fn->prefix, v->name, earlier + 1);
        v->cname = b.data;
    }
}

/* Native locals are declared at the top of the rewritten function, so
 * that no jump to a resume point enters their scope (gcc's
 * -Wdangling-pointer misreads such jumps). A name declared twice is
 * renamed first (rename_repeated); one that cannot be stays where it is. */
static void choose_hoisted(const source *src, function *fn)
{
    rename_repeated(fn);
    for (int i = 0; i < fn->nvars; i++) {
        var *v = &fn->vars[i];
        if (v->is_param || v->is_static || v->resident || v->fixed_decl)
            continue;
        /* A for header cannot hold a declaration after an assignment:
         * its locals stay unless they must be saved. */
        v->hoisted = (name_unique(fn, i) && !v->in_for_header) || v->saved;
    }
    /* The declarators of one for header are hoisted together or not at all
     * (they become one expression there). */
    for (int i = 0; i < fn->nvars; i++) {
        var *v = &fn->vars[i];
        if (!v->in_for_header || !v->hoisted)
            continue;
        for (int j = 0; j < fn->nvars; j++) {
            var *u = &fn->vars[j];
            if (!u->in_for_header || u->hoisted || u->resident || u->fixed_decl ||
                u->scope_end != v->scope_end)
                continue;
            if (name_unique(fn, j))
                u->hoisted = true;
            else
                diag_at(src, u->decl_begin, DIAG_ERROR,
                        "'%s' is declared in the same for statement as '%s', which lives "
                        "across a recursive call, and its name is used again in the "
                        "function; declare it before the loop", u->name, v->name);
        }
        if (v->hoisted && v->unnameable)
            v->hoisted = v->saved; /* saved ones were diagnosed above */
    }
}

/* The members of a cycle share one C function, and its resume dispatch
 * jumps into their blocks: a member's parameters and hoisted locals are
 * declared at the top of that function instead (where no jump skips
 * them), renamed PREFIX__l_NAME so that members' names cannot meet. */
static void lift_to_engine(function *fn)
{
    for (int i = 0; i < fn->nvars; i++) {
        var *v = &fn->vars[i];
        if (!((v->is_param && !v->resident) || v->hoisted) || !renamable(fn, i))
            continue;
        v->engine_top = true;
        if (!v->cname) {
            buf b = {0};
            buf_printf(&b, "%s__l_%s", fn->prefix, v->name);
            v->cname = b.data;
        }
    }
}

void live_analyze(program *prog, function *fn)
{
    cover_statements(fn); /* the items do not move: once for every pass below */
    do
        compute_liveness(prog, fn);
    while (resolve_shadowing(fn));
    place_in_frame(prog->src, fn);
    share_slots(fn);
    choose_hoisted(prog->src, fn);
    if (fn->group_size > 1)
        lift_to_engine(fn);
    fn->model = fn->group_size > 1 ? FRAMES_IN_CYCLE
                : fn->any_resident ? FRAMES_PER_ACTIVATION
                                   : FRAMES_ON_CALL;
}

/* ---- calls that need nothing after them ---- */

void live_mark_tail_calls(const program *prog, function *fn)
{
    if (fn->any_resident)
        return; /* a pointer into this frame may be passed down */
    for (int c = 0; c < fn->nitems; c++) {
        item *k = &fn->items[c];
        if (k->kind != ITEM_CALL)
            continue;
        const function *callee = &prog->fns[k->callee];
        bool same_type = (!fn->ret_type && !callee->ret_type) ||
                         (fn->ret_type && callee->ret_type &&
                          !strcmp(fn->ret_type, callee->ret_type));
        k->tail = k->tail_candidate && same_type;
    }
}
