/*
 * select.c - the first analysis: which functions are rewritten.
 *
 * A function is rewritten when it is marked (annotated UNRECURSE or named
 * with --function) or, with --all, when it is on a cycle of the file's
 * call graph. Functions on one cycle of selected functions form a group
 * that shares one state machine. A marked function on a cycle through
 * unmarked ones is rewritten alone, with a warning.
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


char *select_usr(CXCursor c)
{
    return cx_take(clang_getCursorUSR(c));
}

static bool has_annotation(CXCursor fn)
{
    cursors cs = cursor_children(fn);
    bool found = false;
    for (int i = 0; i < cs.n && !found; i++) {
        if (clang_getCursorKind(cs.v[i]) != CXCursor_AnnotateAttr)
            continue;
        char *s = cx_take(clang_getCursorSpelling(cs.v[i]));
        found = strcmp(s, "unrecurse") == 0;
        free(s);
    }
    free(cs.v);
    return found;
}

typedef struct collect_fns {
    program *prog;
    char **annotated; /* USRs of declarations carrying the annotation */
    int nannotated, cap;
} collect_fns;

static enum CXChildVisitResult find_annotated(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    collect_fns *cf = data;
    if (clang_getCursorKind(c) == CXCursor_FunctionDecl && has_annotation(c))
        VEC_PUSH(cf->annotated, cf->nannotated, cf->cap, select_usr(c));
    return CXChildVisit_Continue;
}

static bool marked(const collect_fns *cf, const options *opt, const char *name, const char *usr)
{
    for (int i = 0; i < opt->nfunctions; i++)
        if (!strcmp(opt->functions[i], name))
            return true;
    for (int i = 0; i < cf->nannotated; i++)
        if (!strcmp(cf->annotated[i], usr))
            return true;
    return false;
}

/* The USRs of the functions a function calls directly. */
typedef struct callees {
    char **usr;
    int n, cap;
} callees;

static enum CXChildVisitResult collect_callee(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    callees *cs = data;
    if (clang_getCursorKind(c) == CXCursor_CallExpr) {
        CXCursor ref = clang_getCursorReferenced(c);
        if (!clang_Cursor_isNull(ref) && clang_getCursorKind(ref) == CXCursor_FunctionDecl)
            VEC_PUSH(cs->usr, cs->n, cs->cap, select_usr(ref));
    }
    return CXChildVisit_Recurse;
}

static bool calls_usr(const callees *cs, const char *usr)
{
    for (int i = 0; i < cs->n; i++)
        if (!strcmp(cs->usr[i], usr))
            return true;
    return false;
}

/* The transitive closure of an N x N adjacency matrix, in place. */
static void close_reach(bool *reach, int n)
{
    for (int k = 0; k < n; k++)
        for (int i = 0; i < n; i++)
            if (reach[i * n + k])
                for (int j = 0; j < n; j++)
                    reach[i * n + j] |= reach[k * n + j];
}

void select_functions(program *prog, const options *opt)
{
    const source *src = prog->src;
    collect_fns cf = {prog, NULL, 0, 0};
    CXCursor tu = clang_getTranslationUnitCursor(src->tu);
    clang_visitChildren(tu, find_annotated, &cf);
    /* Every function defined in the file, selected or not, with its calls:
     * the call graph, to find cycles and to explain partly marked ones. */
    cursors top = cursor_children(tu);
    function *all = NULL;
    int n = 0, cap = 0;
    for (int i = 0; i < top.n; i++) {
        CXCursor c = top.v[i];
        if (clang_getCursorKind(c) != CXCursor_FunctionDecl || !clang_isCursorDefinition(c))
            continue;
        if (source_offset(src, clang_getCursorLocation(c)) == (unsigned)-1)
            continue;
        function fn = {0};
        fn.cursor = c;
        fn.name = cx_take(clang_getCursorSpelling(c));
        fn.usr = select_usr(c);
        fn.marked = marked(&cf, opt, fn.name, fn.usr);
        VEC_PUSH(all, n, cap, fn);
    }
    free(top.v);
    for (int i = 0; i < opt->nfunctions; i++) {
        bool found = false;
        for (int j = 0; j < n; j++)
            found |= !strcmp(all[j].name, opt->functions[i]);
        if (!found) {
            fprintf(stderr, "%s: error: no definition of function '%s' in this file\n",
                    src->path, opt->functions[i]);
            src->diag->errors++;
        }
    }
    bool *full = xcalloc((size_t)n * (size_t)n + 1, sizeof *full);
    bool *sel = xcalloc((size_t)n * (size_t)n + 1, sizeof *sel);
    for (int i = 0; i < n; i++) {
        callees cs = {0};
        clang_visitChildren(all[i].cursor, collect_callee, &cs);
        for (int j = 0; j < n; j++) {
            full[i * n + j] = calls_usr(&cs, all[j].usr);
            sel[i * n + j] = full[i * n + j] && (all[i].marked || opt->all) &&
                             (all[j].marked || opt->all);
        }
        for (int k = 0; k < cs.n; k++)
            free(cs.usr[k]);
        free(cs.usr);
    }
    for (int i = 0; i < cf.nannotated; i++)
        free(cf.annotated[i]);
    free(cf.annotated);
    close_reach(full, n);
    close_reach(sel, n);
    /* A selected function is rewritten when it is on a cycle of selected
     * functions; the functions of one cycle form a group, numbered in file
     * order. */
    int *group = xcalloc((size_t)n + 1, sizeof *group);
    for (int i = 0; i < n; i++) {
        function *fn = &all[i];
        group[i] = -1;
        /* Marked functions are rewritten even when no cycle is visible here:
         * the cycle may pass through a function pointer or another file, and
         * a rewritten function entered deep in the native stack moves to a
         * fresh native segment. */
        if (sel[i * n + i] || fn->marked) {
            for (int j = 0; j < i && group[i] < 0; j++)
                if (sel[i * n + j] && sel[j * n + i])
                    group[i] = group[j];
            if (group[i] < 0)
                group[i] = prog->ngroups++;
            fn->group = group[i];
            VEC_PUSH(prog->fns, prog->nfns, prog->capfns, *fn);
        }
    }
    /* A marked function on a cycle through unmarked ones works, but every
     * pass through them is a nested run: say so. */
    for (int i = 0; i < n; i++) {
        if (!all[i].marked || sel[i * n + i] || opt->all)
            continue;
        buf partners = {0};
        for (int j = 0; j < n; j++)
            if (j != i && full[i * n + j] && full[j * n + i] && !all[j].marked)
                buf_printf(&partners, "%s'%s'", partners.len ? ", " : "", all[j].name);
        if (partners.len)
            diag_at(src, source_offset(src, clang_getCursorLocation(all[i].cursor)),
                    DIAG_WARNING,
                    "'%s' is on a recursion cycle through %s, which %s not marked for "
                    "rewriting: each pass through %s is a native call (a nested run, "
                    "slower); mark %s too, or use --all",
                    all[i].name, partners.data, strchr(partners.data, ',') ? "are" : "is",
                    strchr(partners.data, ',') ? "them" : "it",
                    strchr(partners.data, ',') ? "them" : "it");
        buf_fini(&partners);
    }
    for (int i = 0; i < n; i++)
        if (group[i] < 0)
            function_fini(&all[i]); /* not rewritten */
    free(all);
    free(group);
    free(full);
    free(sel);
    for (int i = 0; i < prog->nfns; i++) {
        function *fn = &prog->fns[i];
        for (int j = 0; j < prog->nfns; j++)
            if (prog->fns[j].group == fn->group) {
                if (j < i)
                    fn->entry++;
                fn->group_size++;
                fn->group_last = j <= i;
            }
        fn->group_first = fn->entry == 0;
    }
}
