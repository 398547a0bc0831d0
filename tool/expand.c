/*
 * expand.c - macro uses that hide a recursive call or a `return`, expanded
 * in place.
 *
 * The rewrite edits the text, and a macro's text is its definition: a
 * recursive call written inside `MAX(h(l), h(r))`, `assert(check(n))` or
 * `TRY(f(x))`, or the `return` inside `CHECK(x)`, cannot be hoisted or
 * turned into a jump where it is written. So the analysis asks for those
 * uses (program.expand), and this file replaces each outermost one by its
 * expansion, as the preprocessor would produce it, then the file is
 * parsed again and analyzed once more. Everything else stays byte for
 * byte, and each expansion takes as many lines as the use it replaces, so
 * `#line` keeps pointing at the user's lines.
 *
 * The expansion follows C's rules on the tokens libclang gives: arguments
 * are expanded before substitution except next to # and ##, # makes a
 * string, ## pastes, __VA_ARGS__ takes the rest, and the result is
 * rescanned with the macro being expanded disabled. Builtin macros
 * (__LINE__, __FILE__) are left for the compiler, which sees them on the
 * same line of the same file. A use this cannot expand (a function-like
 * macro whose arguments run past the use) keeps the original diagnostic.
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tok {
    bool ident;
    char *s;
} tok;

typedef struct toks {
    tok *v;
    int n, cap;
} toks;

typedef struct macro {
    char *name;
    unsigned at;        /* offset in the main file, or 0 if elsewhere */
    bool function_like;
    bool variadic;
    strvec params;
    toks body;
} macro;

typedef struct macros {
    macro *v;
    int n, cap;
} macros;

static void push_tok(toks *t, bool ident, const char *s)
{
    tok x = {ident, xstrdup(s)};
    VEC_PUSH(t->v, t->n, t->cap, x);
}

static void toks_fini(toks *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->v[i].s);
    free(t->v);
    memset(t, 0, sizeof *t);
}

static void append_toks(toks *out, const toks *in)
{
    for (int i = 0; i < in->n; i++)
        push_tok(out, in->v[i].ident, in->v[i].s);
}

/* The tokens of R, libclang's spelling of each. */
static void tokens_of(const source *src, CXSourceRange r, toks *out)
{
    CXToken *t;
    unsigned n;
    clang_tokenize(src->tu, r, &t, &n);
    for (unsigned i = 0; i < n; i++) {
        char *s = cx_take(clang_getTokenSpelling(src->tu, t[i]));
        enum CXTokenKind k = clang_getTokenKind(t[i]);
        push_tok(out, k == CXToken_Identifier || k == CXToken_Keyword, s);
        free(s);
    }
    clang_disposeTokens(src->tu, t, n);
}

/* ---- the definitions and the uses ---- */

typedef struct uses {
    span *v;
    int n, cap;
} uses;

typedef struct preprocessing {
    const source *src;
    macros ms; /* every definition, in order */
    uses us;   /* every use in the file */
} preprocessing;

static void add_definition(preprocessing *pp, CXCursor c)
{
    const source *src = pp->src;
    macro m = {0};
    m.name = cx_take(clang_getCursorSpelling(c));
    unsigned at = source_offset(src, clang_getCursorLocation(c));
    m.at = at == (unsigned)-1 ? 0 : at;
    m.function_like = clang_Cursor_isMacroFunctionLike(c);
    toks all = {0};
    tokens_of(src, clang_getCursorExtent(c), &all);
    int i = 1; /* after the name */
    if (m.function_like) {
        for (i = 2; i < all.n && strcmp(all.v[i].s, ")") != 0; i++) {
            if (!strcmp(all.v[i].s, "...")) {
                m.variadic = true;
                strvec_push(&m.params, xstrdup("__VA_ARGS__"));
            } else if (strcmp(all.v[i].s, ",") != 0)
                strvec_push(&m.params, xstrdup(all.v[i].s));
        }
        i++;
    }
    for (; i < all.n; i++)
        push_tok(&m.body, all.v[i].ident, all.v[i].s);
    toks_fini(&all);
    VEC_PUSH(pp->ms.v, pp->ms.n, pp->ms.cap, m);
}

static enum CXChildVisitResult collect(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    preprocessing *pp = data;
    span u;
    if (clang_getCursorKind(c) == CXCursor_MacroDefinition)
        add_definition(pp, c);
    else if (clang_getCursorKind(c) == CXCursor_MacroExpansion &&
             source_range(pp->src, c, &u.begin, &u.end))
        VEC_PUSH(pp->us.v, pp->us.n, pp->us.cap, u);
    return CXChildVisit_Continue;
}

/* The definition of NAME in force at offset AT of the main file. */
static const macro *lookup(const macros *ms, const char *name, unsigned at)
{
    const macro *found = NULL;
    for (int i = 0; i < ms->n; i++)
        if (!strcmp(ms->v[i].name, name) && ms->v[i].at < at)
            found = &ms->v[i];
    return found;
}

/* ---- expansion ---- */

typedef struct expander {
    const macros *ms;
    unsigned at;             /* where the use is */
    const macro *active[64]; /* being expanded: not expanded again */
    int nactive;
    bool failed;
} expander;

static void expand_toks(expander *x, const toks *in, toks *out);

static bool is_active(const expander *x, const macro *m)
{
    for (int i = 0; i < x->nactive; i++)
        if (x->active[i] == m)
            return true;
    return false;
}

/* The arguments of a use whose '(' is IN->v[*I]: split at top-level
 * commas, *I left after the ')'. False if the ')' is missing. */
static bool collect_args(const toks *in, int *i, toks **args, int *nargs)
{
    int depth = 0, cap = 0;
    *args = NULL;
    *nargs = 0;
    toks cur = {0};
    for ((*i)++; *i < in->n; (*i)++) {
        const char *s = in->v[*i].s;
        if (!strcmp(s, "(") || !strcmp(s, "[") || !strcmp(s, "{"))
            depth++;
        else if ((!strcmp(s, ")") || !strcmp(s, "]") || !strcmp(s, "}")) && depth > 0)
            depth--;
        else if (!strcmp(s, ")") || (!strcmp(s, ",") && depth == 0)) {
            VEC_PUSH(*args, *nargs, cap, cur);
            memset(&cur, 0, sizeof cur);
            if (!strcmp(s, ")")) {
                (*i)++;
                return true;
            }
            continue;
        }
        push_tok(&cur, in->v[*i].ident, s);
    }
    toks_fini(&cur);
    return false;
}

static int param_index(const macro *m, const char *s)
{
    for (int p = 0; p < m->params.n; p++)
        if (!strcmp(m->params.v[p], s))
            return p;
    return -1;
}

/* The argument for parameter P, __VA_ARGS__ gathering the rest. */
static void arg_tokens(const macro *m, toks *args, int nargs, int p, toks *out)
{
    if (m->variadic && p == m->params.n - 1) {
        for (int a = p; a < nargs; a++) {
            if (a > p)
                push_tok(out, false, ",");
            append_toks(out, &args[a]);
        }
    } else if (p < nargs)
        append_toks(out, &args[p]);
}

/* #param: the argument's tokens as a string literal. */
static void stringize(const toks *arg, toks *out)
{
    buf b = {0};
    buf_puts(&b, "\"");
    for (int i = 0; i < arg->n; i++) {
        if (i)
            buf_puts(&b, " ");
        for (const char *c = arg->v[i].s; *c; c++) {
            bool literal = arg->v[i].s[0] == '"' || arg->v[i].s[0] == '\'';
            if (literal && (*c == '"' || *c == '\\'))
                buf_puts(&b, "\\");
            buf_put(&b, c, 1);
        }
    }
    buf_puts(&b, "\"");
    push_tok(out, false, b.data);
    buf_fini(&b);
}

/* The body of M with its parameters replaced, before rescanning. */
static void substitute(expander *x, const macro *m, toks *args, int nargs, toks *out)
{
    const toks *b = &m->body;
    for (int j = 0; j < b->n; j++) {
        const char *s = b->v[j].s;
        bool before_paste = j + 1 < b->n && !strcmp(b->v[j + 1].s, "##");
        bool after_paste = j > 0 && !strcmp(b->v[j - 1].s, "##");
        int p = m->function_like ? param_index(m, s) : -1;
        if (!strcmp(s, "#") && m->function_like && j + 1 < b->n &&
            (p = param_index(m, b->v[j + 1].s)) >= 0) {
            toks raw = {0};
            arg_tokens(m, args, nargs, p, &raw);
            stringize(&raw, out);
            toks_fini(&raw);
            j++;
        } else if (!strcmp(s, "##") && out->n && j + 1 < b->n) {
            /* Paste the last token and the next one (a raw argument's
             * first token); `, ## __VA_ARGS__` drops the comma if empty. */
            toks next = {0};
            int q = m->function_like ? param_index(m, b->v[j + 1].s) : -1;
            if (q >= 0)
                arg_tokens(m, args, nargs, q, &next);
            else
                push_tok(&next, b->v[j + 1].ident, b->v[j + 1].s);
            tok *last = &out->v[out->n - 1];
            if (!next.n && !strcmp(last->s, ",") && q == m->params.n - 1 && m->variadic) {
                free(last->s);
                out->n--;
            } else if (next.n) {
                buf pasted = {0};
                buf_printf(&pasted, "%s%s", last->s, next.v[0].s);
                free(last->s);
                last->s = pasted.data;
                last->ident = last->ident || next.v[0].ident;
                for (int k = 1; k < next.n; k++)
                    push_tok(out, next.v[k].ident, next.v[k].s);
            }
            toks_fini(&next);
            j++;
        } else if (p >= 0) {
            toks raw = {0};
            arg_tokens(m, args, nargs, p, &raw);
            if (before_paste || after_paste)
                append_toks(out, &raw);
            else
                expand_toks(x, &raw, out);
            toks_fini(&raw);
        } else {
            push_tok(out, b->v[j].ident, s);
        }
    }
}

/* Expands the macros in IN into OUT. */
static void expand_toks(expander *x, const toks *in, toks *out)
{
    for (int i = 0; i < in->n && !x->failed; i++) {
        const tok *t = &in->v[i];
        const macro *m = t->ident ? lookup(x->ms, t->s, x->at) : NULL;
        if (!m || is_active(x, m) || x->nactive == 64 ||
            (m->function_like && (i + 1 >= in->n || strcmp(in->v[i + 1].s, "(") != 0))) {
            push_tok(out, t->ident, t->s);
            continue;
        }
        toks body = {0}, *args = NULL;
        int nargs = 0;
        if (m->function_like) {
            i++;
            if (!collect_args(in, &i, &args, &nargs)) {
                x->failed = true; /* the use runs past what was given */
                return;
            }
            i--;
        }
        substitute(x, m, args, nargs, &body);
        for (int a = 0; a < nargs; a++)
            toks_fini(&args[a]);
        free(args);
        x->active[x->nactive++] = m;
        expand_toks(x, &body, out);
        x->nactive--;
        toks_fini(&body);
    }
}

/* ---- the uses to expand ---- */

/* The outermost macro use around OFFSET, or NULL. */
static const span *outermost(const uses *us, unsigned offset)
{
    const span *best = NULL;
    for (int i = 0; i < us->n; i++)
        if (us->v[i].begin <= offset && offset < us->v[i].end &&
            (!best || us->v[i].end - us->v[i].begin > best->end - best->begin))
            best = &us->v[i];
    return best;
}

static int by_begin(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return x->begin < y->begin ? -1 : x->begin > y->begin;
}

/* The text of use U expanded, on one line, then as many newlines as U
 * spans; false if it cannot be expanded. */
static bool expand_use(const source *src, const macros *ms, const span *u, buf *out)
{
    toks in = {0}, result = {0};
    CXSourceRange r = clang_getRange(clang_getLocationForOffset(src->tu, src->file, u->begin),
                                     clang_getLocationForOffset(src->tu, src->file, u->end));
    tokens_of(src, r, &in);
    expander x = {ms, u->begin, {0}, 0, false};
    expand_toks(&x, &in, &result);
    for (int i = 0; i < result.n; i++)
        buf_printf(out, "%s%s", i ? " " : "", result.v[i].s);
    for (unsigned i = u->begin; i < u->end; i++)
        if (src->text[i] == '\n')
            buf_puts(out, "\n");
    toks_fini(&in);
    toks_fini(&result);
    return !x.failed;
}

char *expand_macro_uses(const program *prog)
{
    const source *src = prog->src;
    preprocessing pp = {src, {0}, {0}};
    uses chosen = {0};
    clang_visitChildren(clang_getTranslationUnitCursor(src->tu), collect, &pp);
    const macros ms = pp.ms;
    const uses us = pp.us;
    for (int i = 0; i < prog->nexpand; i++) {
        const span *u = outermost(&us, prog->expand[i]);
        bool dup = false;
        for (int j = 0; u && j < chosen.n; j++)
            dup |= chosen.v[j].begin == u->begin;
        if (u && !dup)
            VEC_PUSH(chosen.v, chosen.n, chosen.cap, *u);
    }
    if (chosen.n > 1) /* qsort's base must not be NULL, even for 0 */
        qsort(chosen.v, (size_t)chosen.n, sizeof *chosen.v, by_begin);
    buf text = {0};
    unsigned at = 0;
    bool ok = chosen.n > 0;
    for (int i = 0; i < chosen.n && ok; i++) {
        if (chosen.v[i].begin < at)
            continue; /* inside one expanded already */
        buf_put(&text, src->text + at, chosen.v[i].begin - at);
        ok = expand_use(src, &ms, &chosen.v[i], &text);
        at = chosen.v[i].end;
    }
    buf_put(&text, src->text + at, src->len - at);
    for (int i = 0; i < ms.n; i++) {
        free(ms.v[i].name);
        strvec_fini(&ms.v[i].params);
        toks_fini(&ms.v[i].body);
    }
    free(ms.v);
    free(us.v);
    free(chosen.v);
    if (!ok) {
        buf_fini(&text);
        return NULL;
    }
    return text.data;
}
