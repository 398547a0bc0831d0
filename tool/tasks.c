/*
 * tasks.c - the calls the file starts as tasks: UNRECURSE_START(QUEUE,
 * RESULT, CALL), UNRECURSE_START_VOID(QUEUE, CALL), and generators,
 * UNRECURSE_GEN(TYPE, CALL), which run as tasks too.
 *
 * In the output, the header turns such a use into a call of
 * unrecurse__start_NAME(ARGS), the CALL's function name pasted on, which
 * the tool writes next to NAME's state machine (with a second machine,
 * NAME__task, that runs a few steps at a time, or for a cycle a second
 * engine: frames.c). So each use must name a function the tool rewrites
 * in this file, whose cycle's bodies may be copied (no static local), and
 * come after the start of its definition, where the start function's
 * prototype is written. Anything
 * else is an error at the use, rather than a link error later.
 */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

/* A use: where it is, and which of its arguments is the call (the third
 * of UNRECURSE_START, the second of UNRECURSE_START_VOID and
 * UNRECURSE_GEN), counted from 0. */
typedef struct task_use {
    span at;
    int call_arg;
} task_use;

typedef struct task_uses {
    const source *src;
    task_use *v;
    int n, cap;
} task_uses;

static enum CXChildVisitResult collect(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    task_uses *u = data;
    if (clang_getCursorKind(c) != CXCursor_MacroExpansion)
        return CXChildVisit_Continue;
    CXString name = clang_getCursorSpelling(c);
    const char *s = clang_getCString(name);
    task_use use = {.call_arg = -1};
    if (s && !strcmp(s, "UNRECURSE_START"))
        use.call_arg = 2;
    else if (s && (!strcmp(s, "UNRECURSE_START_VOID") || !strcmp(s, "UNRECURSE_GEN")))
        use.call_arg = 1;
    clang_disposeString(name);
    if (use.call_arg >= 0 && source_range(u->src, c, &use.at.begin, &use.at.end))
        VEC_PUSH(u->v, u->n, u->cap, use);
    return CXChildVisit_Continue;
}

/* The name of the function USE's call argument calls (its first
 * identifier), into NAME; false if there is none. */
static bool called_name(const source *src, const task_use *use, char *name, size_t size)
{
    const char *t = src->text;
    unsigned begin = use->at.begin, end = use->at.end;
    int want = use->call_arg, arg = 0, depth = 0;
    unsigned i = begin;
    while (i < end && t[i] != '(')
        i++;
    for (i++; i < end; i++) {
        char c = t[i];
        if (c == '"' || c == '\'') { /* a literal: skip it */
            for (i++; i < end && t[i] != c; i++)
                if (t[i] == '\\')
                    i++;
            continue;
        }
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || c == '}')
            depth--;
        else if (c == ',' && depth == 0 && ++arg == want)
            break;
    }
    i = text_skip_blank(src, i + 1, end);
    size_t n = 0;
    while (i < end && text_is_ident_char(t[i]) && n + 1 < size)
        name[n++] = t[i++];
    name[n] = '\0';
    return n > 0 && !(name[0] >= '0' && name[0] <= '9');
}

/* A static local anywhere in FN's cycle: the task engine copies every
 * member's body. */
static bool group_has_static_local(const program *prog, const function *fn)
{
    for (int i = 0; i < prog->nfns; i++)
        if (prog->fns[i].group == fn->group && prog->fns[i].has_static_local)
            return true;
    return false;
}

void tasks_find(program *prog)
{
    const source *src = prog->src;
    task_uses u = {.src = src};
    clang_visitChildren(clang_getTranslationUnitCursor(src->tu), collect, &u);
    for (int k = 0; k < u.n; k++) {
        char name[256];
        if (!called_name(src, &u.v[k], name, sizeof name)) {
            diag_at(src, u.v[k].at.begin, DIAG_ERROR,
                    "the task to start is not a call of a function by its name");
            continue;
        }
        function *fn = NULL;
        for (int i = 0; i < prog->nfns; i++)
            if (!strcmp(prog->fns[i].name, name) && !prog->fns[i].skipped)
                fn = &prog->fns[i];
        if (!fn)
            diag_at(src, u.v[k].at.begin, DIAG_ERROR,
                    "'%s' is not a function the tool rewrites in this file, so it cannot be "
                    "started as a task (annotate it UNRECURSE, or add --all or --function %s)",
                    name, name);
        else if (group_has_static_local(prog, fn))
            diag_at(src, u.v[k].at.begin, DIAG_ERROR,
                    "'%s' %s a static local, which a task's copy of the body would not "
                    "share: it cannot be started as a task",
                    name, fn->has_static_local ? "has" : "is on a cycle with");
        else if (u.v[k].at.begin < fn->begin)
            diag_at(src, u.v[k].at.begin, DIAG_ERROR,
                    "'%s' is started as a task before its definition: move the definition "
                    "before this use",
                    name);
        else
            fn->tasked = true;
    }
    free(u.v);
}

bool tasks_any(const program *prog)
{
    for (int i = 0; i < prog->nfns; i++)
        if (prog->fns[i].tasked && !prog->fns[i].skipped)
            return true;
    return false;
}
