/*
 * analyze.c - the second stage: what to rewrite, and what each call needs.
 *
 * For every function selected (annotated UNRECURSE, named with --function,
 * or on a call cycle with --all) this stage walks the body once and records
 *   - its variables, and which must live in the heap frame ("resident":
 *     address taken, arrays, const, or a shadowed name live across a call)
 *     and which stay native C locals saved around the calls they outlive;
 *   - its recursive calls, each a resume point, with the statement the call
 *     is hoisted in front of and the variables live across it;
 *   - every construct the rewrite cannot keep correct, as a diagnostic
 *     pointing at it. Nothing is ever rewritten silently wrong.
 *
 * Liveness is deliberately simple and conservative: a variable is live
 * across a call if it is read later in its scope, or anywhere in a loop
 * around the call, or anywhere at all when the function has labels.
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- cursor helpers ---- */

typedef struct cursors {
    CXCursor *v;
    int n, cap;
} cursors;

static enum CXChildVisitResult collect_child(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    cursors *cs = data;
    VEC_PUSH(cs->v, cs->n, cs->cap, c);
    return CXChildVisit_Continue;
}

static cursors children_of(CXCursor c)
{
    cursors cs = {0};
    clang_visitChildren(c, collect_child, &cs);
    return cs;
}

static bool is_ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Does the source text at OFFSET spell the identifier NAME? A cursor whose
 * text does not is the product of a macro expansion. */
static bool spelled_at(const source *src, unsigned offset, const char *name)
{
    size_t n = strlen(name);
    if (offset == (unsigned)-1 || offset + n > src->len)
        return false;
    if (memcmp(src->text + offset, name, n) != 0)
        return false;
    return offset + n == src->len || !is_ident_char(src->text[offset + n]);
}

/* Skips white space and comments from OFFSET, up to LIMIT. */
static unsigned skip_blank(const source *src, unsigned offset, unsigned limit)
{
    const char *t = src->text;
    while (offset < limit) {
        if (t[offset] == ' ' || t[offset] == '\t' || t[offset] == '\n' || t[offset] == '\r' ||
            t[offset] == '\f' || t[offset] == '\v' || t[offset] == '\\')
            offset++;
        else if (t[offset] == '/' && offset + 1 < limit && t[offset + 1] == '*') {
            const char *e = strstr(t + offset + 2, "*/");
            offset = e ? (unsigned)(e - t) + 2 : limit;
        } else if (t[offset] == '/' && offset + 1 < limit && t[offset + 1] == '/') {
            while (offset < limit && t[offset] != '\n')
                offset++;
        } else
            break;
    }
    return offset;
}

/* The operator of a binary operator cursor: the text between its operands. */
static void binary_operator(const source *src, CXCursor c, char op[4])
{
    op[0] = '\0';
    cursors cs = children_of(c);
    unsigned lb, le, rb, re;
    if (cs.n == 2 && cursor_range(src, cs.v[0], &lb, &le) && cursor_range(src, cs.v[1], &rb, &re) &&
        le <= rb) {
        unsigned i = skip_blank(src, le, rb), n = 0;
        while (i < rb && n < 3 && !strchr(" \t\n\r/", src->text[i]))
            op[n++] = src->text[i++];
        op[n] = '\0';
    }
    free(cs.v);
}

/* The first character of a unary operator cursor ('&', '*', '-', '+', ...). */
static char unary_operator(const source *src, CXCursor c)
{
    unsigned b, e;
    if (!cursor_range(src, c, &b, &e) || b >= e)
        return 0;
    return src->text[b];
}

/* Strips parentheses and implicit conversions. */
static CXCursor strip(CXCursor c)
{
    for (;;) {
        enum CXCursorKind k = clang_getCursorKind(c);
        if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr)
            return c;
        cursors cs = children_of(c);
        if (cs.n != 1) {
            free(cs.v);
            return c;
        }
        c = cs.v[0];
        free(cs.v);
    }
}

static char *usr_of(CXCursor c)
{
    return cx_take(clang_getCursorUSR(c));
}

static bool has_annotation(CXCursor fn)
{
    cursors cs = children_of(fn);
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

/* The name of the function a CallExpr calls directly, or NULL. */
static char *callee_name(CXCursor call)
{
    CXCursor ref = clang_getCursorReferenced(call);
    if (clang_Cursor_isNull(ref) || clang_getCursorKind(ref) != CXCursor_FunctionDecl)
        return NULL;
    return cx_take(clang_getCursorSpelling(ref));
}

bool calls_function(CXCursor call, const function *fn)
{
    CXCursor ref = clang_getCursorReferenced(call);
    if (clang_Cursor_isNull(ref) || clang_getCursorKind(ref) != CXCursor_FunctionDecl)
        return false;
    char *usr = usr_of(ref);
    bool same = strcmp(usr, fn->usr) == 0;
    free(usr);
    return same;
}

/* ---- types ---- */

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The spelling of T without top-level const/volatile: the type of a frame
 * field or of a variable the rewrite assigns. */
static char *unqualified_spelling(CXType t)
{
    char *s = cx_take(clang_getTypeSpelling(t));
    bool qualified = clang_isConstQualifiedType(t) || clang_isVolatileQualifiedType(t);
    /* An array is assigned element by element: its elements' qualifiers
     * count as its own. */
    CXType elem = t;
    while (elem.kind == CXType_ConstantArray || elem.kind == CXType_IncompleteArray)
        elem = clang_getArrayElementType(elem);
    if (elem.kind != t.kind && clang_getCanonicalType(elem).kind != CXType_Pointer)
        qualified |= clang_isConstQualifiedType(elem) || clang_isVolatileQualifiedType(elem);
    if (!qualified)
        return s;
    /* A pointer's own qualifiers follow its `*`; leading ones are the
     * pointee's and stay. */
    bool pointer = clang_getCanonicalType(t).kind == CXType_Pointer;
    for (;;) {
        size_t n = strlen(s);
        /* Leading qualifiers are top-level unless a `*` follows them (a
         * typedef'd pointer type has none). */
        bool leading = !pointer || !strchr(s, '*');
        if (leading && starts_with(s, "const "))
            memmove(s, s + 6, n - 5);
        else if (leading && starts_with(s, "volatile "))
            memmove(s, s + 9, n - 8);
        else if (n > 6 && strcmp(s + n - 6, " const") == 0)
            s[n - 6] = '\0';
        else if (n > 5 && strcmp(s + n - 5, "const") == 0 && s[n - 6] == '*')
            s[n - 5] = '\0';
        else if (n > 9 && strcmp(s + n - 9, " volatile") == 0)
            s[n - 9] = '\0';
        else if (n > 8 && strcmp(s + n - 8, "volatile") == 0 && s[n - 9] == '*')
            s[n - 8] = '\0';
        else
            return s;
    }
}

/* Checks that a variable's type can be named at file scope, where the
 * frame struct is declared. Returns an error message or NULL. */
static const char *unnameable_type(const function *fn, const source *src, CXType t)
{
    for (int depth = 0; depth < 8; depth++) {
        char *s = cx_take(clang_getTypeSpelling(t));
        bool anonymous = strstr(s, "(unnamed") || strstr(s, "(anonymous");
        free(s);
        if (anonymous)
            return "its type has no name; give the struct, union or enum a tag or a typedef";
        CXCursor decl = clang_getTypeDeclaration(t);
        if (!clang_Cursor_isNull(decl) && clang_getCursorKind(decl) != CXCursor_NoDeclFound) {
            unsigned off = source_offset(src, clang_getCursorLocation(decl));
            if (off != (unsigned)-1 && off >= fn->begin && off < fn->end)
                return "its type is declared inside the function; move the type's declaration "
                       "before the function";
        }
        CXType next;
        if (t.kind == CXType_Pointer)
            next = clang_getPointeeType(t);
        else if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray)
            next = clang_getArrayElementType(t);
        else if (t.kind == CXType_Typedef || t.kind == CXType_Elaborated)
            next = clang_getCanonicalType(t);
        else
            return NULL;
        if (next.kind == t.kind && t.kind != CXType_Pointer && t.kind != CXType_ConstantArray)
            return NULL;
        t = next;
    }
    return NULL;
}

/* ---- the walk over one function body ---- */

typedef struct walk {
    const source *src;
    program *prog;
    function *fn;
    unsigned stmt_begin;  /* the statement calls are hoisted before */
    unsigned stmt_end;
    unsigned block;       /* the block holding that statement, or -1 */
    unsigned child_block; /* the block of statements directly inside */
    const char *lazy;     /* under a conditionally evaluated operand */
    const char *loop_part; /* in a loop condition or increment */
    bool for_header;      /* declarations of a for statement's header */
    bool unevaluated;     /* under sizeof/_Alignof */
    bool address_of;      /* under unary & */
    bool assign_lhs;      /* the left side of `=` */
    bool stmt_expr;       /* inside a GNU statement expression */
    unsigned scope_end;
} walk;

static void walk_stmt(walk w, CXCursor s);

typedef struct label_search {
    const char *name;
    bool found;
} label_search;

static enum CXChildVisitResult find_label(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    label_search *ls = data;
    if (clang_getCursorKind(c) == CXCursor_LabelStmt) {
        char *name = cx_take(clang_getCursorSpelling(c));
        ls->found |= !strcmp(name, ls->name);
        free(name);
    }
    return ls->found ? CXChildVisit_Break : CXChildVisit_Recurse;
}

static bool function_has_label(const function *fn, const char *name)
{
    label_search ls = {name, false};
    clang_visitChildren(fn->cursor, find_label, &ls);
    return ls.found;
}
static void walk_expr(walk w, CXCursor e);

static int find_var(const function *fn, CXCursor decl)
{
    for (int i = 0; i < fn->nvars; i++)
        if (clang_equalCursors(fn->vars[i].decl, decl))
            return i;
    return -1;
}

static int add_var(walk *w, CXCursor decl, bool is_param)
{
    function *fn = w->fn;
    var v = {0};
    v.decl = decl;
    v.name = cx_take(clang_getCursorSpelling(decl));
    v.is_param = is_param;
    v.slot = -1;
    v.in_for_header = w->for_header;
    cursor_range(w->src, decl, &v.decl_begin, &v.decl_end);
    v.scope_begin = is_param ? fn->body_begin : v.decl_end;
    v.scope_end = is_param ? fn->body_end : w->scope_end;
    enum CX_StorageClass sc = clang_Cursor_getStorageClass(decl);
    v.is_static = sc == CX_SC_Static || sc == CX_SC_Extern;
    CXType t = clang_getCursorType(decl);
    v.type = unqualified_spelling(t);
    long long align = clang_Type_getAlignOf(t);
    v.align = align > 0 ? (unsigned)align : 8;
    if (!v.is_static) {
        if (t.kind == CXType_VariableArray)
            diag_at(w->src, v.decl_begin, DIAG_ERROR,
                    "variable-length array '%s' in a rewritten function is not supported; "
                    "use a fixed size or allocate it with malloc", v.name);
        if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray)
            v.resident = true;
        if (clang_isConstQualifiedType(t))
            v.resident = true; /* assigned by the rewrite, so it cannot stay const */
    }
    VEC_PUSH(fn->vars, fn->nvars, fn->capvars, v);
    return fn->nvars - 1;
}

static void reject_call_to(walk *w, CXCursor call, unsigned at)
{
    char *name = callee_name(call);
    if (!name)
        return;
    static const char *const banned[] = {"alloca", "__builtin_alloca", "setjmp", "_setjmp",
                                         "sigsetjmp", "__sigsetjmp", "longjmp", "_longjmp",
                                         "siglongjmp", "__builtin_setjmp", "__builtin_longjmp",
                                         NULL};
    for (int i = 0; banned[i]; i++) {
        if (strcmp(name, banned[i]) != 0)
            continue;
        if (strstr(name, "alloca"))
            diag_at(w->src, at, DIAG_ERROR,
                    "'alloca' in a rewritten function is not supported: its memory would not "
                    "survive a recursive call; use malloc/free or a fixed-size local array");
        else
            diag_at(w->src, at, DIAG_ERROR,
                    "'%s' in a rewritten function is not supported: the function's frames "
                    "live on the heap, not on the native stack that '%s' saves; move the "
                    "setjmp/longjmp into a function that is not rewritten",
                    name, name);
    }
    free(name);
}

static void record_call(walk *w, CXCursor c, unsigned begin, unsigned end,
                        const function *callee)
{
    function *fn = w->fn;
    const source *src = w->src;
    if (w->unevaluated)
        return; /* sizeof(f(x)) calls nothing */
    /* The call must be spelled in the file as written: a call produced by a
     * macro cannot be edited in place. */
    unsigned exp_off;
    clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), NULL, NULL, NULL,
                               &exp_off);
    if (!spelled_at(src, begin, callee->name) || exp_off != begin) {
        diag_at(src, begin, DIAG_ERROR,
                "recursive call to '%s' inside a macro expansion cannot be rewritten; "
                "write the call outside the macro", callee->name);
        return;
    }
    if (w->stmt_expr) {
        diag_at(src, begin, DIAG_ERROR,
                "recursive call to '%s' inside a GNU statement expression is not supported; "
                "move it into a statement of its own", callee->name);
        return;
    }
    call k = {0};
    k.kind = ITEM_CALL;
    k.owner = -1;
    k.callee = (int)(callee - w->prog->fns);
    k.cursor = c;
    k.begin = begin;
    k.end = end;
    k.stmt_begin = w->stmt_begin;
    k.stmt_end = w->stmt_end;
    k.block = w->block;
    k.value_used = true;
    VEC_PUSH(fn->calls, fn->ncalls, fn->capcalls, k);
    fn->calls[fn->ncalls - 1].id = fn->ncalls;
}

/* Records a lazy operator E whose operands hold the items recorded from
 * index FIRST on, operand I's items starting at SPLIT[I]; only needed when
 * an operand other than the first holds a call. */
static void record_lazy(walk *w, CXCursor e, const char *op, const unsigned *ob,
                        const unsigned *oe, int nops, const int *split, int first)
{
    function *fn = w->fn;
    if (fn->ncalls == split[1] || w->unevaluated)
        return; /* calls only in the first operand: hoisted as usual */
    call k = {0};
    k.kind = ITEM_LAZY;
    snprintf(k.op, sizeof k.op, "%s", op);
    k.nops = nops;
    for (int i = 0; i < nops; i++) {
        k.ob[i] = ob[i];
        k.oe[i] = oe[i];
    }
    CXType t = clang_getCursorType(e);
    if (!strcmp(op, "&&") || !strcmp(op, "||"))
        k.type = xstrdup("int");
    else if (t.kind != CXType_Void)
        k.type = unqualified_spelling(t);
    k.cursor = e;
    cursor_range(w->src, e, &k.begin, &k.end);
    k.stmt_begin = w->stmt_begin;
    k.stmt_end = w->stmt_end;
    k.block = w->block;
    k.value_used = k.type != NULL;
    k.owner = -1;
    int self = fn->ncalls;
    for (int i = first; i < self; i++) {
        if (fn->calls[i].owner != -1)
            continue;
        fn->calls[i].owner = self;
        int op_index = 0;
        while (op_index + 1 < nops && i >= split[op_index + 1])
            op_index++;
        fn->calls[i].owner_op = op_index;
    }
    VEC_PUSH(fn->calls, fn->ncalls, fn->capcalls, k);
    fn->calls[self].id = self + 1;
}

static bool is_target(const program *prog, CXCursor call, const function **which)
{
    for (int i = 0; i < prog->nfns; i++)
        if (calls_function(call, &prog->fns[i])) {
            *which = &prog->fns[i];
            return true;
        }
    return false;
}

static void walk_children_expr(walk w, CXCursor e)
{
    cursors cs = children_of(e);
    for (int i = 0; i < cs.n; i++)
        walk_expr(w, cs.v[i]);
    free(cs.v);
}

static void walk_expr(walk w, CXCursor e)
{
    function *fn = w.fn;
    const source *src = w.src;
    unsigned b = 0, en = 0;
    bool in_file = cursor_range(src, e, &b, &en);
    enum CXCursorKind k = clang_getCursorKind(e);
    bool lhs = w.assign_lhs;
    w.assign_lhs = false;

    switch (k) {
    case CXCursor_CallExpr: {
        const function *callee = NULL;
        reject_call_to(&w, e, b);
        if (!is_target(w.prog, e, &callee)) {
            walk_children_expr(w, e);
            return;
        }
        if (callee->group != fn->group) {
            /* Another cycle's function: an ordinary call of its wrapper. */
            int nargs = clang_Cursor_getNumArguments(e);
            for (int i = 0; i < nargs; i++)
                walk_expr(w, clang_Cursor_getArgument(e, (unsigned)i));
            return;
        }
        /* Arguments first: they are evaluated (and hoisted) before the call. */
        int nargs = clang_Cursor_getNumArguments(e);
        for (int i = 0; i < nargs; i++)
            walk_expr(w, clang_Cursor_getArgument(e, (unsigned)i));
        if (in_file)
            record_call(&w, e, b, en, callee);
        return;
    }
    case CXCursor_BinaryOperator: {
        char op[4];
        binary_operator(src, e, op);
        cursors cs = children_of(e);
        if (cs.n == 2) {
            walk l = w, r = w;
            bool lazy = !strcmp(op, "&&") || !strcmp(op, "||") || !strcmp(op, ",");
            if (lazy)
                r.lazy = !strcmp(op, ",") ? "," : (op[0] == '&' ? "&&" : "||");
            if (!strcmp(op, "="))
                l.assign_lhs = true;
            int split[3] = {fn->ncalls, 0, 0};
            unsigned ob[2], oe[2];
            cursor_range(src, cs.v[0], &ob[0], &oe[0]);
            cursor_range(src, cs.v[1], &ob[1], &oe[1]);
            walk_expr(l, cs.v[0]);
            split[1] = fn->ncalls;
            walk_expr(r, cs.v[1]);
            if (lazy && in_file)
                record_lazy(&w, e, r.lazy, ob, oe, 2, split, split[0]);
        }
        free(cs.v);
        return;
    }
    case CXCursor_ConditionalOperator: {
        cursors cs = children_of(e);
        int split[3] = {fn->ncalls, 0, 0};
        unsigned ob[3] = {0}, oe[3] = {0};
        for (int i = 0; i < cs.n && i < 3; i++) {
            walk x = w;
            if (i > 0) {
                x.lazy = "?:";
                split[i] = fn->ncalls;
            }
            cursor_range(src, cs.v[i], &ob[i], &oe[i]);
            walk_expr(x, cs.v[i]);
        }
        if (cs.n == 3 && in_file) {
            record_lazy(&w, e, "?:", ob, oe, 3, split, split[0]);
        } else if (cs.n == 2 && fn->ncalls > split[1]) {
            diag_at(src, b, DIAG_ERROR,
                    "recursive call in the GNU 'a ?: b' operator is not supported; write "
                    "'a ? a : b' with a local instead");
        }
        free(cs.v);
        return;
    }
    case CXCursor_UnaryOperator:
        if (unary_operator(src, e) == '&')
            w.address_of = true;
        walk_children_expr(w, e);
        return;
    case CXCursor_UnaryExpr: /* sizeof, _Alignof: not evaluated */
        w.unevaluated = true;
        walk_children_expr(w, e);
        return;
    case CXCursor_StmtExpr: {
        w.stmt_expr = true;
        cursors cs = children_of(e);
        for (int i = 0; i < cs.n; i++)
            walk_stmt(w, cs.v[i]);
        free(cs.v);
        return;
    }
    case CXCursor_AddrLabelExpr:
        diag_at(src, b, DIAG_ERROR,
                "label address ('&&label') in a rewritten function is not supported; use a "
                "switch instead of computed goto");
        return;
    case CXCursor_ParenExpr:
    case CXCursor_UnexposedExpr:
        w.assign_lhs = lhs;
        walk_children_expr(w, e);
        return;
    case CXCursor_DeclRefExpr: {
        CXCursor decl = clang_getCursorReferenced(e);
        enum CXCursorKind rk = clang_getCursorKind(decl);
        if (rk == CXCursor_FunctionDecl) {
            const function *target = NULL;
            for (int i = 0; i < w.prog->nfns; i++) {
                char *usr = usr_of(decl);
                if (!strcmp(usr, w.prog->fns[i].usr))
                    target = &w.prog->fns[i];
                free(usr);
            }
            if (target && in_file && !w.unevaluated)
                diag_at(src, b, DIAG_WARNING,
                        "'%s' is used as a function pointer here: calls through the pointer "
                        "run natively (recursion through a function pointer is not rewritten)",
                        target->name);
            return;
        }
        if (rk != CXCursor_VarDecl && rk != CXCursor_ParmDecl)
            return;
        int vi = find_var(fn, decl);
        if (vi < 0 || fn->vars[vi].is_static)
            return;
        unsigned at = source_offset(src, clang_getCursorLocation(e));
        if (w.address_of)
            fn->vars[vi].resident = true;
        ref r = {at, vi, lhs, lhs && !w.lazy && !w.unevaluated, w.stmt_begin, w.block, at};
        if (!spelled_at(src, at, fn->vars[vi].name))
            r.offset = (unsigned)-1; /* written by a macro: checked when resident */
        VEC_PUSH(fn->refs, fn->nrefs, fn->caprefs, r);
        return;
    }
    default:
        if (clang_isStatement(k)) {
            walk_stmt(w, e);
            return;
        }
        walk_children_expr(w, e);
        return;
    }
}

/* The positions of the two `;` of `for (init; cond; inc)` and its `)`. */
bool for_header(const source *src, unsigned begin, unsigned end, unsigned out[3])
{
    unsigned i = begin, depth = 0;
    int found = 0;
    while (i < end && src->text[i] != '(')
        i++;
    for (; i < end && found < 3; i++) {
        char c = src->text[i];
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || c == '}') {
            depth--;
            if (depth == 0 && c == ')')
                out[found++] = i;
        } else if (c == ';' && depth == 1 && found < 2)
            out[found++] = i;
    }
    return found == 3;
}

static void add_loop(function *fn, unsigned b, unsigned e)
{
    VEC_PUSH(fn->loops, fn->nloops, fn->caploops, b);
    VEC_PUSH(fn->loops, fn->nloops, fn->caploops, e);
}

static void walk_var_decl(walk w, CXCursor d)
{
    int vi = add_var(&w, d, false);
    /* Walk the initializer (and array sizes) in the statement's context. */
    cursors cs = children_of(d);
    for (int i = 0; i < cs.n; i++)
        walk_expr(w, cs.v[i]);
    free(cs.v);
    (void)vi;
}

/* A loop condition or increment: its calls are hoisted to where the
 * rewritten loop evaluates it, keyed by the expression's own offset. */
static void walk_loop_part(walk w, CXCursor e)
{
    unsigned b, en;
    if (cursor_range(w.src, e, &b, &en)) {
        w.stmt_begin = b;
        w.stmt_end = en;
        w.block = (unsigned)-1;
    }
    w.loop_part = "loop";
    walk_expr(w, e);
}

static void walk_stmt(walk w, CXCursor s)
{
    const source *src = w.src;
    function *fn = w.fn;
    unsigned b = 0, e = 0;
    cursor_range(src, s, &b, &e);
    enum CXCursorKind k = clang_getCursorKind(s);
    cursors cs = children_of(s);
    walk sub = w;
    sub.stmt_begin = b;
    sub.stmt_end = e;
    sub.block = w.child_block;
    /* A plain block inside a block runs straight through: its statements
     * count as statements of the outer block. */
    sub.child_block = k != CXCursor_CompoundStmt ? (unsigned)-1
                      : sub.block != (unsigned)-1 ? sub.block
                                                  : b;
    if (k == CXCursor_BreakStmt || k == CXCursor_ContinueStmt || k == CXCursor_GotoStmt)
        VEC_PUSH(fn->jumps, fn->njumps, fn->capjumps, b);

    switch (k) {
    case CXCursor_CompoundStmt:
        sub.scope_end = e;
        for (int i = 0; i < cs.n; i++)
            walk_stmt(sub, cs.v[i]);
        break;
    case CXCursor_DeclStmt:
        for (int i = 0; i < cs.n; i++) {
            int before = fn->ncalls;
            if (clang_getCursorKind(cs.v[i]) == CXCursor_VarDecl)
                walk_var_decl(sub, cs.v[i]);
            if (i > 0 && fn->ncalls > before)
                diag_at(src, fn->calls[before].begin, DIAG_ERROR,
                        "recursive call to '%s' in the initializer of a later declarator is not "
                        "supported; declare one variable per declaration", fn->name);
            else if (clang_getCursorKind(cs.v[i]) == CXCursor_FunctionDecl &&
                     clang_isCursorDefinition(cs.v[i]))
                diag_at(src, b, DIAG_ERROR,
                        "nested function in a rewritten function is not supported");
        }
        break;
    case CXCursor_IfStmt:
    case CXCursor_SwitchStmt:
        for (int i = 0; i < cs.n; i++) {
            if (i == 0)
                walk_expr(sub, cs.v[i]);
            else
                walk_stmt(sub, cs.v[i]);
        }
        break;
    case CXCursor_WhileStmt:
        add_loop(fn, b, e);
        for (int i = 0; i < cs.n; i++) {
            if (i == 0)
                walk_loop_part(sub, cs.v[i]);
            else
                walk_stmt(sub, cs.v[i]);
        }
        break;
    case CXCursor_DoStmt:
        add_loop(fn, b, e);
        for (int i = 0; i < cs.n; i++) {
            if (i == cs.n - 1 && cs.n == 2)
                walk_loop_part(sub, cs.v[i]);
            else
                walk_stmt(sub, cs.v[i]);
        }
        break;
    case CXCursor_ForStmt: {
        add_loop(fn, b, e);
        unsigned h[3];
        bool ok = for_header(src, b, e, h);
        sub.scope_end = e;
        for (int i = 0; i < cs.n; i++) {
            unsigned cb, ce;
            cursor_range(src, cs.v[i], &cb, &ce);
            walk x = sub;
            if (!ok || cb > h[2])
                walk_stmt(x, cs.v[i]);
            else if (cb < h[0]) {
                /* The header's declarations: their calls are hoisted before
                 * the for statement, which runs them once. */
                if (clang_getCursorKind(cs.v[i]) == CXCursor_DeclStmt) {
                    x.for_header = true;
                    cursors ds = children_of(cs.v[i]);
                    for (int d = 0; d < ds.n; d++)
                        if (clang_getCursorKind(ds.v[d]) == CXCursor_VarDecl)
                            walk_var_decl(x, ds.v[d]);
                    free(ds.v);
                } else
                    walk_expr(x, cs.v[i]);
            } else {
                walk_loop_part(x, cs.v[i]);
            }
        }
        break;
    }
    case CXCursor_LabelStmt:
        VEC_PUSH(fn->labels, fn->nlabels, fn->caplabels, b);
        if (fn->group_size > 1) {
            /* The bodies of a cycle share one C function, and so one label
             * namespace. */
            char *label = cx_take(clang_getCursorSpelling(s));
            for (int i = 0; i < w.prog->nfns; i++) {
                const function *other = &w.prog->fns[i];
                if (other == fn || other->group != fn->group)
                    continue;
                if (function_has_label(other, label))
                    diag_at(src, b, DIAG_ERROR,
                            "label '%s' is also defined in '%s', which is on the same "
                            "recursion cycle; the cycle's functions share one state machine, "
                            "so rename one of the labels", label, other->name);
            }
            free(label);
        }
        for (int i = 0; i < cs.n; i++)
            walk_stmt(sub, cs.v[i]);
        break;
    case CXCursor_CaseStmt:
    case CXCursor_DefaultStmt:
        for (int i = 0; i < cs.n; i++) {
            if (i == cs.n - 1)
                walk_stmt(sub, cs.v[i]);
            else
                walk_expr(sub, cs.v[i]);
        }
        break;
    case CXCursor_IndirectGotoStmt:
        diag_at(src, b, DIAG_ERROR,
                "computed goto in a rewritten function is not supported; use a switch instead");
        break;
    case CXCursor_ReturnStmt:
        if (!spelled_at(src, b, "return"))
            diag_at(src, b, DIAG_ERROR,
                    "'return' inside a macro expansion cannot be rewritten; write the return "
                    "statement outside the macro");
        for (int i = 0; i < cs.n; i++)
            walk_expr(sub, cs.v[i]);
        if (cs.n == 1 && fn->ncalls > 0) {
            /* `return f(...);` with nothing done to the result: a tail call. */
            call *last = &fn->calls[fn->ncalls - 1];
            unsigned xb, xe;
            CXCursor x = strip(cs.v[0]);
            if (clang_getCursorKind(x) == CXCursor_CallExpr && cursor_range(src, x, &xb, &xe) &&
                xb == last->begin && xe == last->end)
                last->tail_candidate = true;
        }
        break;
    default:
        if (clang_isExpression(k)) {
            int before = fn->ncalls;
            walk_expr(sub, s);
            /* `f(...);` alone: the result is discarded. */
            CXCursor x = strip(s);
            unsigned xb, xe;
            if (fn->ncalls > before && cursor_range(src, x, &xb, &xe) &&
                xb == fn->calls[fn->ncalls - 1].begin && xe == fn->calls[fn->ncalls - 1].end)
                fn->calls[fn->ncalls - 1].value_used = false;
            break;
        }
        for (int i = 0; i < cs.n; i++)
            walk_expr(sub, cs.v[i]);
        break;
    }
    free(cs.v);
}

/* ---- liveness ---- */


static bool inside(unsigned x, unsigned b, unsigned e)
{
    return x >= b && x < e;
}

/* Is OFFSET in a part of K's statement that is evaluated before K: an
 * earlier call's arguments, or an earlier operand of a lazy operator K is
 * in (the condition of the ?: whose branch holds K, say)? */
static bool evaluated_before(const function *fn, const call *k, unsigned offset)
{
    for (const call *j = fn->calls; j < fn->calls + fn->ncalls; j++) {
        if (j->stmt_begin != k->stmt_begin || !inside(offset, j->begin, j->end))
            continue;
        bool holds_k = k->begin >= j->begin && k->end <= j->end;
        if (j < k && !holds_k)
            return true;
        if (j->kind == ITEM_LAZY && holds_k)
            for (int op = 1; op < j->nops; op++)
                if (k->begin >= j->ob[op] && k->end <= j->oe[op])
                    for (int before = 0; before < op; before++)
                        if (inside(offset, j->ob[before], j->oe[before]))
                            return true;
    }
    return false;
}

/* Is VI overwritten after K before anything can read it? True when the
 * next use after K's statement is a plain assignment in a later statement
 * of the same block, with no jump or label in between. */
static bool overwritten_after(const function *fn, int vi, const call *k)
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
    for (int i = 0; i < fn->njumps; i++)
        if (inside(fn->jumps[i], k->stmt_begin, first->offset))
            return false;
    for (int i = 0; i < fn->nlabels; i++)
        if (inside(fn->labels[i], k->stmt_begin, first->offset))
            return false;
    return true;
}

/* Is native variable VI live across call K? */
static bool live_across(const function *fn, int vi, const call *k)
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
        any_read = true;
        if (r->offset == (unsigned)-1)
            return true; /* used through a macro: position unknown */
        if (r->offset >= k->stmt_begin && r->offset < v->scope_end &&
            !inside(r->offset, k->begin, k->end) && !evaluated_before(fn, k, r->offset))
            return true;
        for (int l = 0; l < fn->nloops; l += 2)
            if (inside(k->begin, fn->loops[l], fn->loops[l + 1]) &&
                inside(r->offset, fn->loops[l], fn->loops[l + 1]))
                return true;
    }
    if (any_read)
        for (int l = 0; l < fn->nlabels; l++)
            if (inside(fn->labels[l], v->scope_begin, v->scope_end))
                return true;
    return false;
}

static void compute_liveness(const program *prog, function *fn)
{
    for (int c = 0; c < fn->ncalls; c++) {
        call *k = &fn->calls[c];
        for (int vi = 0; vi < fn->nvars && k->kind == ITEM_CALL; vi++) {
            var *v = &fn->vars[vi];
            if (v->is_static || v->resident || !live_across(fn, vi, k))
                continue;
            v->saved = true;
            int *live = xrealloc(k->live, (size_t)(k->nlive + 1) * sizeof *live);
            live[k->nlive++] = vi;
            k->live = live;
        }
        /* Results of earlier items of the same statement, still to be used:
         * not consumed by K itself, nor by a lazy operand K is outside of. */
        if (k->kind != ITEM_CALL)
            continue;
        for (int j = 0; j < c; j++) {
            const call *p = &fn->calls[j];
            if (p->stmt_begin != k->stmt_begin || !p->value_used || p->tail ||
                (p->kind == ITEM_CALL && !prog->fns[p->callee].ret_type) ||
                (p->kind == ITEM_LAZY && !p->type) ||
                (p->begin >= k->begin && p->end <= k->end))
                continue;
            if (p->owner >= 0) {
                const call *o = &fn->calls[p->owner];
                if (!(k->begin >= o->ob[p->owner_op] && k->end <= o->oe[p->owner_op]))
                    continue;
            }
            int *lt = xrealloc(k->live_temps, (size_t)(k->nlive_temps + 1) * sizeof *lt);
            lt[k->nlive_temps++] = p->id;
            k->live_temps = lt;
        }
    }
}

/* Variables sharing a name with another one that is saved across a call
 * could be hidden at the call; keep them all in the frame instead. */
static bool resolve_shadowing(function *fn)
{
    bool changed = false;
    for (int i = 0; i < fn->nvars; i++)
        for (int j = 0; j < fn->nvars; j++) {
            var *a = &fn->vars[i], *b = &fn->vars[j];
            if (i == j || a->is_static || b->is_static || strcmp(a->name, b->name) != 0)
                continue;
            if ((a->saved || a->resident) && !b->resident) {
                b->resident = true;
                changed = true;
            }
        }
    return changed;
}

/* ---- calls that need nothing after them ---- */

static void mark_tail_calls(const program *prog, function *fn)
{
    if (fn->any_resident)
        return; /* a pointer into this frame may be passed down */
    for (int c = 0; c < fn->ncalls; c++) {
        call *k = &fn->calls[c];
        const function *callee = &prog->fns[k->callee];
        bool same_type = (!fn->ret_type && !callee->ret_type) ||
                         (fn->ret_type && callee->ret_type &&
                          !strcmp(fn->ret_type, callee->ret_type));
        k->tail = k->tail_candidate && same_type;
    }
}

/* ---- selection ---- */

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
        VEC_PUSH(cf->annotated, cf->nannotated, cf->cap, usr_of(c));
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
            VEC_PUSH(cs->usr, cs->n, cs->cap, usr_of(ref));
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

/* Gives saved values that are never live across the same call the same
 * storage: a union in the frame. Resident variables keep their own. */
static void share_slots(function *fn)
{
    int nt = fn->ncalls + 1;
    fn->temp_field = xcalloc((size_t)nt, sizeof *fn->temp_field);
    fn->temp_slot = xcalloc((size_t)nt, sizeof *fn->temp_slot);
    /* The values: saved variables (index >= 0) and temporaries (-id). */
    int *vals = xcalloc((size_t)(fn->nvars + nt), sizeof *vals);
    int nv = 0;
    for (int i = 0; i < fn->nvars; i++)
        if (fn->vars[i].saved && !fn->vars[i].resident)
            vals[nv++] = i;
    bool *temp = xcalloc((size_t)nt, sizeof *temp);
    for (int c = 0; c < fn->ncalls; c++)
        for (int t = 0; t < fn->calls[c].nlive_temps; t++)
            temp[fn->calls[c].live_temps[t]] = true;
    for (int id = 1; id < nt; id++)
        if (temp[id])
            vals[nv++] = -id;
    int *slot = xcalloc((size_t)nv + 1, sizeof *slot);
    int nslots = 0;
    for (int a = 0; a < nv; a++) {
        /* The first slot none of whose values is live with this one. */
        for (int sl = 0; sl <= nslots; sl++) {
            bool clash = false;
            for (int b = 0; b < a && !clash; b++) {
                if (slot[b] != sl)
                    continue;
                for (int c = 0; c < fn->ncalls && !clash; c++) {
                    const call *k = &fn->calls[c];
                    bool has_a = false, has_b = false;
                    for (int i = 0; i < k->nlive; i++) {
                        has_a |= vals[a] >= 0 && k->live[i] == vals[a];
                        has_b |= vals[b] >= 0 && k->live[i] == vals[b];
                    }
                    for (int i = 0; i < k->nlive_temps; i++) {
                        has_a |= vals[a] < 0 && k->live_temps[i] == -vals[a];
                        has_b |= vals[b] < 0 && k->live_temps[i] == -vals[b];
                    }
                    clash = has_a && has_b;
                }
            }
            if (!clash) {
                slot[a] = sl;
                if (sl == nslots)
                    nslots++;
                break;
            }
        }
    }
    /* Slots of one value need no union. */
    int *members = xcalloc((size_t)nslots + 1, sizeof *members);
    for (int a = 0; a < nv; a++)
        members[slot[a]]++;
    int named = 0;
    int *name_of = xcalloc((size_t)nslots + 1, sizeof *name_of);
    for (int sl = 0; sl < nslots; sl++)
        name_of[sl] = members[sl] > 1 ? ++named : 0;
    fn->nslots = named;
    for (int a = 0; a < nv; a++) {
        int u = name_of[slot[a]];
        buf f = {0};
        if (u)
            buf_printf(&f, "%s__u%d.", fn->name, u);
        if (vals[a] >= 0) {
            var *v = &fn->vars[vals[a]];
            buf_puts(&f, v->field);
            free(v->field);
            v->field = f.data;
            v->slot = u ? u : -1;
        } else {
            buf_printf(&f, "%s__t%d", fn->name, -vals[a]);
            fn->temp_field[-vals[a]] = f.data;
            fn->temp_slot[-vals[a]] = u ? u : -1;
        }
    }
    free(vals);
    free(temp);
    free(slot);
    free(members);
    free(name_of);
}

static void function_fini(function *fn)
{
    for (int i = 0; i < fn->nvars; i++) {
        free(fn->vars[i].name);
        free(fn->vars[i].field);
        free(fn->vars[i].type);
    }
    for (int i = 0; i < fn->ncalls; i++) {
        free(fn->calls[i].live);
        free(fn->calls[i].live_temps);
        free(fn->calls[i].type);
    }
    free(fn->vars);
    free(fn->refs);
    free(fn->calls);
    free(fn->labels);
    free(fn->loops);
    free(fn->jumps);
    for (int i = 0; fn->temp_field && i <= fn->ncalls; i++)
        free(fn->temp_field[i]);
    free(fn->temp_field);
    free(fn->temp_slot);
    free(fn->name);
    free(fn->usr);
    free(fn->ret_type);
    buf_fini(&fn->report);
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

static void select_functions(program *prog, const options *opt)
{
    const source *src = prog->src;
    collect_fns cf = {prog, NULL, 0, 0};
    CXCursor tu = clang_getTranslationUnitCursor(src->tu);
    clang_visitChildren(tu, find_annotated, &cf);
    /* Every function defined in the file, selected or not, with its calls:
     * the call graph, to find cycles and to explain partly marked ones. */
    cursors top = children_of(tu);
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
        fn.usr = usr_of(c);
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

/* ---- per-function analysis ---- */

static void analyze_function(program *prog, function *fn)
{
    const source *src = prog->src;
    cursor_range(src, fn->cursor, &fn->begin, &fn->end);
    unsigned name_at = source_offset(src, clang_getCursorLocation(fn->cursor));
    CXType ft = clang_getCursorType(fn->cursor);
    if (clang_isFunctionTypeVariadic(ft)) {
        diag_at(src, name_at, DIAG_ERROR,
                "variadic function '%s' cannot be rewritten: its va_list lives on the native "
                "stack; pass a va_list or an array to a rewritten helper instead", fn->name);
        return;
    }
    CXType rt = clang_getResultType(ft);
    if (rt.kind != CXType_Void)
        fn->ret_type = unqualified_spelling(rt);

    walk w = {0};
    w.src = src;
    w.prog = prog;
    w.fn = fn;
    w.block = w.child_block = (unsigned)-1;
    cursors cs = children_of(fn->cursor);
    CXCursor body = clang_getNullCursor();
    for (int i = 0; i < cs.n; i++)
        if (clang_getCursorKind(cs.v[i]) == CXCursor_CompoundStmt)
            body = cs.v[i];
    if (clang_Cursor_isNull(body)) {
        free(cs.v);
        return;
    }
    cursor_range(src, body, &fn->body_begin, &fn->body_end);
    w.scope_end = fn->body_end;
    for (int i = 0; i < cs.n; i++)
        if (clang_getCursorKind(cs.v[i]) == CXCursor_ParmDecl)
            add_var(&w, cs.v[i], true);
    free(cs.v);
    walk_stmt(w, body);

    /* Which variables must live in the frame. */
    for (;;) {
        for (int i = 0; i < fn->nvars; i++)
            fn->vars[i].saved = false;
        for (int c = 0; c < fn->ncalls; c++) {
            free(fn->calls[c].live);
            fn->calls[c].live = NULL;
            fn->calls[c].nlive = 0;
            free(fn->calls[c].live_temps);
            fn->calls[c].live_temps = NULL;
            fn->calls[c].nlive_temps = 0;
        }
        compute_liveness(prog, fn);
        if (!resolve_shadowing(fn))
            break;
    }
    fn->frame_align = 8;
    for (int i = 0; i < fn->nvars; i++) {
        var *v = &fn->vars[i];
        if (!v->resident && !v->saved)
            continue;
        fn->any_resident |= v->resident;
        /* A field name unique within the frame. */
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
        const char *why = unnameable_type(fn, src, clang_getCursorType(v->decl));
        if (why)
            diag_at(src, v->decl_begin, DIAG_ERROR,
                    "variable '%s' must be kept in the heap frame, but %s", v->name, why);
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
    share_slots(fn);
    /* Native locals are declared at the top of the rewritten function, so
     * that no jump to a resume point enters their scope (gcc's
     * -Wdangling-pointer misreads such jumps); a name declared twice stays
     * where it is. */
    for (int i = 0; i < fn->nvars; i++) {
        var *v = &fn->vars[i];
        if (v->is_param || v->is_static || v->resident)
            continue;
        bool unique = true;
        for (int j = 0; j < fn->nvars && unique; j++)
            unique = j == i || strcmp(fn->vars[j].name, v->name) != 0;
        /* A for header cannot hold a declaration after an assignment:
         * its locals stay unless they must be saved. */
        v->hoisted = (unique && !v->in_for_header) || v->saved;
    }
    /* The declarators of one for header are hoisted together or not at all
     * (they become one expression there). */
    for (int i = 0; i < fn->nvars; i++) {
        var *v = &fn->vars[i];
        if (!v->in_for_header || !v->hoisted)
            continue;
        for (int j = 0; j < fn->nvars; j++) {
            var *u = &fn->vars[j];
            if (!u->in_for_header || u->hoisted || u->resident || u->scope_end != v->scope_end)
                continue;
            bool unique = true;
            for (int k = 0; k < fn->nvars && unique; k++)
                unique = k == j || strcmp(fn->vars[k].name, u->name) != 0;
            if (unique)
                u->hoisted = true;
            else
                diag_at(src, u->decl_begin, DIAG_ERROR,
                        "'%s' is declared in the same for statement as '%s', which lives "
                        "across a recursive call, and its name is used again in the "
                        "function; declare it before the loop", u->name, v->name);
        }        if (v->hoisted && unnameable_type(fn, src, clang_getCursorType(v->decl)))
            v->hoisted = v->saved; /* saved ones were diagnosed above */
    }
}

int analyze(program *prog, const options *opt)
{
    diag_state *d = prog->src->diag;
    int before = d->errors;
    select_functions(prog, opt);
    for (int i = 0; i < prog->nfns; i++) {
        function *fn = &prog->fns[i];
        buf *saved = d->capture;
        int errors = d->errors;
        d->capture = &fn->report;
        analyze_function(prog, fn);
        d->capture = saved;
        fn->errors = d->errors - errors;
    }
    for (int i = 0; i < prog->nfns; i++)
        mark_tail_calls(prog, &prog->fns[i]);
    return d->errors - before;
}

void program_fini(program *prog)
{
    for (int i = 0; i < prog->nfns; i++)
        function_fini(&prog->fns[i]);
    free(prog->fns);
    prog->fns = NULL;
    prog->nfns = 0;
}
