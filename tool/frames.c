/*
 * frames.c - the heap frames of the rewritten functions, as C.
 *
 * Everything about a frame is written here: its struct (what outlives a
 * call, with union slots for values never live at the same call), how it
 * is pushed and popped, the rewritten function's prologue (stack, frame,
 * hoisted locals, temporaries) and epilogue (pop, then resume the caller
 * through the `return_to` dispatch), the run on a fresh native segment for
 * a call deep in the native stack, and the shared engine of a cycle of
 * several functions. lower.c writes the statements in between.
 *
 * The frame model (tool.h's frame_model) was chosen once by live.c:
 *   FRAMES_ON_CALL         a frame only while suspended in a call; the
 *                          caller's frame is found by size (unrecurse_top);
 *   FRAMES_PER_ACTIVATION  a frame from entry to return, with its root;
 *   FRAMES_IN_CYCLE        like the above, run by PREFIX__run for the cycle.
 * Names: the function's own name prefixes everything it declares
 * (NAME__frame, NAME__f, NAME__tK, NAME__resume_K); a cycle's shared
 * names use its first member's name: FIRST_cycle__run.
 *
 * Native first (function.native_first, the default), the function itself
 * is its own body behind one check, `unrecurse_native_over()` (a compare
 * of the frame address with the thread's bound, kept free of calls so the
 * compiler still inlines the function into itself); past the bound it
 * packs its arguments (PREFIX__nested, or PREFIX__args in a cycle) and
 * runs the state machine: PREFIX__heap for a function alone, the cycle's
 * PREFIX__run. On the thread's first call the bound is not set yet: the
 * machine asks unrecurse_native_confirm and, if the stack is not deep
 * after all, calls the function natively (or returns 0 to its member).
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names shared by a group ---- */

const function *frame_member(const program *prog, int group, int entry)
{
    for (int i = 0; i < prog->nfns; i++)
        if (prog->fns[i].group == group && prog->fns[i].entry == entry)
            return &prog->fns[i];
    return NULL;
}

void frame_prefix(const program *prog, const function *fn, char *out, size_t size)
{
    if (fn->group_size == 1)
        snprintf(out, size, "%s", fn->prefix);
    else
        snprintf(out, size, "%s_cycle", frame_member(prog, fn->group, 0)->prefix);
}

/* In a group, functions returning the same type share one variable, so
 * that a tail call from one to another can return for both. */
void frame_ret_var(const program *prog, const function *fn, char *out, size_t size)
{
    if (fn->group_size == 1 || !fn->ret_type) {
        snprintf(out, size, fn->ret_type ? "%s__ret" : "", fn->prefix);
        return;
    }
    char p[256];
    frame_prefix(prog, fn, p, sizeof p);
    for (int e = 0; e < fn->group_size; e++) {
        const function *m = frame_member(prog, fn->group, e);
        if (m->ret_type && !strcmp(m->ret_type, fn->ret_type)) {
            snprintf(out, size, "%s__ret_%d", p, e);
            return;
        }
    }
}

static bool is_resume_point(const item *k)
{
    return k->kind == ITEM_CALL && !k->tail;
}

/* Unique within FN's group, since one dispatch serves the whole group. */
int frame_resume_number(const program *prog, const function *fn, const item *k)
{
    int base = 0;
    for (int e = 0; e < fn->entry; e++)
        base += frame_member(prog, fn->group, e)->nitems;
    return base + k->id;
}

const char *frame_return_to_type(const program *prog, const function *fn)
{
    int n = 0, max = 0;
    for (int e = 0; e < fn->group_size; e++) {
        const function *m = frame_member(prog, fn->group, e);
        for (int i = 0; i < m->nitems; i++)
            if (is_resume_point(&m->items[i])) {
                n++;
                max = frame_resume_number(prog, m, &m->items[i]);
            }
    }
    if (n <= 1)
        return NULL;
    return max <= 255 ? "unsigned char" : max <= 65535 ? "unsigned short" : "unsigned";
}

/* Does a member of FN's group tail-call another member? A frame then
 * changes hands, and says which member it belongs to (`PREFIX__member`),
 * for unrecurse_backtrace. */
bool frame_cross_tail(const program *prog, const function *fn)
{
    for (int e = 0; e < fn->group_size; e++) {
        const function *m = frame_member(prog, fn->group, e);
        for (int i = 0; i < m->nitems; i++)
            if (m->items[i].kind == ITEM_CALL && m->items[i].tail &&
                &prog->fns[m->items[i].callee] != m)
                return true;
    }
    return false;
}

bool frame_has_resume_points(const function *fn)
{
    for (int i = 0; i < fn->nitems; i++)
        if (is_resume_point(&fn->items[i]))
            return true;
    return false;
}

const char *frame_item_type(const program *prog, const item *k)
{
    return k->kind == ITEM_CALL ? prog->fns[k->callee].ret_type : k->type;
}

const char *frame_temp_type(const program *prog, const item *k)
{
    return k->value_used && !k->tail ? frame_item_type(prog, k) : NULL;
}

/* ---- frame accesses ---- */

const char *frame_var_name(const var *v)
{
    return v->cname ? v->cname : v->name;
}

void frame_put_var(buf *o, const function *fn, const var *v)
{
    buf_printf(o, "%s__f->", fn->prefix);
    if (v->slot > 0)
        buf_printf(o, "%s__u%d.", fn->prefix, v->slot);
    buf_puts(o, v->field);
}

void frame_put_temp(buf *o, const function *fn, int id)
{
    buf_printf(o, "%s__f->", fn->prefix);
    if (fn->temp_slot[id] > 0)
        buf_printf(o, "%s__u%d.", fn->prefix, fn->temp_slot[id]);
    buf_printf(o, "%s__t%d", fn->prefix, id);
}

void frame_push(buf *o, const char *ind, bool declare, const char *who, const char *stack)
{
    buf_puts(o, ind);
    if (declare)
        buf_printf(o, "struct %s__frame *", who);
    buf_printf(o,
               "%s__f = (struct %s__frame *)unrecurse_push(%s__stack, "
               "UNRECURSE_FRAME_SIZE(sizeof *%s__f), &%s__function, NULL);\n",
               who, who, stack, who, who);
}

void frame_push_member(const program *prog, buf *o, const char *ind, const function *m,
                       const char *stack)
{
    frame_push(o, ind, false, m->prefix, stack);
    if (frame_cross_tail(prog, m))
        buf_printf(o, "%s%s__f->%s__member = %d;\n", ind, m->prefix, m->prefix, m->entry);
}

/* `PREFIX NAME SUFFIX` for a variable of TYPE named NAME. */
static void declare_line(buf *o, const char *prefix, const char *type, const char *name,
                         const char *suffix)
{
    buf_puts(o, prefix);
    text_declare(o, type, name);
    buf_puts(o, suffix);
}

/* ---- the frame struct ---- */

static int by_alignment(const void *a, const void *b)
{
    const var *x = *(const var *const *)a, *y = *(const var *const *)b;
    if (x->align != y->align)
        return x->align > y->align ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* After a small first field (return_to), the least aligned come first:
 * they fill the padding it leaves. */
static int by_alignment_up(const void *a, const void *b)
{
    const var *x = *(const var *const *)a, *y = *(const var *const *)b;
    if (x->align != y->align)
        return x->align < y->align ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Values that are never live across the same call share a union. */
static void frame_unions(const program *prog, const function *fn, buf *o)
{
    for (int u = 1; u <= fn->nslots; u++) {
        buf_puts(o, "    union {\n");
        for (int i = 0; i < fn->nvars; i++)
            if (fn->vars[i].slot == u && !fn->vars[i].resident)
                declare_line(o, "        ", fn->vars[i].type, fn->vars[i].field, ";\n");
        for (int id = 1; id <= fn->nitems; id++)
            if (fn->temp_saved[id] && fn->temp_slot[id] == u) {
                char name[300];
                snprintf(name, sizeof name, "%s__t%d", fn->prefix, id);
                declare_line(o, "        ", frame_item_type(prog, &fn->items[id - 1]), name,
                             ";\n");
            }
        buf_printf(o, "    } %s__u%d;\n", fn->prefix, u);
    }
}

static void frame_fields(const program *prog, const function *fn, buf *o)
{
    size_t fields_at = o->len;
    const char *rt = frame_return_to_type(prog, fn);
    /* A frame per activation: where its caller resumes comes first, at the
     * same place in every member's frame, for unrecurse_backtrace. */
    bool head = fn->model != FRAMES_ON_CALL && (rt || frame_cross_tail(prog, fn));
    if (fn->model != FRAMES_ON_CALL) {
        if (rt)
            buf_printf(o, "    %s %s__return_to; /* where the caller resumes */\n", rt,
                       fn->prefix);
        if (frame_cross_tail(prog, fn))
            buf_printf(o, "    unsigned char %s__member; /* whose frame it is */\n", fn->prefix);
    }
    if (!head)
        frame_unions(prog, fn, o);
    const var **vs = xcalloc((size_t)fn->nvars + 1, sizeof *vs);
    int nv = 0;
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].resident || (fn->vars[i].saved && fn->vars[i].slot < 0))
            vs[nv++] = &fn->vars[i];
    qsort(vs, (size_t)nv, sizeof *vs, head ? by_alignment_up : by_alignment);
    for (int i = 0; i < nv; i++)
        declare_line(o, "    ", vs[i]->type, vs[i]->field, ";\n");
    free(vs);
    /* Results of earlier calls in a statement, live across a later call. */
    for (int id = 1; id <= fn->nitems; id++)
        if (fn->temp_saved[id] && fn->temp_slot[id] < 0) {
            char name[300];
            snprintf(name, sizeof name, "%s__t%d", fn->prefix, id);
            declare_line(o, "    ", frame_item_type(prog, &fn->items[id - 1]), name, ";\n");
        }
    if (head)
        frame_unions(prog, fn, o);
    if (rt && fn->model == FRAMES_ON_CALL)
        buf_printf(o, "    %s %s__return_to; /* where the caller resumes */\n", rt, fn->prefix);
    if (o->len == fields_at)
        buf_printf(o, "    char %s__unused; /* nothing outlives a call */\n", fn->prefix);
}

/* For a call deep in the native stack: see unrecurse_run_on_segment. */
static void nested_struct(const function *fn, buf *o)
{
    buf_printf(o, "struct %s__nested {\n", fn->prefix);
    bool any = false;
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].is_param) {
            declare_line(o, "    ", fn->vars[i].type, fn->vars[i].name, ";\n");
            any = true;
        }
    char result[300];
    snprintf(result, sizeof result, "%s__result", fn->prefix);
    if (fn->ret_type)
        declare_line(o, "    ", fn->ret_type, result, ";\n");
    else if (!any)
        buf_printf(o, "    char %s__unused;\n", fn->prefix);
    buf_printf(o, "};\nstatic void %s__nested_run(void *%s__data);\n", fn->prefix, fn->prefix);
}

/* The group's description for unrecurse_backtrace: its members (P__functions,
 * written for a cycle by frame_engine_head), its resume points, the layout
 * of its frames. P is its prefix. */
static void frame_group(const program *prog, const function *fn, buf *o, const char *p)
{
    const source *src = prog->src;
    int nsites = 1;
    for (int e = 0; e < fn->group_size; e++) {
        const function *m = frame_member(prog, fn->group, e);
        for (int i = 0; i < m->nitems; i++)
            if (is_resume_point(&m->items[i]) &&
                frame_resume_number(prog, m, &m->items[i]) >= nsites)
                nsites = frame_resume_number(prog, m, &m->items[i]) + 1;
    }
    if (fn->group_size == 1)
        buf_printf(o, "static const unrecurse_function *const %s__functions[] = {&%s__function, NULL};\n",
                   p, fn->prefix);
    buf_printf(o, "static const unrecurse_site %s__sites[] = {\n", p);
    for (int r = 0; r < nsites; r++) {
        const function *caller = NULL;
        const item *site = NULL;
        for (int e = 0; e < fn->group_size && !site; e++) {
            const function *m = frame_member(prog, fn->group, e);
            for (int i = 0; i < m->nitems && !site; i++)
                if (is_resume_point(&m->items[i]) &&
                    frame_resume_number(prog, m, &m->items[i]) == r) {
                    caller = m;
                    site = &m->items[i];
                }
        }
        if (!site) {
            buf_puts(o, "    {NULL, 0, 0, 0},\n");
            continue;
        }
        buf_puts(o, "    {\"");
        text_quoted(o, src->text, site->begin, site->end, true);
        buf_printf(o, "\", %u, %d, %d},\n", source_line(src, site->begin), caller->entry,
                   prog->fns[site->callee].entry);
    }
    buf_puts(o, "};\n");
    const char *rt = frame_return_to_type(prog, fn);
    const function *first = frame_member(prog, fn->group, 0);
    buf_printf(o, "static const unrecurse_group %s__group = {%s__functions, %s__sites, %d, %d, %d, ",
               p, p, p, nsites, fn->model != FRAMES_ON_CALL,
               !rt ? 0 : !strcmp(rt, "unsigned char") ? 1 : !strcmp(rt, "unsigned short") ? 2 : 4);
    if (rt && fn->model == FRAMES_ON_CALL)
        buf_printf(o, "offsetof(struct %s__frame, %s__return_to), ", fn->prefix, fn->prefix);
    else
        buf_puts(o, "0, ");
    if (frame_cross_tail(prog, fn))
        buf_printf(o, "offsetof(struct %s__frame, %s__member)};\n", first->prefix, first->prefix);
    else
        buf_puts(o, "-1};\n");
}

void frame_struct(const program *prog, const function *fn, buf *o)
{
    const char *n = fn->prefix;
    /* Only tail calls: a loop that needs no frame. */
    bool frames = fn->model != FRAMES_ON_CALL || frame_has_resume_points(fn);
    if (frames) {
        buf_printf(o, "/* The heap frame of one call of %s: what outlives a recursive call. */\n",
                   fn->name);
        buf_printf(o, "struct %s__frame {\n", n);
        frame_fields(prog, fn, o);
        buf_puts(o, "};\n");
    }
    /* For the runtime's error reports, frames or not: a nested run's segment
     * counts against the same limit. */
    buf_printf(o, "static const unrecurse_function %s__function = {\"%s\", \"", n, fn->name);
    for (const char *q = prog->src->path; *q; q++)
        buf_printf(o, (*q == '"' || *q == '\\') ? "\\%c" : "%c", *q);
    if (frames)
        buf_printf(o, "\", UNRECURSE_FRAME_SIZE(sizeof(struct %s__frame))};\n", n);
    else
        buf_puts(o, "\", 0};\n");
    if (fn->group_size == 1 && frames)
        frame_group(prog, fn, o, n);
    if (fn->group_size == 1)
        nested_struct(fn, o);
}

static bool has_params(const function *fn)
{
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].is_param)
            return true;
    return false;
}

/* ---- a function alone on its cycle ---- */

static void call_packed(const function *fn, buf *o, bool locals);

void frame_nested_run(const function *fn, buf *o)
{
    const char *n = fn->prefix;
    buf_printf(o, "\nstatic void %s__nested_run(void *%s__data)\n{\n", n, n);
    buf_printf(o, "    struct %s__nested *%s__a = (struct %s__nested *)%s__data;\n    ", n, n, n,
               n);
    if (!fn->ret_type && !has_params(fn)) /* nothing to pass, nothing to take */
        buf_printf(o, "(void)%s__a;\n    ", n);
    call_packed(fn, o, false);
    buf_puts(o, "}");
}

/* PREFIX__a.PARAM = PARAM; for each parameter of FN, indented by IND. */
static void pack_args(const function *fn, buf *o, const char *ind)
{
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].is_param)
            buf_printf(o, "%s%s__a.%s = %s;\n", ind, fn->prefix, fn->vars[i].name,
                       fn->vars[i].name);
}

/* `return VALUE;` from FN's state machine (VALUE is NULL in a void
 * function), IND its indentation. In a native-first function the machine
 * is PREFIX__heap, which hands the value back through PREFIX__a. */
void frame_return(buf *o, const function *fn, const char *ind, const char *value)
{
    if (!value)
        buf_printf(o, "%sreturn;\n", ind);
    else if (fn->native_first && fn->group_size == 1)
        buf_printf(o, "%s{ %s__a->%s__result = %s; return; }\n", ind, fn->prefix, fn->prefix,
                   value);
    else
        buf_printf(o, "%sreturn %s;\n", ind, value);
}

/* Moves this call to a new native stack segment when the native stack is
 * nearly used up: a deep chain of nested runs stays bounded by the heap. */
static void native_check(const function *fn, buf *o)
{
    const char *n = fn->prefix;
    buf_printf(o, "    if (unrecurse_native_low(%s__stack)) {\n", n);
    if (fn->native_first) { /* PREFIX__heap: the arguments are packed */
        buf_printf(o,
                   "        unrecurse_run_on_segment(%s__stack, %s__nested_run, %s__a, "
                   "&%s__function);\n        return;\n    }\n",
                   n, n, n, n);
        return;
    }
    buf_printf(o, "        struct %s__nested %s__a;\n", n, n);
    pack_args(fn, o, "        ");
    buf_printf(o,
               "        unrecurse_run_on_segment(%s__stack, %s__nested_run, &%s__a, "
               "&%s__function);\n",
               n, n, n, n);
    if (fn->ret_type)
        buf_printf(o, "        return %s__a.%s__result;\n    }\n", n, n);
    else
        buf_puts(o, "        return;\n    }\n");
}

/* Set on every path that reads them, but through jumps a compiler cannot
 * always follow: initialized so none warns. */
void frame_declare_temps(const program *prog, const function *fn, buf *o)
{
    for (int i = 0; i < fn->nitems; i++) {
        const item *k = &fn->items[i];
        const char *type = frame_temp_type(prog, k);
        if (!type)
            continue;
        char name[300];
        snprintf(name, sizeof name, "%s__t%d", fn->prefix, k->id);
        declare_line(o, "    ", type, name, " = {0};\n");
    }
}

/* They start at zero: a local may be saved before it is first assigned
 * (on paths where it is assigned again before any read), and a compiler
 * cannot always see that through the resume jumps. */
void frame_declare_locals(const program *prog, const function *fn, buf *o, bool engine_top)
{
    for (int i = 0; i < fn->nvars; i++) {
        const var *v = &fn->vars[i];
        if (v->engine_top == engine_top &&
            (v->hoisted || (engine_top && v->is_param && !v->resident))) {
            if (prog->lines) /* at its declaration: a message about it points there */
                buf_printf(o, "#line %u\n", source_line(prog->src, v->decl_begin));
            declare_line(o, "    ", v->type, frame_var_name(v), " = {0};\n");
        }
    }
}

/* The declarations of FN's state machine, its frame stack STACK: C90
 * wants them before any statement. */
static void machine_decls(const program *prog, const function *fn, buf *o, const char *stack)
{
    const char *n = fn->prefix;
    bool resumes = frame_has_resume_points(fn);
    buf_printf(o, "{\n    unrecurse_stack *const %s__stack = %s;\n", n, stack);
    if (fn->model == FRAMES_ON_CALL && resumes)
        buf_printf(o, "    const char *%s__base;\n", n);
    if (fn->model != FRAMES_ON_CALL || resumes)
        buf_printf(o, "    struct %s__frame *%s__f;\n", n, n);
    if (fn->model != FRAMES_ON_CALL && resumes)
        buf_printf(o, "    struct %s__frame *%s__root;\n", n, n);
    if (fn->model != FRAMES_ON_CALL && frame_return_to_type(prog, fn))
        buf_printf(o, "    %s %s__return_to;\n", frame_return_to_type(prog, fn), n);
    if (fn->ret_type) {
        char name[300];
        snprintf(name, sizeof name, "%s__ret", n);
        declare_line(o, "    ", fn->ret_type, name, ";\n");
    }
    frame_declare_temps(prog, fn, o);
    frame_declare_locals(prog, fn, o, false);
}

/* The start of a run of FN's state machine, indented by IND: its record,
 * and with a frame per activation the outermost frame (its address kept
 * in ROOT_TOO as well, if not NULL), holding the parameters that live in
 * it. */
static void machine_start(const function *fn, buf *o, const char *ind, const char *root_too)
{
    const char *n = fn->prefix;
    bool resumes = frame_has_resume_points(fn);
    if (fn->model == FRAMES_ON_CALL && resumes)
        buf_printf(o, "%s%s__base = unrecurse_begin(%s__stack, &%s__group, 0);\n", ind, n, n, n);
    if (fn->model == FRAMES_ON_CALL)
        return;
    buf_printf(o, "%sunrecurse_begin(%s__stack, &%s__group, 0);\n", ind, n, n);
    frame_push(o, ind, false, n, n);
    if (resumes)
        buf_printf(o, "%s%s__root = %s__f;\n", ind, n, n);
    if (resumes && root_too)
        buf_printf(o, "%s%s = %s__f;\n", ind, root_too, n);
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].is_param && fn->vars[i].resident) {
            buf_puts(o, ind);
            frame_put_var(o, fn, &fn->vars[i]);
            buf_printf(o, " = %s;\n", fn->vars[i].name);
        }
}

/* Declarations, then the move to a fresh segment when the native stack
 * is low, then the run's start. */
void frame_prologue(const program *prog, const function *fn, buf *o)
{
    machine_decls(prog, fn, o, "unrecurse_stack_get()");
    buf_puts(o, "\n");
    native_check(fn, o);
    machine_start(fn, o, "    ", NULL);
}

/* Jumps to the resume point of FN (a group of one) that SELECTOR names, and
 * closes the function: a switch, or a plain goto when there is only one. */
static void dispatch(const program *prog, const function *fn, buf *o, const char *selector)
{
    const char *n = fn->prefix;
    int last = 0;
    for (int i = 0; i < fn->nitems; i++)
        if (is_resume_point(&fn->items[i]))
            last = fn->items[i].id;
    if (!frame_return_to_type(prog, fn)) {
        buf_printf(o, "    goto %s__resume_%d;\n}", n, last);
        return;
    }
    buf_printf(o, "    switch (%s) {\n", selector);
    for (int i = 0; i < fn->nitems; i++) {
        const item *k = &fn->items[i];
        if (is_resume_point(k) && k->id != last)
            buf_printf(o, "    case %d: goto %s__resume_%d;\n", k->id, n, k->id);
    }
    buf_printf(o, "    default: goto %s__resume_%d;\n    }\n}", n, last);
}

/* After PREFIX__return: FINISH(FN, O, INDENT) writes what is done when
 * the outermost call of the run returns; else the frame of the call returned
 * to is popped and its caller resumes where its call was made. */
static void machine_leave(const program *prog, const function *fn, buf *o,
                          void (*finish)(const function *fn, buf *o, const char *ind))
{
    const char *n = fn->prefix;
    char selector[300];
    if (!frame_has_resume_points(fn)) { /* the outermost call is the only one */
        if (fn->model != FRAMES_ON_CALL)
            buf_printf(o, "    unrecurse_pop(%s__stack, %s__f);\n    unrecurse_end(%s__stack);\n",
                       n, n, n);
        finish(fn, o, "    ");
        buf_puts(o, "}");
        return;
    }
    if (fn->model == FRAMES_ON_CALL) {
        /* The frame on top, if this run pushed it, is the caller's. */
        buf_printf(o, "    if (unrecurse_at_mark(%s__stack, %s__base)) {\n", n, n);
        buf_printf(o, "        unrecurse_end(%s__stack);\n", n);
        finish(fn, o, "        ");
        buf_puts(o, "    }\n");
        buf_printf(o,
                   "    %s__f = (struct %s__frame *)unrecurse_top(%s__stack, "
                   "UNRECURSE_FRAME_SIZE(sizeof *%s__f));\n",
                   n, n, n, n);
        snprintf(selector, sizeof selector, "%s__f->%s__return_to", n, n);
        dispatch(prog, fn, o, selector);
        return;
    }
    /* Pop the frame; resume the caller where its call was made. */
    buf_printf(o, "    if (%s__f == %s__root) {\n", n, n);
    buf_printf(o, "        unrecurse_pop(%s__stack, %s__f);\n", n, n);
    buf_printf(o, "        unrecurse_end(%s__stack);\n", n);
    finish(fn, o, "        ");
    buf_puts(o, "    }\n");
    if (frame_return_to_type(prog, fn))
        buf_printf(o, "    %s__return_to = %s__f->%s__return_to;\n", n, n, n);
    buf_printf(o,
               "    %s__f = (struct %s__frame *)unrecurse_pop_to(%s__stack, %s__f, "
               "UNRECURSE_FRAME_SIZE(sizeof *%s__f));\n",
               n, n, n, n, n);
    snprintf(selector, sizeof selector, "%s__return_to", n);
    dispatch(prog, fn, o, selector);
}

/* The outermost call returns from the state machine. (Nothing is written
 * at the end of a void function that pushes one frame: it falls off.) */
static void finish_call(const function *fn, buf *o, const char *ind)
{
    char ret[300];
    snprintf(ret, sizeof ret, "%s__ret", fn->prefix);
    if (fn->model == FRAMES_ON_CALL || frame_has_resume_points(fn) || fn->ret_type)
        frame_return(o, fn, ind, fn->ret_type ? ret : NULL);
}

void frame_epilogue(const program *prog, const function *fn, buf *o, bool used_return)
{
    if (used_return)
        buf_printf(o, "%s__return:\n", fn->prefix);
    machine_leave(prog, fn, o, finish_call);
}

/* ---- a cycle of several functions ---- */


/* A member of a cycle keeps its name and signature: it packs its
 * arguments and runs the cycle's state machine, PREFIX__run, from its own
 * entry. Native first, the members that break the loops of calls are
 * marked UNRECURSE__NOINLINE (see choose_out_of_line in main.c). */
void frame_member_wrapper(const program *prog, const function *fn, buf *o, bool lines)
{
    const source *src = prog->src;
    const char *n = fn->prefix;
    char p[256];
    frame_prefix(prog, fn, p, sizeof p);
    if (has_params(fn)) {
        buf_printf(o, "/* The arguments of %s, handed to %s__run. */\nstruct %s__args {\n", n, p,
                   n);
        for (int i = 0; i < fn->nvars; i++)
            if (fn->vars[i].is_param)
                declare_line(o, "    ", fn->vars[i].type, fn->vars[i].name, ";\n");
        buf_puts(o, "};\n");
    }
    if (fn->group_first)
        buf_printf(o, "static %s %s__run(int %s__entry, void *%s__args, void *%s__result);\n",
                   fn->native_first ? "int" : "void", p, p, p, p);
    /* On a line of its own, before the line directive: the user's lines
     * stay where they were. */
    if (fn->out_of_line)
        buf_puts(o, "UNRECURSE__NOINLINE\n");
    if (lines)
        text_line_directive(src, o, source_line(src, fn->begin));
    buf_put(o, src->text + fn->begin, fn->body_begin - fn->begin);
    const char *ind = fn->native_first ? "        " : "    ";
    size_t head = o->len;
    buf_puts(o, "{\n");
    if (fn->native_first)
        buf_puts(o, "    if (unrecurse_native_over()) {\n");
    if (has_params(fn))
        buf_printf(o, "%sstruct %s__args %s__a;\n", ind, n, n);
    if (fn->ret_type) {
        char name[300];
        snprintf(name, sizeof name, "%s__r", n);
        declare_line(o, ind, fn->ret_type, name, ";\n");
    }
    pack_args(fn, o, ind);
    /* Native first: PREFIX__run says 0 if the native stack is not that
     * deep after all (the thread's first call), and the body runs. */
    buf_printf(o, fn->native_first ? "%sif (%s__run(%d, " : "%s%s__run(%d, ", ind, p, fn->entry);
    if (has_params(fn))
        buf_printf(o, "&%s__a, ", n);
    else
        buf_puts(o, "NULL, ");
    buf_puts(o, fn->ret_type ? "&" : "NULL");
    if (fn->ret_type)
        buf_printf(o, "%s__r", n);
    buf_puts(o, fn->native_first ? "))\n    " : ");\n");
    if (fn->ret_type)
        buf_printf(o, "%sreturn %s__r;\n", ind, n);
    else
        buf_printf(o, "%sreturn;\n", ind);
    if (fn->native_first) {
        frame_native_body(src, fn, o, lines, head);
        head = o->len;
    }
    buf_puts(o, "}");
    if (lines)
        text_pin_lines(o, head, source_line(src, fn->body_end - 1));
}

/* Closes the `if` of a native-first function's head (written from HEAD
 * on), and writes the function's own body, as it is, in a block of its
 * own. */
void frame_native_body(const source *src, const function *fn, buf *o, bool lines, size_t head)
{
    buf_puts(o, "    }\n");
    if (lines) {
        text_pin_lines(o, head, source_line(src, fn->body_begin));
        text_line_directive(src, o, source_line(src, fn->body_begin));
    }
    buf_puts(o, "    ");
    buf_put(o, src->text + fn->body_begin, fn->body_end - fn->body_begin);
    buf_puts(o, "\n");
}

/* The head of a native-first function alone on its cycle: the arguments
 * packed for PREFIX__heap when the native budget is used. */
void frame_native_head(const function *fn, buf *o)
{
    const char *n = fn->prefix;
    buf_printf(o, "{\n    if (unrecurse_native_over()) {\n        struct %s__nested %s__a;\n", n, n);
    pack_args(fn, o, "        ");
    buf_printf(o, "        %s__heap(&%s__a);\n", n, n);
    if (fn->ret_type)
        buf_printf(o, "        return %s__a.%s__result;\n", n, n);
    else
        buf_puts(o, "        return;\n");
}

/* FN's parameters as locals, from the packed arguments PREFIX__a points
 * to: the heads of PREFIX__heap and PREFIX__task. */
static void params_from_packed(const function *fn, buf *o)
{
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].is_param) {
            char init[600];
            snprintf(init, sizeof init, " = %s__a->%s;\n", fn->prefix, fn->vars[i].name);
            declare_line(o, "    ", fn->vars[i].type, fn->vars[i].name, init);
        }
}

/* Calls FN natively, the result to PREFIX__a (a pointer), the arguments
 * from it too, or from the parameters' names (LOCALS). */
static void call_packed(const function *fn, buf *o, bool locals)
{
    const char *n = fn->prefix;
    if (fn->ret_type)
        buf_printf(o, "%s__a->%s__result = ", n, n);
    buf_printf(o, "%s(", fn->name);
    bool first = true;
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].is_param) {
            if (locals)
                buf_printf(o, "%s%s", first ? "" : ", ", fn->vars[i].name);
            else
                buf_printf(o, "%s%s__a->%s", first ? "" : ", ", n, fn->vars[i].name);
            first = false;
        }
    buf_puts(o, ");\n");
}

/* The state machine of a native-first function alone on its cycle, in a
 * function of its own: its parameters are locals, from the packed
 * arguments. Unless the native stack is not that deep after all (the
 * thread's first call): then the call is native. */
void frame_heap_head(const function *fn, buf *o)
{
    const char *n = fn->prefix;
    buf_printf(o, "\nstatic void %s__heap(struct %s__nested *%s__a)\n{\n", n, n, n);
    params_from_packed(fn, o);
    buf_puts(o, "    if (!unrecurse_native_confirm()) {\n        ");
    call_packed(fn, o, true);
    buf_puts(o, "        return;\n    }\n");
    frame_name_macros(fn, o, true);
}

/* Calls F(PROG, SELF's member M, its shared result variable, O) for each
 * result variable of SELF's cycle, once (members returning the same type
 * share one). */
static void each_ret_var(const program *prog, const function *self, buf *o,
                         void (*f)(const function *m, const char *ret, const char *p, buf *o))
{
    char p[256];
    frame_prefix(prog, self, p, sizeof p);
    for (int e = 0; e < self->group_size; e++) {
        const function *m = frame_member(prog, self->group, e);
        char ret[300], mine[300];
        if (!m->ret_type)
            continue;
        frame_ret_var(prog, m, ret, sizeof ret);
        snprintf(mine, sizeof mine, "%s__ret_%d", p, e);
        if (strcmp(ret, mine) == 0)
            f(m, ret, p, o);
    }
}

/* A result variable of the engine: initialized, as a body may end without
 * a return. */
static void ret_local(const function *m, const char *ret, const char *p, buf *o)
{
    (void)p;
    declare_line(o, "    ", m->ret_type, ret, " = {0};\n");
}

/* The engine's variables: the frame pointers, results, arguments. */
static void engine_locals(const program *prog, const function *self, buf *o, const char *p)
{
    int size = self->group_size;
    const char *rt = frame_return_to_type(prog, self);
    bool cross_tail = frame_cross_tail(prog, self);
    buf_printf(o, "    void *%s__top, *%s__root;\n", p, p);
    if (rt)
        buf_printf(o, "    %s %s__return_to = 0;\n", rt, p);
    if (cross_tail)
        buf_printf(o, "    int %s__was_root;\n", p);
    for (int e = 0; e < size; e++) {
        const function *m = frame_member(prog, self->group, e);
        buf_printf(o, "    struct %s__frame *%s__f;\n", m->prefix, m->prefix);
    }
    each_ret_var(prog, self, o, ret_local);
    for (int e = 0; e < size; e++) {
        const function *m = frame_member(prog, self->group, e);
        for (int i = 0; i < m->nvars; i++) {
            if (!m->vars[i].is_param)
                continue;
            char name[300];
            snprintf(name, sizeof name, "%s__arg_%s", m->prefix, m->vars[i].name);
            declare_line(o, "    ", m->vars[i].type, name, ";\n");
        }
        frame_declare_temps(prog, m, o);
        frame_declare_locals(prog, m, o, true);
    }
}

/* The state machine of a cycle of several functions: their bodies side by
 * side in one C function, so that a call from one to another is a jump, not
 * a native call. This is its head: the frame structs, the run's start and
 * the jump to the entry called. */
void frame_engine_head(const program *prog, const function *self, buf *o)
{
    int size = self->group_size;
    char p[256];
    frame_prefix(prog, self, p, sizeof p);
    buf_puts(o, "\n");
    for (int e = 0; e < size; e++)
        frame_struct(prog, frame_member(prog, self->group, e), o);
    buf_printf(o, "struct %s__nested {\n    int %s__entry;\n    void *%s__args, *%s__result;\n};\n",
               p, p, p, p);
    buf_printf(o, "static void %s__nested_run(void *%s__data);\n", p, p);
    buf_printf(o, "static const unrecurse_function *const %s__functions[] = {", p);
    for (int e = 0; e < size; e++)
        buf_printf(o, "&%s__function, ", frame_member(prog, self->group, e)->prefix);
    buf_puts(o, "NULL};\n");
    frame_group(prog, self, o, p);
    const char *done = self->native_first ? " 1" : "";
    buf_printf(o, "\nstatic %s %s__run(int %s__entry, void *%s__args, void *%s__result)\n{\n",
               self->native_first ? "int" : "void", p, p, p, p);
    buf_printf(o, "    unrecurse_stack *const %s__stack = unrecurse_stack_get();\n", p);
    engine_locals(prog, self, o, p);
    if (self->native_first) /* the thread's first call: run natively */
        buf_puts(o, "\n    if (!unrecurse_native_confirm())\n        return 0;");
    buf_printf(o, "\n    if (unrecurse_native_low(%s__stack)) {\n", p);
    buf_printf(o, "        struct %s__nested %s__a;\n", p, p);
    buf_printf(o, "        %s__a.%s__entry = %s__entry;\n", p, p, p);
    buf_printf(o, "        %s__a.%s__args = %s__args;\n", p, p, p);
    buf_printf(o, "        %s__a.%s__result = %s__result;\n", p, p, p);
    buf_printf(o,
               "        unrecurse_run_on_segment(%s__stack, %s__nested_run, &%s__a, "
               "%s__functions[%s__entry]);\n",
               p, p, p, p, p);
    buf_printf(o, "        return%s;\n    }\n", done);
    buf_printf(o, "    (void)%s__args;\n    (void)%s__result;\n", p, p);
    /* The members call each other here, not through their wrappers. */
    for (int e = 0; e < size; e++)
        buf_printf(o, "    (void)%s;\n", frame_member(prog, self->group, e)->name);
    buf_printf(o, "    unrecurse_begin(%s__stack, &%s__group, (size_t)%s__entry);\n", p, p, p);
    buf_printf(o, "    switch (%s__entry) {\n", p);
    for (int e = 0; e < size; e++) {
        const function *m = frame_member(prog, self->group, e);
        buf_printf(o, e + 1 < size ? "    case %d:\n" : "    default:\n", e);
        for (int i = 0; i < m->nvars; i++)
            if (m->vars[i].is_param)
                buf_printf(o, "        %s__arg_%s = ((struct %s__args *)%s__args)->%s;\n",
                           m->prefix, m->vars[i].name, m->prefix, p, m->vars[i].name);
        frame_push_member(prog, o, "        ", m, p);
        buf_printf(o, "        %s__root = %s__f;\n        goto %s__enter;\n", p, m->prefix,
                   m->prefix);
    }
    buf_puts(o, "    }\n");
}

/* Each body is a block of its own, so its names stay its own; arguments
 * travel in CALLEE__arg_PARAM, results in PREFIX__ret_N. */
/* Code moved out of its function into another one says the first one's
 * name all the same: these names are macros around it. */
void frame_name_macros(const function *fn, buf *o, bool define)
{
    /* Only the names it says: a macro never used is a warning
     * (-Wunused-macros). */
    if (!define) {
        if (fn->says_func)
            buf_puts(o, "#undef __func__\n");
        if (fn->says_function)
            buf_puts(o, "#undef __FUNCTION__\n");
        if (fn->pretty_name)
            buf_puts(o, "#undef __PRETTY_FUNCTION__\n");
        return;
    }
    if (fn->says_func)
        buf_printf(o, "#define __func__ \"%s\"\n", fn->name);
    if (fn->says_function)
        buf_printf(o, "#define __FUNCTION__ \"%s\"\n", fn->name);
    if (fn->pretty_name) /* clang's text; gcc's is the plain name in C */
        buf_printf(o,
                   "#ifdef __clang__\n#define __PRETTY_FUNCTION__ %s\n#else\n"
                   "#define __PRETTY_FUNCTION__ \"%s\"\n#endif\n",
                   fn->pretty_name, fn->name);
}

void frame_engine_member_head(const program *prog, const function *m, buf *o, bool task)
{
    buf_puts(o, "\n");
    frame_name_macros(m, o, true);
    buf_printf(o, "    /* %s */\n    {\n", m->name);
    for (int i = 0; i < m->nvars; i++)
        if (m->vars[i].is_param && !m->vars[i].resident && !m->vars[i].engine_top)
            declare_line(o, "    ", m->vars[i].type, m->vars[i].name, ";\n");
    frame_declare_locals(prog, m, o, false);
    buf_printf(o, "%s__enter:\n", m->prefix);
    if (task) { /* a step; or the turn is over: the arguments to the state */
        char p[256];
        frame_prefix(prog, m, p, sizeof p);
        buf_printf(o, "    if (unrecurse__task_over(%s__t, %s__left)) {\n", p, p);
        buf_printf(o, "        %s__s->%s__member = %d;\n", p, p, m->entry);
        for (int i = 0; i < m->nvars; i++)
            if (m->vars[i].is_param)
                buf_printf(o, "        %s__s->%s__a.%s = %s__arg_%s;\n", p, m->prefix,
                           m->vars[i].name, m->prefix, m->vars[i].name);
        buf_printf(o,
                   "        return unrecurse__task_suspend(%s__t, UNRECURSE__AT_ENTER, %s__left);\n"
                   "    }\n    %s__left--;\n",
                   p, p, p);
    }
    frame_pass_args(m, o, "    ");
}

void frame_engine_member_tail(const program *prog, const function *m, buf *o, bool used_return)
{
    char p[256];
    frame_prefix(prog, m, p, sizeof p);
    buf_puts(o, "\n    }\n");
    frame_name_macros(m, o, false);
    if (used_return)
        buf_printf(o, "%s__return:\n", m->prefix);
    buf_printf(o, "    %s__top = %s__f;\n", p, m->prefix);
    if (frame_return_to_type(prog, m))
        buf_printf(o, "    %s__return_to = %s__f->%s__return_to;\n", p, m->prefix, m->prefix);
    buf_printf(o, "    goto %s__leave;\n", p);
}

/* The resume dispatch of a cycle: pop the frame that returned, then jump
 * to where its caller's call was made. */
static void engine_dispatch(const program *prog, const function *self, buf *o, const char *p)
{
    int last_id = 0;
    const function *last_fn = NULL;
    for (int e = 0; e < self->group_size; e++) {
        const function *m = frame_member(prog, self->group, e);
        for (int i = 0; i < m->nitems; i++)
            if (is_resume_point(&m->items[i])) {
                last_id = m->items[i].id;
                last_fn = m;
            }
    }
    if (!last_fn)
        return;
    const char *pop = "%s__f = (struct %s__frame *)unrecurse_pop_to(%s__stack, %s__top, "
                      "UNRECURSE_FRAME_SIZE(sizeof *%s__f));\n";
    if (!frame_return_to_type(prog, self)) { /* one resume point in the whole group */
        buf_puts(o, "    ");
        buf_printf(o, pop, last_fn->prefix, last_fn->prefix, p, p, last_fn->prefix);
        buf_printf(o, "    goto %s__resume_%d;\n", last_fn->prefix, last_id);
        return;
    }
    buf_printf(o, "    switch (%s__return_to) {\n", p);
    for (int e = 0; e < self->group_size; e++) {
        const function *m = frame_member(prog, self->group, e);
        for (int i = 0; i < m->nitems; i++) {
            const item *k = &m->items[i];
            if (!is_resume_point(k))
                continue;
            if (m == last_fn && k->id == last_id)
                buf_puts(o, "    default:\n");
            else
                buf_printf(o, "    case %d:\n", frame_resume_number(prog, m, k));
            buf_puts(o, "        ");
            buf_printf(o, pop, m->prefix, m->prefix, p, p, m->prefix);
            buf_printf(o, "        goto %s__resume_%d;\n", m->prefix, k->id);
        }
    }
    buf_puts(o, "    }\n");
}

void frame_engine_tail(const program *prog, const function *self, buf *o)
{
    char p[256];
    frame_prefix(prog, self, p, sizeof p);
    /* The outermost frame returned: hand its result to the wrapper. */
    buf_printf(o, "%s__leave:\n", p);
    buf_printf(o, "    if (%s__top == %s__root) {\n", p, p);
    buf_printf(o, "        unrecurse_pop(%s__stack, %s__top);\n", p, p);
    buf_printf(o, "        unrecurse_end(%s__stack);\n", p);
    buf_printf(o, "        switch (%s__entry) {\n", p);
    for (int e = 0; e < self->group_size; e++) {
        const function *m = frame_member(prog, self->group, e);
        char ret[300];
        if (!m->ret_type)
            continue;
        frame_ret_var(prog, m, ret, sizeof ret);
        buf_printf(o, "        case %d:\n            *(", e);
        text_declare(o, m->ret_type, "*");
        buf_printf(o, ")%s__result = %s;\n            break;\n", p, ret);
    }
    buf_printf(o, "        default:\n            break;\n        }\n        return%s;\n    }\n",
               self->native_first ? " 1" : "");
    engine_dispatch(prog, self, o, p);
    if (self->native_first) /* not reached: the dispatch jumps */
        buf_puts(o, "    return 1;\n");
    buf_puts(o, "}\n");
    buf_printf(o, "\nstatic void %s__nested_run(void *%s__data)\n{\n", p, p);
    buf_printf(o, "    struct %s__nested *%s__a = (struct %s__nested *)%s__data;\n", p, p, p, p);
    if (!self->native_first) {
        buf_printf(o, "    %s__run(%s__a->%s__entry, %s__a->%s__args, %s__a->%s__result);\n}", p, p,
                   p, p, p, p, p);
        return;
    }
    /* Native first: the member itself, natively on the segment, until the
     * segment's budget is used. */
    buf_printf(o, "    switch (%s__a->%s__entry) {\n", p, p);
    for (int e = 0; e < self->group_size; e++) {
        const function *m = frame_member(prog, self->group, e);
        buf_printf(o, e + 1 < self->group_size ? "    case %d:\n        " : "    default:\n        ", e);
        if (m->ret_type) {
            buf_puts(o, "*(");
            text_declare(o, m->ret_type, "*");
            buf_printf(o, ")%s__a->%s__result = ", p, p);
        }
        buf_printf(o, "%s(", m->name);
        bool first = true;
        for (int i = 0; i < m->nvars; i++)
            if (m->vars[i].is_param) {
                buf_printf(o, "%s((struct %s__args *)%s__a->%s__args)->%s", first ? "" : ", ",
                           m->prefix, p, p, m->vars[i].name);
                first = false;
            }
        buf_puts(o, ");\n        break;\n");
    }
    buf_puts(o, "    }\n}");
}

/* Moves FN's evaluated arguments into its parameters. */
void frame_pass_args(const function *fn, buf *o, const char *ind)
{
    for (int i = 0; i < fn->nvars; i++) {
        const var *v = &fn->vars[i];
        if (!v->is_param)
            continue;
        buf_puts(o, ind);
        if (v->resident)
            frame_put_var(o, fn, v);
        else
            buf_puts(o, frame_var_name(v));
        buf_printf(o, " = %s__arg_%s;\n", fn->prefix, v->name);
    }
}

/* ---- a function started as a task ---- */

/* unrecurse__start_NAME(PARAMS): what UNRECURSE_START(QUEUE, RESULT,
 * NAME(ARGS)) calls in the output, declared before the function so that
 * its own body may start tasks of it. */
static void task_start_signature(const function *fn, buf *o)
{
    buf_printf(o, "static unrecurse_task *unrecurse__start_%s(", fn->name);
    bool first = true;
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].is_param) {
            if (!first)
                buf_puts(o, ", ");
            text_declare(o, fn->vars[i].type, fn->vars[i].name);
            first = false;
        }
    buf_puts(o, first ? "void)" : ")");
}

/* The descriptor of FN's task and its start function, which packs the
 * arguments into a new task's state, a `struct STATE` (in PREFIX__VAR):
 * each parameter at ARGS (ending in -> or .), after the statement ENTRY if
 * not NULL; the value returned is the state's RESULT (NULL: none).
 * MACHINE is the state machine the task runs. */
static void task_start(const function *fn, buf *o, const char *machine, const char *state,
                       const char *result, const char *var, const char *args,
                       const char *entry)
{
    const char *n = fn->prefix;
    buf_printf(o, "static const unrecurse__task_desc %s__task_desc = {%s, sizeof(struct %s), ", n,
               machine, state);
    if (result)
        buf_printf(o, "offsetof(struct %s, %s), sizeof(((struct %s *)0)->%s)};\n", state, result,
                   state, result);
    else
        buf_puts(o, "0, 0};\n");
    task_start_signature(fn, o);
    buf_printf(o, "\n{\n    unrecurse_task *%s__t = unrecurse__task_new(&%s__task_desc);\n", n, n);
    buf_printf(o, "    struct %s *%s__%s = (struct %s *)%s__t->state;\n", state, n, var, state, n);
    if (entry)
        buf_printf(o, "    %s\n", entry);
    else if (!has_params(fn))
        buf_printf(o, "    (void)%s__%s;\n", n, var);
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].is_param)
            buf_printf(o, "    %s%s = %s;\n", args, fn->vars[i].name, fn->vars[i].name);
    buf_printf(o, "    return %s__t;\n}", n);
}

void frame_task_prototype(const function *fn, buf *o)
{
    task_start_signature(fn, o);
    buf_puts(o, ";\n");
}

/* The task's state machine, PREFIX__task: the function's state machine on
 * the task's frames (unrecurse__task_stack), which counts a step at every
 * call (PREFIX__enter) and every return (PREFIX__return) and, when its turn
 * is over, saves the parameters or the value returned in the task's state
 * (a PREFIX__nested) and returns 0; 1 when the outermost call has
 * returned. It resumes where it stopped: whatever else outlives a call is
 * in the frames already. This is its head, up to the body. */
void frame_task_head(const program *prog, const function *fn, buf *o)
{
    const char *n = fn->prefix;
    bool resumes = frame_has_resume_points(fn);
    bool per_activation = fn->model != FRAMES_ON_CALL;
    buf_printf(o, "\nstatic int %s__task(unrecurse_task *%s__t)\n{\n", n, n);
    buf_printf(o, "    struct %s__nested *const %s__a = (struct %s__nested *)%s__t->state;\n", n,
               n, n, n);
    if (!fn->ret_type && !has_params(fn))
        buf_printf(o, "    (void)%s__a;\n", n);
    params_from_packed(fn, o);
    frame_name_macros(fn, o, true);
    char stack[300], root[300];
    snprintf(stack, sizeof stack, "&%s__t->stack", n);
    machine_decls(prog, fn, o, stack);
    buf_printf(o, "    size_t %s__left = %s__t->left; /* steps left in this turn */\n", n, n);
    buf_printf(o, "    (void)%s__stack; /* (a loop of tail calls has no frames) */\n", n);
    /* Where it starts or resumes. */
    buf_printf(o, "\n    switch (%s__t->at) {\n    case UNRECURSE__AT_START:\n", n);
    snprintf(root, sizeof root, "%s__t->root", n);
    machine_start(fn, o, "        ", root);
    buf_printf(o, "        goto %s__enter;\n    default: /* at a call, or at a return */\n", n);
    if (!per_activation && resumes)
        buf_printf(o, "        %s__base = (const char *)(%s__stack->runs + 1);\n", n, n);
    if (per_activation) {
        buf_printf(o,
                   "        %s__f = (struct %s__frame *)unrecurse_top(%s__stack, "
                   "UNRECURSE_FRAME_SIZE(sizeof *%s__f));\n",
                   n, n, n, n);
        if (resumes)
            buf_printf(o, "        %s__root = (struct %s__frame *)%s__t->root;\n", n, n, n);
    }
    buf_printf(o, "        if (%s__t->at == UNRECURSE__AT_RETURN) {\n", n);
    if (fn->ret_type)
        buf_printf(o, "            %s__ret = %s__a->%s__result;\n", n, n, n);
    buf_printf(o, "            goto %s__return;\n        }\n        goto %s__enter;\n    }\n", n, n);
    buf_printf(o, "%s__enter:\n    if (unrecurse__task_over(%s__t, %s__left)) {\n", n, n, n);
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].is_param && !fn->vars[i].resident)
            buf_printf(o, "        %s__a->%s = %s;\n", n, fn->vars[i].name,
                       frame_var_name(&fn->vars[i]));
    buf_printf(o,
               "        return unrecurse__task_suspend(%s__t, UNRECURSE__AT_ENTER, %s__left);\n"
               "    }\n    %s__left--;\n",
               n, n, n);
}

/* The outermost call of a task returns: its value to the task's state,
 * the steps left back to the task, and done. */
static void finish_task(const function *fn, buf *o, const char *ind)
{
    const char *n = fn->prefix;
    if (fn->ret_type)
        buf_printf(o, "%s%s__a->%s__result = %s__ret;\n", ind, n, n, n);
    buf_printf(o, "%s%s__t->left = %s__left;\n%sreturn 1;\n", ind, n, n, ind);
}

/* The task's state machine after the body: the return, counted as a step,
 * then as the function's own epilogue, but for the outermost call, whose
 * value goes to the task's state; then the start function, which packs
 * the arguments into a new task. */
void frame_task_tail(const program *prog, const function *fn, buf *o)
{
    const char *n = fn->prefix;
    buf_printf(o, "%s__return:\n    if (unrecurse__task_over(%s__t, %s__left)) {\n", n, n, n);
    if (fn->ret_type)
        buf_printf(o, "        %s__a->%s__result = %s__ret;\n", n, n, n);
    buf_printf(o,
               "        return unrecurse__task_suspend(%s__t, UNRECURSE__AT_RETURN, %s__left);\n"
               "    }\n    %s__left--;\n",
               n, n, n);
    machine_leave(prog, fn, o, finish_task);
    buf_puts(o, "\n");
    frame_name_macros(fn, o, false);
    buf_puts(o, "}\n");
    /* The start function. */
    char machine[300], state[300], result[300], args[300];
    snprintf(machine, sizeof machine, "%s__task", n);
    snprintf(state, sizeof state, "%s__nested", n);
    snprintf(result, sizeof result, "%s__result", n);
    snprintf(args, sizeof args, "%s__a->", n);
    task_start(fn, o, machine, state, fn->ret_type ? result : NULL, "a", args, NULL);
}

/* ---- a cycle's members started as tasks ---- */

bool frame_group_tasked(const program *prog, const function *fn)
{
    for (int e = 0; e < fn->group_size; e++)
        if (frame_member(prog, fn->group, e)->tasked)
            return true;
    return false;
}

static void ret_field(const function *m, const char *ret, const char *p, buf *o)
{
    (void)p;
    declare_line(o, "    ", m->ret_type, ret, ";\n");
}

static void ret_save(const function *m, const char *ret, const char *p, buf *o)
{
    (void)m;
    buf_printf(o, "        %s__s->%s = %s;\n", p, ret, ret);
}

static void ret_load(const function *m, const char *ret, const char *p, buf *o)
{
    (void)m;
    buf_printf(o, "        %s = %s__s->%s;\n", ret, p, ret);
}

/* `case ENTRY:` (the last one `default:`) for member M of the task engine
 * P's switches, and M's arguments from the task's state. */
static void member_case(const function *m, buf *o, const char *p)
{
    buf_printf(o, m->entry + 1 < m->group_size ? "        case %d:\n" : "        default:\n",
               m->entry);
    for (int i = 0; i < m->nvars; i++)
        if (m->vars[i].is_param)
            buf_printf(o, "            %s__arg_%s = %s__s->%s__a.%s;\n", m->prefix,
                       m->vars[i].name, p, m->prefix, m->vars[i].name);
}

/* The task engine of a cycle, PREFIX__task: PREFIX__run's engine on the
 * task's frames, counting a step at every member's entry and at every
 * return (PREFIX__leave). Suspended at an entry, it keeps the member and
 * its arguments in the task's state (struct PREFIX__tstate); at a return,
 * the frame returning, where its caller resumes, and the results. This is
 * its head: the state, the start or the resumption. */
void frame_cycle_task_head(const program *prog, const function *self, buf *o)
{
    int size = self->group_size;
    char p[256];
    frame_prefix(prog, self, p, sizeof p);
    const char *rt = frame_return_to_type(prog, self);
    buf_printf(o, "\n/* A task's state: where it stopped, arguments, results. */\nstruct %s__tstate {\n",
               p);
    buf_printf(o, "    int %s__entry, %s__member;\n    void *%s__top;\n", p, p, p);
    if (rt)
        buf_printf(o, "    %s %s__return_to;\n", rt, p);
    for (int e = 0; e < size; e++) {
        const function *m = frame_member(prog, self->group, e);
        if (has_params(m))
            buf_printf(o, "    struct %s__args %s__a;\n", m->prefix, m->prefix);
    }
    each_ret_var(prog, self, o, ret_field);
    buf_puts(o, "};\n");
    buf_printf(o, "\nstatic int %s__task(unrecurse_task *%s__t)\n{\n", p, p);
    buf_printf(o, "    struct %s__tstate *const %s__s = (struct %s__tstate *)%s__t->state;\n", p,
               p, p, p);
    buf_printf(o, "    unrecurse_stack *const %s__stack = &%s__t->stack;\n", p, p);
    engine_locals(prog, self, o, p);
    buf_printf(o, "    size_t %s__left = %s__t->left; /* steps left in this turn */\n", p, p);
    for (int e = 0; e < size; e++)
        buf_printf(o, "    (void)%s;\n", frame_member(prog, self->group, e)->name);
    buf_printf(o, "    switch (%s__t->at) {\n    case UNRECURSE__AT_START:\n", p);
    buf_printf(o, "        unrecurse_begin(%s__stack, &%s__group, (size_t)%s__s->%s__entry);\n", p,
               p, p, p);
    buf_printf(o, "        switch (%s__s->%s__entry) {\n", p, p);
    for (int e = 0; e < size; e++) {
        const function *m = frame_member(prog, self->group, e);
        member_case(m, o, p);
        frame_push_member(prog, o, "            ", m, p);
        buf_printf(o, "            %s__root = %s__f;\n            %s__t->root = %s__root;\n", p,
                   m->prefix, p, p);
        buf_printf(o, "            goto %s__enter;\n", m->prefix);
    }
    buf_printf(o, "        }\n    case UNRECURSE__AT_ENTER:\n        %s__root = %s__t->root;\n", p,
               p);
    buf_printf(o, "        switch (%s__s->%s__member) {\n", p, p);
    for (int e = 0; e < size; e++) {
        const function *m = frame_member(prog, self->group, e);
        member_case(m, o, p);
        buf_printf(o,
                   "            %s__f = (struct %s__frame *)unrecurse_top(%s__stack, "
                   "UNRECURSE_FRAME_SIZE(sizeof *%s__f));\n",
                   m->prefix, m->prefix, p, m->prefix);
        buf_printf(o, "            goto %s__enter;\n", m->prefix);
    }
    buf_printf(o, "        }\n    default: /* at a return */\n        %s__root = %s__t->root;\n", p,
               p);
    buf_printf(o, "        %s__top = %s__s->%s__top;\n", p, p, p);
    if (rt)
        buf_printf(o, "        %s__return_to = %s__s->%s__return_to;\n", p, p, p);
    each_ret_var(prog, self, o, ret_load);
    buf_printf(o, "        goto %s__leave;\n    }\n", p);
}

/* The task engine's end: a return is a step; the outermost one leaves the
 * results in the state; then the start functions of the members started
 * as tasks. */
void frame_cycle_task_tail(const program *prog, const function *self, buf *o)
{
    char p[256];
    frame_prefix(prog, self, p, sizeof p);
    const char *rt = frame_return_to_type(prog, self);
    buf_printf(o, "%s__leave:\n    if (unrecurse__task_over(%s__t, %s__left)) {\n", p, p, p);
    buf_printf(o, "        %s__s->%s__top = %s__top;\n", p, p, p);
    if (rt)
        buf_printf(o, "        %s__s->%s__return_to = %s__return_to;\n", p, p, p);
    each_ret_var(prog, self, o, ret_save);
    buf_printf(o,
               "        return unrecurse__task_suspend(%s__t, UNRECURSE__AT_RETURN, %s__left);\n"
               "    }\n    %s__left--;\n",
               p, p, p);
    buf_printf(o, "    if (%s__top == %s__root) {\n", p, p);
    buf_printf(o, "        unrecurse_pop(%s__stack, %s__top);\n", p, p);
    buf_printf(o, "        unrecurse_end(%s__stack);\n", p);
    each_ret_var(prog, self, o, ret_save);
    buf_printf(o, "        %s__t->left = %s__left;\n        return 1;\n    }\n", p, p);
    engine_dispatch(prog, self, o, p);
    buf_puts(o, "    return 1;\n}\n");
    for (int e = 0; e < self->group_size; e++) {
        const function *m = frame_member(prog, self->group, e);
        if (!m->tasked)
            continue;
        char machine[300], state[300], ret[300], args[300], entry[600];
        snprintf(machine, sizeof machine, "%s__task", p);
        snprintf(state, sizeof state, "%s__tstate", p);
        frame_ret_var(prog, m, ret, sizeof ret);
        snprintf(args, sizeof args, "%s__s->%s__a.", m->prefix, m->prefix);
        snprintf(entry, sizeof entry, "%s__s->%s__entry = %d;", m->prefix, p, e);
        task_start(m, o, machine, state, m->ret_type ? ret : NULL, "s", args, entry);
        buf_puts(o, "\n");
    }
}
