/*
 * select.c - the start of the second stage: which functions to rewrite,
 * and which of them share a state machine.
 *
 * A function is rewritten when it is marked (annotated UNRECURSE or named
 * with --function), or when it is on a call cycle of selected functions,
 * selected meaning marked, or any function with --all; a function that
 * calls itself is a cycle of one. The functions of one cycle call each
 * other, so they are rewritten together, as one group with one state
 * machine: a group is a strongly connected component of the call graph
 * restricted to the selected functions. Groups are numbered in file order
 * of their first function, and prog->fns keeps file order, so the output
 * does not depend on how the graph was searched.
 *
 * The call graph holds every function defined in the file, selected or
 * not, with an edge for each function it calls directly by name. Its
 * components serve twice: once over the selected functions, for the
 * groups; once over all of them, to warn about a marked function whose
 * cycle passes through unmarked ones (it works, but every pass through
 * them is a native call, a nested run of the state machine).
 *
 * The components are found with Tarjan's algorithm, in time linear in the
 * size of the graph, and without recursion: the tool exists because deep
 * recursion overflows the stack, and a file with a call chain thousands of
 * functions long must not overflow the tool's own. Its depth-first search
 * keeps its path in an array instead.
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *select_usr(CXCursor c)
{
    return cx_take(clang_getCursorUSR(c));
}

/* ---- a table of strings (USRs) to the indices of their owners ---- */

/* Open addressing; the keys are borrowed, and one key may be added more
 * than once (every match is found). */
typedef struct strtab {
    const char **key;
    int *val;
    size_t mask;
} strtab;

static size_t str_hash(const char *s)
{
    size_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void strtab_init(strtab *t, int n)
{
    size_t cap = 16;
    while (cap < 2 * (size_t)n)
        cap *= 2;
    t->key = xcalloc(cap, sizeof *t->key);
    t->val = xcalloc(cap, sizeof *t->val);
    t->mask = cap - 1;
}

static void strtab_add(strtab *t, const char *key, int val)
{
    size_t i = str_hash(key) & t->mask;
    while (t->key[i])
        i = (i + 1) & t->mask;
    t->key[i] = key;
    t->val[i] = val;
}

/* Where the search for KEY starts; strtab_next then returns each value
 * added with KEY, and -1 after the last. */
static size_t strtab_start(const strtab *t, const char *key)
{
    return str_hash(key) & t->mask;
}

static int strtab_next(const strtab *t, const char *key, size_t *at)
{
    for (; t->key[*at]; *at = (*at + 1) & t->mask)
        if (!strcmp(t->key[*at], key)) {
            int val = t->val[*at];
            *at = (*at + 1) & t->mask;
            return val;
        }
    return -1;
}

static void strtab_fini(strtab *t)
{
    free(t->key);
    free(t->val);
}

/* ---- marks ---- */

static enum CXChildVisitResult find_annotation(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    if (clang_getCursorKind(c) != CXCursor_AnnotateAttr)
        return CXChildVisit_Continue;
    char *s = cx_take(clang_getCursorSpelling(c));
    bool found = strcmp(s, "unrecurse") == 0;
    free(s);
    if (found)
        *(bool *)data = true;
    return found ? CXChildVisit_Break : CXChildVisit_Continue;
}

static bool has_annotation(CXCursor fn)
{
    bool found = false;
    clang_visitChildren(fn, find_annotation, &found);
    return found;
}

/* The USRs of the declarations carrying the annotation: any declaration
 * marks the function, a prototype in a header as well as the definition. */
static enum CXChildVisitResult find_annotated(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    strvec *a = data;
    if (clang_getCursorKind(c) == CXCursor_FunctionDecl && has_annotation(c))
        strvec_push(a, select_usr(c));
    return CXChildVisit_Continue;
}

static bool marked(const strtab *annotations, const options *opt, const char *name,
                   const char *usr)
{
    for (int i = 0; i < opt->nfunctions; i++)
        if (!strcmp(opt->functions[i], name))
            return true;
    size_t at = strtab_start(annotations, usr);
    return strtab_next(annotations, usr, &at) >= 0;
}

/* ---- the call graph ---- */

typedef struct graph {
    function *fns;   /* every function defined in the file, in file order */
    int n, cap;
    int *first;      /* fns[i] calls to[first[i]] ... to[first[i + 1] - 1] */
    int *to;
    int nedges, capedges;
} graph;

typedef struct find_defs {
    const source *src;
    const options *opt;
    graph *g;
    strtab annotations;
} find_defs;

static enum CXChildVisitResult find_definition(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    find_defs *fd = data;
    if (clang_getCursorKind(c) != CXCursor_FunctionDecl || !clang_isCursorDefinition(c))
        return CXChildVisit_Continue;
    function fn = {0};
    /* Definitions in headers (static inline ones) are never rewritten
     * here, but a cycle may pass through them. */
    fn.external = source_offset(fd->src, clang_getCursorLocation(c)) == (unsigned)-1;
    fn.cursor = c;
    fn.name = cx_take(clang_getCursorSpelling(c));
    fn.usr = select_usr(c);
    fn.marked = marked(&fd->annotations, fd->opt, fn.name, fn.usr);
    VEC_PUSH(fd->g->fns, fd->g->n, fd->g->cap, fn);
    return CXChildVisit_Continue;
}

/* The functions defined in the translation unit, marked or not. */
static void find_functions(graph *g, const source *src, const options *opt)
{
    CXCursor tu = clang_getTranslationUnitCursor(src->tu);
    strvec a = {0};
    clang_visitChildren(tu, find_annotated, &a);
    find_defs fd = {src, opt, g, {0}};
    strtab_init(&fd.annotations, a.n);
    for (int i = 0; i < a.n; i++)
        strtab_add(&fd.annotations, a.v[i], i);
    clang_visitChildren(tu, find_definition, &fd);
    strtab_fini(&fd.annotations);
    strvec_fini(&a);
}

/* The USRs of the functions a function calls directly. */
static enum CXChildVisitResult collect_callee(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    strvec *cs = data;
    if (clang_getCursorKind(c) == CXCursor_CallExpr) {
        CXCursor ref = clang_getCursorReferenced(c);
        if (!clang_Cursor_isNull(ref) && clang_getCursorKind(ref) == CXCursor_FunctionDecl)
            strvec_push(cs, select_usr(ref));
    }
    return CXChildVisit_Recurse;
}

/* The edges: fns[i] -> fns[j] when fns[i] calls fns[j] directly. */
static void find_calls(graph *g)
{
    strtab by_usr;
    strtab_init(&by_usr, g->n);
    for (int i = 0; i < g->n; i++)
        strtab_add(&by_usr, g->fns[i].usr, i);
    g->first = xcalloc((size_t)g->n + 1, sizeof *g->first);
    for (int i = 0; i < g->n; i++) {
        g->first[i] = g->nedges;
        strvec cs = {0};
        clang_visitChildren(g->fns[i].cursor, collect_callee, &cs);
        for (int k = 0; k < cs.n; k++) {
            size_t at = strtab_start(&by_usr, cs.v[k]);
            int j;
            while ((j = strtab_next(&by_usr, cs.v[k], &at)) >= 0)
                VEC_PUSH(g->to, g->nedges, g->capedges, j);
        }
        strvec_fini(&cs);
    }
    g->first[g->n] = g->nedges;
    strtab_fini(&by_usr);
}

/* ---- strongly connected components ---- */

/* The state of Tarjan's algorithm. The depth-first search keeps its path
 * in an array, not on the native stack: no recursion. */
typedef struct tarjan {
    const graph *g;
    int *index, *low; /* order of discovery; the lowest index reachable */
    int *next;        /* the next edge of each function to follow */
    int *stack;       /* the functions of unfinished components */
    bool *on_stack;
    int *path;        /* the search's path from its root */
    int counter, sp, pp, ncomps;
} tarjan;

static void tarjan_enter(tarjan *t, int v)
{
    t->index[v] = t->low[v] = t->counter++;
    t->next[v] = t->g->first[v];
    t->stack[t->sp++] = v;
    t->on_stack[v] = true;
    t->path[t->pp++] = v;
}

/* V is done: if it is the root of a component, the component is the part
 * of the stack from V up. */
static void tarjan_leave(tarjan *t, int v, int *comp, bool *cyclic)
{
    t->pp--;
    if (t->pp > 0 && t->low[v] < t->low[t->path[t->pp - 1]])
        t->low[t->path[t->pp - 1]] = t->low[v];
    if (t->low[v] != t->index[v])
        return;
    int size = 0, u;
    do {
        u = t->stack[--t->sp];
        t->on_stack[u] = false;
        comp[u] = t->ncomps;
        size++;
    } while (u != v);
    for (int k = t->sp; size > 1 && k < t->sp + size; k++)
        cyclic[t->stack[k]] = true;
    t->ncomps++;
}

/* Tarjan's algorithm over the edges between functions KEEP allows (all of
 * them if KEEP is NULL). Sets comp[i], the component of function i, and
 * cyclic[i], whether it is on a cycle (a component of two or more, or a
 * call to itself). */
static void find_components(const graph *g, const bool *keep, int *comp, bool *cyclic)
{
    size_t n = (size_t)g->n + 1;
    tarjan t = {.g = g,
                .index = xcalloc(n, sizeof(int)),
                .low = xcalloc(n, sizeof(int)),
                .next = xcalloc(n, sizeof(int)),
                .stack = xcalloc(n, sizeof(int)),
                .on_stack = xcalloc(n, sizeof(bool)),
                .path = xcalloc(n, sizeof(int))};
    for (int i = 0; i < g->n; i++) {
        t.index[i] = -1;
        cyclic[i] = false;
    }
    for (int root = 0; root < g->n; root++) {
        if (t.index[root] >= 0)
            continue;
        tarjan_enter(&t, root);
        while (t.pp > 0) {
            int v = t.path[t.pp - 1];
            if (t.next[v] == g->first[v + 1]) {
                tarjan_leave(&t, v, comp, cyclic);
                continue;
            }
            int w = g->to[t.next[v]++];
            if (keep && !(keep[v] && keep[w]))
                continue; /* not an edge of this graph */
            if (w == v)
                cyclic[v] = true;
            else if (t.index[w] < 0)
                tarjan_enter(&t, w);
            else if (t.on_stack[w] && t.index[w] < t.low[v])
                t.low[v] = t.index[w];
        }
    }
    free(t.index);
    free(t.low);
    free(t.next);
    free(t.stack);
    free(t.on_stack);
    free(t.path);
}

/* ---- selection ---- */

static void check_names(const graph *g, const source *src, const options *opt)
{
    strtab by_name;
    strtab_init(&by_name, g->n);
    for (int j = 0; j < g->n; j++)
        if (!g->fns[j].external)
            strtab_add(&by_name, g->fns[j].name, j);
    for (int i = 0; i < opt->nfunctions; i++) {
        size_t at = strtab_start(&by_name, opt->functions[i]);
        if (strtab_next(&by_name, opt->functions[i], &at) < 0) {
            fprintf(stderr, "%s: error: no definition of function '%s' in this file\n",
                    src->path, opt->functions[i]);
            src->diag->errors++;
        }
    }
    strtab_fini(&by_name);
}

/* The functions other than FN in FN's component, unselected ones of the
 * file (EXTERNAL false) or those defined in headers (EXTERNAL true), as
 * "'a', 'b'"; and whether there are several. */
static bool list_partners(const graph *g, const bool *selected, const int *first,
                          const int *members, int i, const int *comp, bool external, buf *out)
{
    for (int k = first[comp[i]]; k < first[comp[i] + 1]; k++) {
        const function *p = &g->fns[members[k]];
        if (members[k] != i && p->external == external && (external || !selected[members[k]]))
            buf_printf(out, "%s'%s'", out->len ? ", " : "", p->name);
    }
    return out->len && strchr(out->data, ',');
}

/* A rewritten function on a cycle through functions that are not works,
 * but every pass through them is a nested run: say so. COMP: the
 * components of the whole call graph; CYCLIC: which functions are on a
 * cycle of selected ones. */
static void warn_native_partners(const graph *g, const source *src, const int *comp,
                                 const bool *cyclic, const bool *selected)
{
    /* The members of each component, in file order. */
    int n = g->n;
    int *first = xcalloc((size_t)n + 2, sizeof *first);
    int *members = xcalloc((size_t)n + 1, sizeof *members);
    for (int i = 0; i < n; i++)
        first[comp[i] + 2]++;
    for (int c = 0; c < n; c++)
        first[c + 2] += first[c + 1];
    for (int i = 0; i < n; i++)
        members[first[comp[i] + 1]++] = i;
    for (int i = 0; i < n; i++) {
        const function *fn = &g->fns[i];
        if (fn->external || !selected[i] || cyclic[i])
            continue;
        unsigned at = source_offset(src, clang_getCursorLocation(fn->cursor));
        buf partners = {0};
        bool many = list_partners(g, selected, first, members, i, comp, false, &partners);
        if (partners.len)
            diag_at(src, at, DIAG_WARNING,
                    "'%s' is on a recursion cycle through %s, which %s not marked for "
                    "rewriting: each pass through %s is a native call (a nested run, "
                    "slower); mark %s too, or use --all",
                    fn->name, partners.data, many ? "are" : "is", many ? "them" : "it",
                    many ? "them" : "it");
        partners.len = 0;
        many = list_partners(g, selected, first, members, i, comp, true, &partners);
        if (partners.len)
            diag_at(src, at, DIAG_WARNING,
                    "'%s' is on a recursion cycle through %s, defined outside this file: "
                    "each pass through %s is a native call (a nested run, slower)",
                    fn->name, partners.data, many ? "them" : "it");
        buf_fini(&partners);
    }
    free(first);
    free(members);
}

/* Each function's place in its group, the groups numbered already. */
static void place_in_groups(program *prog)
{
    int *size = xcalloc((size_t)prog->ngroups + 1, sizeof *size);
    for (int i = 0; i < prog->nfns; i++)
        size[prog->fns[i].group]++;
    int *seen = xcalloc((size_t)prog->ngroups + 1, sizeof *seen);
    for (int i = 0; i < prog->nfns; i++) {
        function *fn = &prog->fns[i];
        fn->group_size = size[fn->group];
        fn->entry = seen[fn->group]++;
        fn->group_first = fn->entry == 0;
        fn->group_last = fn->entry == fn->group_size - 1;
    }
    free(size);
    free(seen);
}

/* ---- the prefixes of generated names ---- */

static void add_identifier(strvec *ids, CXCursor c)
{
    char *name = cx_take(clang_getCursorSpelling(c));
    if (*name)
        strvec_push(ids, name);
    else
        free(name);
}

static enum CXChildVisitResult collect_declared(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    add_identifier(data, c);
    return clang_getCursorKind(c) == CXCursor_EnumDecl ? CXChildVisit_Recurse
                                                       : CXChildVisit_Continue;
}

/* Every identifier the file spells, and every name declared at file scope
 * in the translation unit, headers and macros included. */
static void collect_identifiers(const source *src, strvec *ids)
{
    CXSourceRange file = clang_getRange(clang_getLocationForOffset(src->tu, src->file, 0),
                                        clang_getLocationForOffset(src->tu, src->file,
                                                                   (unsigned)src->len));
    CXToken *tokens;
    unsigned n;
    clang_tokenize(src->tu, file, &tokens, &n);
    for (unsigned i = 0; i < n; i++)
        if (clang_getTokenKind(tokens[i]) == CXToken_Identifier)
            strvec_push(ids, cx_take(clang_getTokenSpelling(src->tu, tokens[i])));
    clang_disposeTokens(src->tu, tokens, n);
    clang_visitChildren(clang_getTranslationUnitCursor(src->tu), collect_declared, ids);
}

/* Can generated names start with P__ (and P_cycle__)? Not if a name of
 * the file does, or another function's generated names do. */
static bool prefix_free(const strvec *ids, const program *prog, int upto, const char *p)
{
    buf own = {0}, cycle = {0};
    buf_printf(&own, "%s__", p);
    buf_printf(&cycle, "%s_cycle__", p);
    bool free_ = true;
    for (int i = 0; i < ids->n && free_; i++)
        free_ = !text_starts_with(ids->v[i], own.data) && !text_starts_with(ids->v[i], cycle.data);
    for (int i = 0; i < upto && free_; i++)
        free_ = strcmp(prog->fns[i].prefix, p) != 0;
    buf_fini(&own);
    buf_fini(&cycle);
    return free_;
}

/* Generated names never capture or hide the user's: each function's
 * prefix is its name, or NAME__2, NAME__3, ... when the file already has
 * names that start with NAME__. */
static void choose_prefixes(program *prog)
{
    strvec ids = {0};
    collect_identifiers(prog->src, &ids);
    for (int i = 0; i < prog->nfns; i++) {
        function *fn = &prog->fns[i];
        buf p = {0};
        buf_puts(&p, fn->name);
        for (int k = 2; !prefix_free(&ids, prog, i, p.data); k++) {
            p.len = 0;
            buf_printf(&p, "%s__%d", fn->name, k);
        }
        fn->prefix = p.data;
    }
    strvec_fini(&ids);
}

void select_functions(program *prog, const options *opt)
{
    graph g = {0};
    find_functions(&g, prog->src, opt);
    if (!opt->names_checked)
        check_names(&g, prog->src, opt);
    find_calls(&g);
    int n = g.n;
    bool *selected = xcalloc((size_t)n + 1, sizeof *selected);
    for (int i = 0; i < n; i++)
        selected[i] = !g.fns[i].external && (g.fns[i].marked || opt->all);
    int *comp = xcalloc((size_t)n + 1, sizeof *comp);
    bool *cyclic = xcalloc((size_t)n + 1, sizeof *cyclic);
    find_components(&g, selected, comp, cyclic);
    int *full = xcalloc((size_t)n + 1, sizeof *full);
    bool *on_cycle = xcalloc((size_t)n + 1, sizeof *on_cycle);
    find_components(&g, NULL, full, on_cycle);
    /* Marked functions are rewritten even when no cycle is visible here:
     * the cycle may pass through a function pointer or another file, and
     * a rewritten function entered deep in the native stack moves to a
     * fresh native segment. A group is numbered when its first function
     * (in file order) is met. */
    int *group_of = xcalloc((size_t)n + 1, sizeof *group_of);
    for (int c = 0; c < n; c++)
        group_of[c] = -1;
    bool *rewritten = xcalloc((size_t)n + 1, sizeof *rewritten);
    for (int i = 0; i < n; i++) {
        function *fn = &g.fns[i];
        /* With --all, a function on a cycle through a header's functions
         * too: its passes through them are nested runs. */
        if (!cyclic[i] && !fn->marked && !(selected[i] && on_cycle[i]))
            continue;
        if (group_of[comp[i]] < 0)
            group_of[comp[i]] = prog->ngroups++;
        fn->group = group_of[comp[i]];
        rewritten[i] = true;
        VEC_PUSH(prog->fns, prog->nfns, prog->capfns, *fn);
    }
    for (int i = 0; i < n; i++)
        selected[i] = rewritten[i];
    warn_native_partners(&g, prog->src, full, cyclic, selected);
    free(full);
    free(on_cycle);
    for (int i = 0; i < n; i++)
        if (!rewritten[i])
            function_fini(&g.fns[i]); /* not rewritten */
    free(g.fns);
    free(g.first);
    free(g.to);
    free(selected);
    free(comp);
    free(cyclic);
    free(group_of);
    free(rewritten);
    place_in_groups(prog);
    choose_prefixes(prog);
}
