/*
 * ir.c - the IR: each selected function's body, read once from libclang.
 *
 * For every function select.c chose, this stage walks the body's cursors
 * once and builds what every later stage reads instead of libclang:
 *   - a tree of statement nodes (tool.h's `node`): the statements lowering
 *     visits, each with its source range, its child statements, a loop's
 *     init/cond/inc/body, a declaration's declarators, a return's value;
 *   - the items: every recursive call (with its arguments) and every lazy
 *     operator (&&, ||, ?:, comma) with a call in an operand that may not
 *     run, each listed by the statement it is hoisted in front of, or by
 *     the operand of the lazy item around it;
 *   - the variables, and every use of them (by index), with the facts the
 *     liveness of live.c needs: the statement and block of each use,
 *     loops, labels, jumps;
 *   - a diagnostic for every construct the rewrite cannot keep correct.
 *     Nothing is ever rewritten silently wrong: a call the statement tree
 *     does not reach is an error too.
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- cursor helpers ---- */

/* The operator a macro used at OFFSET stands for, when its whole body is
 * one operator token (`#define AND &&`); false if it is anything else. */
static bool macro_operator(const source *src, unsigned offset, char op[4])
{
    CXSourceLocation loc = clang_getLocationForOffset(src->tu, src->file, offset);
    CXCursor use = clang_getCursor(src->tu, loc);
    if (clang_getCursorKind(use) != CXCursor_MacroExpansion)
        return false;
    CXCursor def = clang_getCursorReferenced(use);
    if (clang_getCursorKind(def) != CXCursor_MacroDefinition ||
        clang_Cursor_isMacroFunctionLike(def))
        return false;
    CXToken *tokens;
    unsigned n;
    clang_tokenize(src->tu, clang_getCursorExtent(def), &tokens, &n);
    bool found = false;
    /* The macro's name, then its body. */
    if (n == 2 && clang_getTokenKind(tokens[1]) == CXToken_Punctuation) {
        char *s = cx_take(clang_getTokenSpelling(src->tu, tokens[1]));
        found = strlen(s) < 4;
        if (found)
            strcpy(op, s);
        free(s);
    }
    clang_disposeTokens(src->tu, tokens, n);
    return found;
}

/* The operator spelled at OFFSET (before LIMIT), directly or through a
 * macro; false if it cannot be told. */
static bool operator_at(const source *src, unsigned offset, unsigned limit, char op[4])
{
    if (text_operator(src, offset, limit, op))
        return true;
    return offset < limit && text_is_ident_char(src->text[offset]) &&
           macro_operator(src, offset, op);
}

/* Child I of C, if C has N children; else the null cursor. */
static CXCursor child_of(CXCursor c, int n, int i)
{
    cursors cs = cursor_children(c);
    CXCursor child = cs.n == n ? cs.v[i] : clang_getNullCursor();
    free(cs.v);
    return child;
}

/* Where expression C ends, as source_range has it, without asking clang
 * where C begins: on a left-nested chain `a + b + c + ...` that costs the
 * chain's depth (expr_range). A binary operator ends where its right
 * operand does. */
static unsigned expr_end(const source *src, CXCursor c)
{
    while (clang_getCursorKind(c) == CXCursor_BinaryOperator) {
        CXCursor right = child_of(c, 2, 1);
        if (clang_Cursor_isNull(right))
            break;
        c = right;
    }
    return source_offset(src, clang_getRangeEnd(clang_getCursorExtent(c)));
}

/* The operator of a binary operator cursor, between its operands; false
 * (and "") if it cannot be told. */
static bool binary_operator(const source *src, CXCursor c, char op[4])
{
    op[0] = '\0';
    cursors cs = cursor_children(c);
    unsigned le = (unsigned)-1, rb, re;
    bool found = false;
    if (cs.n == 2 && (le = expr_end(src, cs.v[0])) != (unsigned)-1 &&
        source_range(src, cs.v[1], &rb, &re) && le <= rb)
        found = operator_at(src, text_skip_blank(src, le, rb), rb, op);
    free(cs.v);
    return found;
}

/* Does unary operator C take its operand's address? Told from the types
 * (the result points to the operand's type), not from the text, which a
 * macro may spell. */
static bool takes_address(CXCursor c)
{
    cursors cs = cursor_children(c);
    bool address = false;
    if (cs.n == 1) {
        CXType result = clang_getCanonicalType(clang_getCursorType(c));
        CXType operand = clang_getCanonicalType(clang_getCursorType(cs.v[0]));
        address = result.kind == CXType_Pointer &&
                  clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(result)), operand);
    }
    free(cs.v);
    return address;
}

/* Strips parentheses and implicit conversions. */
static CXCursor strip(CXCursor c)
{
    for (;;) {
        enum CXCursorKind k = clang_getCursorKind(c);
        CXCursor inner = k == CXCursor_ParenExpr || k == CXCursor_UnexposedExpr
                             ? child_of(c, 1, 0)
                             : clang_getNullCursor();
        if (clang_Cursor_isNull(inner))
            return c;
        c = inner;
    }
}

/* The name of the function a CallExpr calls directly, or NULL. */
static char *callee_name(CXCursor call)
{
    CXCursor ref = clang_getCursorReferenced(call);
    if (clang_Cursor_isNull(ref) || clang_getCursorKind(ref) != CXCursor_FunctionDecl)
        return NULL;
    return cx_take(clang_getCursorSpelling(ref));
}

/* The rewritten function a CallExpr calls directly, or NULL. */
static const function *target_of(const program *prog, CXCursor call)
{
    CXCursor ref = clang_getCursorReferenced(call);
    if (clang_Cursor_isNull(ref) || clang_getCursorKind(ref) != CXCursor_FunctionDecl)
        return NULL;
    char *usr = select_usr(ref);
    const function *found = NULL;
    for (int i = 0; i < prog->nfns && !found; i++)
        if (!strcmp(usr, prog->fns[i].usr))
            found = &prog->fns[i];
    free(usr);
    return found;
}

/* ---- types ---- */

/* Drops one top-level qualifier from the spelling S; false if none. */
static bool drop_qualifier(char *s, bool pointer)
{
    size_t n = strlen(s);
    /* Leading qualifiers are top-level unless a `*` follows them (a
     * typedef'd pointer type has none); a pointer's own follow its `*`. */
    bool leading = !pointer || !strchr(s, '*');
    if (leading && text_starts_with(s, "const "))
        memmove(s, s + 6, n - 5);
    else if (leading && text_starts_with(s, "volatile "))
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
        return false;
    return true;
}

/* The spelling of T without top-level const/volatile: the type of a frame
 * field or of a variable the rewrite assigns. */
static char *unqualified_spelling(CXType t)
{
    char *s = cx_take(clang_getTypeSpelling(t));
    if (strstr(s, "typeof")) {
        /* `__typeof__(f(n))` names an expression, which means nothing
         * where the rewrite declares the variable: the type it stands for. */
        free(s);
        t = clang_getCanonicalType(t);
        s = cx_take(clang_getTypeSpelling(t));
    }
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
    bool pointer = clang_getCanonicalType(t).kind == CXType_Pointer;
    while (drop_qualifier(s, pointer))
        ;
    return s;
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

/* A label's name where it is defined or a goto names it. */
typedef struct label_use {
    char *name;
    unsigned offset;   /* of the name; -1 when a macro spells it */
    unsigned at;       /* where to point a diagnostic */
    bool def;
} label_use;

typedef struct label_uses {
    label_use *v;
    int n, cap;
} label_uses;

typedef struct walk {
    const source *src;
    label_uses *labels;
    program *prog;
    function *fn;
    unsigned stmt_begin;  /* the statement calls are hoisted before */
    unsigned stmt_end;
    unsigned block;       /* the block holding that statement, or -1 */
    unsigned child_block; /* the block of statements directly inside */
    const char *lazy;     /* under a conditionally evaluated operand */
    bool for_header;      /* declarations of a for statement's header */
    bool unevaluated;     /* under sizeof/_Alignof */
    bool address_of;      /* under unary & */
    bool assign_lhs;      /* the left side of `=` */
    bool stmt_expr;       /* inside a GNU statement expression */
    CXCursor left;        /* a left operand of a binary operator ... */
    unsigned left_begin;  /* ... and where it begins, or -1 (expr_range) */
    unsigned scope_end;
} walk;

static node *walk_stmt(walk w, CXCursor s);
static void walk_expr(walk w, CXCursor e);

/* Does a macro write the first token of statement S, at B (libclang maps
 * such a token to the macro use)? Told by its keyword. */
static bool starts_in_macro(const source *src, enum CXCursorKind k, unsigned b)
{
    static const struct {
        enum CXCursorKind kind;
        const char *keyword;
    } keywords[] = {{CXCursor_ForStmt, "for"},       {CXCursor_WhileStmt, "while"},
                    {CXCursor_DoStmt, "do"},         {CXCursor_IfStmt, "if"},
                    {CXCursor_SwitchStmt, "switch"}, {CXCursor_ReturnStmt, "return"},
                    {CXCursor_CaseStmt, "case"},     {CXCursor_DefaultStmt, "default"}};
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
        if (keywords[i].kind == k)
            return !text_spelled_at(src, b, keywords[i].keyword);
    return k == CXCursor_CompoundStmt && src->text[b] != '{';
}

static node *new_node(function *fn, node_kind kind, unsigned begin, unsigned end)
{
    node *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    n->begin = begin;
    n->end = end;
    VEC_PUSH(fn->nodes, fn->nnodes, fn->capnodes, n);
    return n;
}

/* Lowering copies a statement's text, lowering child statements where
 * they stand; AT is where the copy has got to. A child out of the file or
 * overlapping what was copied (macros) is left to the copy. */
static void add_kid(const source *src, node *parent, unsigned *at, CXCursor child, node *kid)
{
    if (kid) {
        node **last = parent->nkids ? &parent->kids[parent->nkids - 1] : NULL;
        if (kid->begin >= *at) {
            VEC_PUSH(parent->kids, parent->nkids, parent->capkids, kid);
            *at = kid->end;
        } else if (last && (*last)->begin == kid->begin && kid->end > (*last)->end) {
            /* One macro use writes both (`char *k; for (...)`, then the
             * user's body): the statement reaching furthest stands for
             * the use, and the first is copied with it. */
            *last = kid;
            *at = kid->end;
        }
        return;
    }
    if (clang_isStatement(clang_getCursorKind(child)))
        return; /* a statement a macro writes whole: part of the copied text */
    unsigned cb, ce;
    if (source_range(src, child, &cb, &ce) && cb >= *at)
        *at = ce;
}

/* Lists in L the items recorded since FIRST that are hoisted at KEY and
 * that no statement inside has taken. */
static void take_items(function *fn, item_list *l, int first, unsigned key)
{
    for (int i = first; i < fn->nitems; i++) {
        item *k = &fn->items[i];
        if (k->owner == -1 && k->stmt_begin == key && !k->attached) {
            k->attached = true;
            VEC_PUSH(l->v, l->n, l->cap, i);
        }
    }
}

/* A search of a cursor's descendants for one that MATCH accepts. */
typedef struct search {
    bool (*match)(CXCursor c, const struct search *s);
    const program *prog;
    int group;        /* a call to a function of this group */
    const char *name; /* a label of this name */
    bool found;
} search;

static bool is_group_call(CXCursor c, const search *s);

static enum CXChildVisitResult search_visit(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    search *s = data;
    s->found |= s->match(c, s);
    return s->found ? CXChildVisit_Break : CXChildVisit_Recurse;
}

/* search_visit, but not under sizeof and _Alignof, which do not evaluate. */
static enum CXChildVisitResult evaluated_visit(CXCursor c, CXCursor parent, CXClientData data)
{
    if (clang_getCursorKind(c) == CXCursor_UnaryExpr)
        return CXChildVisit_Continue;
    return search_visit(c, parent, data);
}

static bool is_label_named(CXCursor c, const search *s)
{
    if (clang_getCursorKind(c) != CXCursor_LabelStmt)
        return false;
    char *name = cx_take(clang_getCursorSpelling(c));
    bool same = !strcmp(name, s->name);
    free(name);
    return same;
}

static bool function_has_label(const function *fn, const char *name)
{
    search ls = {is_label_named, NULL, 0, name, false};
    clang_visitChildren(fn->cursor, search_visit, &ls);
    return ls.found;
}

static int find_var(const function *fn, CXCursor decl)
{
    for (int i = 0; i < fn->nvars; i++)
        if (clang_equalCursors(fn->vars[i].decl, decl))
            return i;
    return -1;
}

/* A parameter declared with an array or function type has a pointer type
 * (C11 6.7.6.3p7-8): `int a[4]`, `int a[static n]`, `int a[][2]` and
 * `int op(int)` are `int *`, `int (*)[2]` and `int (*)(int)`, and so must
 * be its frame field (libclang shows only the type as declared). Returns
 * that pointer type's spelling; NULL if T is not such a type, or, with
 * *WHY set, if the pointer type cannot be spelled at file scope. */
static char *adjusted_param_spelling(CXType t, const char **why)
{
    CXType c = clang_getCanonicalType(t);
    bool function = c.kind == CXType_FunctionProto || c.kind == CXType_FunctionNoProto;
    bool array = c.kind == CXType_ConstantArray || c.kind == CXType_IncompleteArray ||
                 c.kind == CXType_VariableArray;
    if (!array && !function)
        return NULL;
    buf b = {0};
    bool named = t.kind == CXType_Typedef || t.kind == CXType_Elaborated;
    if (function) {
        char *s = cx_take(clang_getTypeSpelling(t));
        const char *paren = strchr(s, '(');
        if (named) {
            buf_printf(&b, "%s *", s);
        } else if (!paren || strstr(s, "(*")) {
            *why = "its function type returns a pointer to a function or an array; name the "
                   "return type with a typedef";
        } else {
            buf_put(&b, s, (size_t)(paren - s));
            buf_printf(&b, "(*)%s", paren);
        }
        free(s);
        return b.data;
    }
    CXType elem = clang_getArrayElementType(named ? c : t);
    if (clang_getCanonicalType(elem).kind == CXType_VariableArray) {
        *why = "it points to a variable-length array";
        return NULL;
    }
    char *e = cx_take(clang_getTypeSpelling(elem));
    const char *group = strstr(e, "(*");
    if (group) {
        /* `int (*)(int)` -> `int (**)(int)`; not `int (*[3])(int)`. */
        const char *at = group + 2;
        while (*at == '*')
            at++;
        if (*at == ')') {
            buf_put(&b, e, (size_t)(at - e));
            buf_printf(&b, "*%s", at);
        } else {
            *why = "its elements are arrays of pointers to functions or arrays; name the "
                   "element type with a typedef";
        }
    } else if (strchr(e, '[')) {
        text_declare(&b, e, "(*)"); /* `int [2]` -> `int (*)[2]` */
    } else {
        buf_printf(&b, "%s *", e);
    }
    free(e);
    return b.data;
}

/* Whether a declaration's text has a `const` or `volatile` between
 * brackets (or one that looks like it, which only costs speed). */
static bool bracket_qualified(const source *src, unsigned begin, unsigned end)
{
    int depth = 0;
    for (unsigned i = begin; i < end && i < src->len; i++) {
        char c = src->text[i];
        depth += c == '[' ? 1 : c == ']' ? -1 : 0;
        bool word = i == 0 || !text_is_ident_char(src->text[i - 1]);
        if (depth > 0 && word &&
            (text_spelled_at(src, i, "const") || text_spelled_at(src, i, "volatile")))
            return true;
    }
    return false;
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
    source_range(w->src, decl, &v.decl_begin, &v.decl_end);
    v.in_macro = !is_param &&
                 !text_spelled_at(w->src, source_offset(w->src, clang_getCursorLocation(decl)),
                                  v.name);
    v.scope_begin = is_param ? fn->body_begin : v.decl_end;
    v.scope_end = is_param ? fn->body_end : w->scope_end;
    enum CX_StorageClass sc = clang_Cursor_getStorageClass(decl);
    v.is_static = sc == CX_SC_Static || sc == CX_SC_Extern;
    if (sc == CX_SC_Static)
        fn->has_static_local = true;
    CXType t = clang_getCursorType(decl);
    const char *why = NULL;
    char *adjusted = is_param ? adjusted_param_spelling(t, &why) : NULL;
    if (adjusted || why) {
        if (why)
            diag_at(w->src, v.decl_begin, DIAG_ERROR,
                    "parameter '%s' has an array or function type whose pointer type cannot "
                    "be kept in a heap frame: %s", v.name, why);
        v.type = adjusted ? adjusted : xstrdup("void *");
        CXType c = clang_getCanonicalType(t);
        bool function = c.kind == CXType_FunctionProto || c.kind == CXType_FunctionNoProto;
        v.unnameable = unnameable_type(fn, w->src, function ? c : clang_getArrayElementType(c));
        v.align = (unsigned)sizeof(void *);
        /* `int a[const 4]`: a const pointer, which the rewrite assigns
         * (libclang does not show the qualifiers between the brackets). */
        v.resident = bracket_qualified(w->src, v.decl_begin, v.decl_end);
        VEC_PUSH(fn->vars, fn->nvars, fn->capvars, v);
        return fn->nvars - 1;
    }
    v.type = unqualified_spelling(t);
    v.unnameable = unnameable_type(fn, w->src, t);
    long long align = clang_Type_getAlignOf(t);
    v.align = align > 0 ? (unsigned)align : 8;
    v.is_array = t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray;
    if (!v.is_static) {
        if (t.kind == CXType_VariableArray)
            diag_at(w->src, v.decl_begin, DIAG_ERROR,
                    "variable-length array '%s' in a rewritten function is not supported; "
                    "use a fixed size or allocate it with malloc", v.name);
        if (v.is_array)
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

static item *new_item(walk *w, item_kind kind, unsigned begin, unsigned end)
{
    function *fn = w->fn;
    item k = {0};
    k.kind = kind;
    k.owner = -1;
    k.begin = begin;
    k.end = end;
    k.stmt_begin = w->stmt_begin;
    k.stmt_end = w->stmt_end;
    k.block = w->block;
    VEC_PUSH(fn->items, fn->nitems, fn->capitems, k);
    fn->items[fn->nitems - 1].id = fn->nitems;
    return &fn->items[fn->nitems - 1];
}

static void record_call(walk *w, CXCursor c, unsigned begin, unsigned end,
                        const function *callee)
{
    const source *src = w->src;
    if (w->unevaluated)
        return; /* sizeof(f(x)) calls nothing */
    /* The call must be spelled in the file as written: a call produced by a
     * macro cannot be edited in place. */
    unsigned exp_off;
    clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), NULL, NULL, NULL,
                               &exp_off);
    if (!text_spelled_at(src, begin, callee->name) || exp_off != begin) {
        VEC_PUSH(w->prog->expand, w->prog->nexpand, w->prog->capexpand, begin);
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
    int nargs = clang_Cursor_getNumArguments(c);
    int nparams = clang_Cursor_getNumArguments(callee->cursor);
    if (nargs != nparams) {
        /* Only a function without a prototype can be called so: each
         * parameter is assigned an argument, and every argument evaluated. */
        diag_at(src, begin, DIAG_ERROR,
                "recursive call to '%s' with %d argument%s, but it has %d parameter%s (it has "
                "no prototype); pass one argument per parameter", callee->name, nargs,
                nargs == 1 ? "" : "s", nparams, nparams == 1 ? "" : "s");
        return;
    }
    item *k = new_item(w, ITEM_CALL, begin, end);
    k->callee = (int)(callee - w->prog->fns);
    k->value_used = true;
    k->nargs = nargs;
    k->args = xcalloc((size_t)k->nargs + 1, sizeof *k->args);
    for (int i = 0; i < k->nargs; i++)
        source_range(src, clang_Cursor_getArgument(c, (unsigned)i), &k->args[i].begin,
                     &k->args[i].end);
}

/* Records a lazy operator E whose operands hold the items recorded from
 * index FIRST on, operand I's items starting at SPLIT[I]; only needed when
 * an operand other than the first holds a call. */
static void record_lazy(walk *w, CXCursor e, const char *op, const span *ops, int nops,
                        const int *split, int first)
{
    function *fn = w->fn;
    if (fn->nitems == split[1] || w->unevaluated)
        return; /* calls only in the first operand: hoisted as usual */
    unsigned b, en;
    source_range(w->src, e, &b, &en);
    int self = fn->nitems;
    item *k = new_item(w, ITEM_LAZY, b, en);
    snprintf(k->op, sizeof k->op, "%s", op);
    k->nops = nops;
    for (int i = 0; i < nops; i++)
        k->ops[i] = ops[i];
    CXType t = clang_getCursorType(e);
    if (!strcmp(op, "&&") || !strcmp(op, "||"))
        k->type = xstrdup("int");
    else if (t.kind != CXType_Void)
        k->type = unqualified_spelling(t);
    k->value_used = k->type != NULL;
    for (int i = first; i < self; i++) {
        item *inner = &fn->items[i];
        if (inner->owner != -1)
            continue;
        inner->owner = self;
        int op_index = 0;
        while (op_index + 1 < nops && i >= split[op_index + 1])
            op_index++;
        inner->owner_op = op_index;
        item_list *l = &fn->items[self].inner[op_index];
        VEC_PUSH(l->v, l->n, l->cap, i);
    }
}

static void walk_children_expr(walk w, CXCursor e)
{
    cursors cs = cursor_children(e);
    for (int i = 0; i < cs.n; i++)
        walk_expr(w, cs.v[i]);
    free(cs.v);
}

/* Builtins whose arguments are not evaluated. */
static bool unevaluated_builtin(CXCursor call)
{
    char *name = callee_name(call);
    bool yes = name && (!strcmp(name, "__builtin_constant_p") ||
                        !strcmp(name, "__builtin_types_compatible_p") ||
                        !strcmp(name, "__builtin_object_size"));
    free(name);
    return yes;
}

static void walk_call(walk w, CXCursor e, unsigned b, unsigned en, bool in_file)
{
    reject_call_to(&w, e, b);
    const function *callee = target_of(w.prog, e);
    if (!callee) {
        w.unevaluated |= unevaluated_builtin(e);
        walk_children_expr(w, e);
        return;
    }
    /* Arguments first: they are evaluated (and hoisted) before the call. */
    int nargs = clang_Cursor_getNumArguments(e);
    for (int i = 0; i < nargs; i++)
        walk_expr(w, clang_Cursor_getArgument(e, (unsigned)i));
    /* Another cycle's function: an ordinary call of its wrapper. */
    if (callee->group == w.fn->group && in_file)
        record_call(&w, e, b, en, callee);
}

/* When the expression X, walked from item BEFORE on, is itself one item (a
 * recursive call, or a lazy operator) whose value is discarded: marks it
 * so (no result is kept, and nothing is left in its place to warn of an
 * unused value). */
static void discard_whole(walk *w, CXCursor x, int before)
{
    function *fn = w->fn;
    unsigned xb, xe;
    if (fn->nitems > before && source_range(w->src, strip(x), &xb, &xe) &&
        xb == fn->items[fn->nitems - 1].begin && xe == fn->items[fn->nitems - 1].end)
        fn->items[fn->nitems - 1].value_used = false;
}

/* source_range, linear on a left-nested chain `a + b + c + ...`: clang
 * finds where a binary operator begins by asking its left operand, all the
 * way down the chain, so asking every operator of a chain of N costs N^2
 * (1 s at 16,000 terms). A left operand begins where its operator does,
 * which the walk knows (W's left and left_begin); where it ends, expr_end
 * tells. */
static bool expr_range(const walk *w, CXCursor e, unsigned *b, unsigned *en)
{
    if (w->left_begin == (unsigned)-1 || clang_getCursorKind(e) != CXCursor_BinaryOperator ||
        !clang_equalCursors(e, w->left))
        return source_range(w->src, e, b, en);
    *b = w->left_begin;
    *en = expr_end(w->src, e);
    return *en != (unsigned)-1 && *b <= *en && *en <= w->src->len;
}

static void walk_binary(walk w, CXCursor e, unsigned b, bool in_file)
{
    function *fn = w.fn;
    char op[4];
    bool known = binary_operator(w.src, e, op);
    cursors cs = cursor_children(e);
    if (cs.n == 2) {
        walk l = w, r = w;
        l.left = cs.v[0];
        l.left_begin = in_file ? b : (unsigned)-1;
        bool lazy = !strcmp(op, "&&") || !strcmp(op, "||") || !strcmp(op, ",");
        if (lazy)
            r.lazy = !strcmp(op, ",") ? "," : (op[0] == '&' ? "&&" : "||");
        if (!strcmp(op, "="))
            l.assign_lhs = true;
        int split[3] = {fn->nitems, 0, 0};
        span ops[2];
        expr_range(&l, cs.v[0], &ops[0].begin, &ops[0].end);
        source_range(w.src, cs.v[1], &ops[1].begin, &ops[1].end);
        walk_expr(l, cs.v[0]);
        if (!strcmp(op, ","))
            discard_whole(&l, cs.v[0], split[0]); /* `(f(...), x)` */
        split[1] = fn->nitems;
        walk_expr(r, cs.v[1]);
        if (!known && fn->nitems > split[0] && in_file)
            diag_at(w.src, ops[0].end, DIAG_ERROR,
                    "cannot tell which operator this is (it comes from a macro), and an "
                    "operand calls '%s': if it is '&&', '||' or ',' the call must not always "
                    "run; write the operator itself", fn->name);
        if (lazy && in_file)
            record_lazy(&w, e, r.lazy, ops, 2, split, split[0]);
    }
    free(cs.v);
}

static void walk_conditional(walk w, CXCursor e, unsigned b, bool in_file)
{
    function *fn = w.fn;
    cursors cs = cursor_children(e);
    int split[3] = {fn->nitems, 0, 0};
    span ops[3] = {{0, 0}, {0, 0}, {0, 0}};
    for (int i = 0; i < cs.n && i < 3; i++) {
        walk x = w;
        if (i > 0) {
            x.lazy = "?:";
            split[i] = fn->nitems;
        }
        source_range(w.src, cs.v[i], &ops[i].begin, &ops[i].end);
        walk_expr(x, cs.v[i]);
    }
    if (cs.n == 3 && in_file) {
        record_lazy(&w, e, "?:", ops, 3, split, split[0]);
    } else if (cs.n == 2 && fn->nitems > split[1]) {
        diag_at(w.src, b, DIAG_ERROR,
                "recursive call in the GNU 'a ?: b' operator is not supported; write "
                "'a ? a : b' with a local instead");
    }
    free(cs.v);
}

static void walk_decl_ref(walk w, CXCursor e, unsigned b, bool in_file, bool lhs)
{
    function *fn = w.fn;
    CXCursor decl = clang_getCursorReferenced(e);
    enum CXCursorKind rk = clang_getCursorKind(decl);
    if (rk == CXCursor_FunctionDecl) {
        const function *target = NULL;
        char *usr = select_usr(decl);
        for (int i = 0; i < w.prog->nfns; i++)
            if (!strcmp(usr, w.prog->fns[i].usr))
                target = &w.prog->fns[i];
        free(usr);
        if (target && in_file && !w.unevaluated)
            diag_at(w.src, b, DIAG_WARNING,
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
    unsigned at = source_offset(w.src, clang_getCursorLocation(e));
    if (w.address_of)
        fn->vars[vi].resident = true;
    ref r = {at, vi, lhs, lhs && !w.lazy && !w.unevaluated, w.stmt_begin, w.block, at};
    if (!text_spelled_at(w.src, at, fn->vars[vi].name))
        r.offset = (unsigned)-1; /* written by a macro: checked when resident */
    VEC_PUSH(fn->refs, fn->nrefs, fn->caprefs, r);
}

/* A compound literal's storage belongs to the enclosing block, which
 * every level of the state machine shares: a pointer to it must not be
 * kept. */
static void walk_compound_literal(walk w, CXCursor e, unsigned b, bool in_file)
{
    CXType t = clang_getCanonicalType(clang_getCursorType(e));
    bool array = t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray;
    if ((array || w.address_of) && !w.unevaluated && in_file)
        diag_at(w.src, b, DIAG_ERROR,
                "a pointer to a compound literal in a rewritten function is not supported: "
                "its storage would be shared by every level of the recursion; use a "
                "local variable instead");
    walk_children_expr(w, e);
}

/* __func__, __FUNCTION__ and __PRETTY_FUNCTION__ are string literals to
 * libclang, spelled by those names (here or in a macro's definition). */
static void note_function_name(const source *src, function *fn, CXCursor e)
{
    CXToken *tok = clang_getToken(src->tu, clang_getCursorLocation(e));
    if (!tok)
        return;
    char *name = cx_take(clang_getTokenSpelling(src->tu, *tok));
    clang_disposeTokens(src->tu, tok, 1);
    if (!strcmp(name, "__func__"))
        fn->says_func = true;
    else if (!strcmp(name, "__FUNCTION__"))
        fn->says_function = true;
    else if (!strcmp(name, "__PRETTY_FUNCTION__") && !fn->pretty_name)
        fn->pretty_name = cx_take(clang_getCursorSpelling(e));
    free(name);
}

/* _Generic: only the selected association runs, and the controlling
 * expression not at all; which one runs is the compiler's to say. */
static void walk_generic(walk w, CXCursor e, unsigned b, bool in_file)
{
    w.unevaluated = true;
    walk_children_expr(w, e);
    search calls = {is_group_call, w.prog, w.fn->group, NULL, false};
    clang_visitChildren(e, search_visit, &calls);
    if (calls.found && in_file)
        diag_at(w.src, b, DIAG_ERROR,
                "recursive call inside _Generic is not supported; select the function "
                "with _Generic and call it outside");
}

static void walk_expr(walk w, CXCursor e)
{
    unsigned b = 0, en = 0;
    bool in_file = expr_range(&w, e, &b, &en);
    w.left_begin = (unsigned)-1;
    enum CXCursorKind k = clang_getCursorKind(e);
    bool lhs = w.assign_lhs;
    w.assign_lhs = false;

    switch (k) {
    case CXCursor_CallExpr:
        walk_call(w, e, b, en, in_file);
        return;
    case CXCursor_BinaryOperator:
        walk_binary(w, e, b, in_file);
        return;
    case CXCursor_ConditionalOperator:
        walk_conditional(w, e, b, in_file);
        return;
    case CXCursor_UnaryOperator:
        if (takes_address(e))
            w.address_of = true;
        walk_children_expr(w, e);
        return;
    case CXCursor_UnaryExpr: /* sizeof, _Alignof: not evaluated */
        w.unevaluated = true;
        walk_children_expr(w, e);
        return;
    case CXCursor_GenericSelectionExpr:
        walk_generic(w, e, b, in_file);
        return;
    case CXCursor_StmtExpr: {
        w.stmt_expr = true;
        cursors cs = cursor_children(e);
        for (int i = 0; i < cs.n; i++)
            walk_stmt(w, cs.v[i]);
        free(cs.v);
        return;
    }
    case CXCursor_CompoundLiteralExpr:
        walk_compound_literal(w, e, b, in_file);
        return;
    case CXCursor_StringLiteral:
        note_function_name(w.src, w.fn, e);
        return;
    case CXCursor_AddrLabelExpr:
        diag_at(w.src, b, DIAG_ERROR,
                "label address ('&&label') in a rewritten function is not supported; use a "
                "switch instead of computed goto");
        return;
    case CXCursor_ParenExpr:
    case CXCursor_UnexposedExpr:
        w.assign_lhs = lhs;
        walk_children_expr(w, e);
        return;
    case CXCursor_DeclRefExpr:
        walk_decl_ref(w, e, b, in_file, lhs);
        return;
    default:
        if (clang_isStatement(k))
            walk_stmt(w, e);
        else
            walk_children_expr(w, e);
        return;
    }
}

/* ---- statements ---- */

static void add_loop(function *fn, unsigned b, unsigned e)
{
    span s = {b, e};
    VEC_PUSH(fn->loops, fn->nloops, fn->caploops, s);
}

/* Walks declarator D (its initializer and array sizes) in the statement's
 * context, and lists it in N. */
static void walk_declarator(walk w, node *n, CXCursor d, bool followed)
{
    declarator dc = {0};
    dc.var = add_var(&w, d, false);
    dc.followed = followed;
    source_range(w.src, d, &dc.begin, &dc.end);
    dc.name = source_offset(w.src, clang_getCursorLocation(d));
    dc.init = text_initializer_start(w.src, dc.name, dc.end);
    /* A declarator a macro writes in part (`DECLARE(x)` giving `long x =
     * 0`) cannot be taken apart in the text. */
    bool has_init = !clang_Cursor_isNull(clang_Cursor_getVarDeclInitializer(d));
    if ((has_init && !dc.init) || dc.name == (unsigned)-1 || dc.end <= dc.name)
        w.fn->vars[dc.var].in_macro = true;
    VEC_PUSH(n->decls, n->ndecls, n->capdecls, dc);
    /* Only the initializer runs: a call in the type (`__typeof__(f(n))`)
     * is never evaluated (a variably modified type is rejected). */
    CXCursor init = clang_Cursor_getVarDeclInitializer(d);
    if (!clang_Cursor_isNull(init))
        walk_expr(w, init);
}

static bool is_group_call(CXCursor c, const search *s)
{
    if (clang_getCursorKind(c) != CXCursor_CallExpr)
        return false;
    const function *callee = target_of(s->prog, c);
    return callee && callee->group == s->group;
}

/* Does a declarator after the first call a function of FN's cycle? */
static bool later_declarator_calls(const walk *w, const cursors *cs)
{
    search search = {is_group_call, w->prog, w->fn->group, NULL, false};
    bool first = true;
    for (int i = 0; i < cs->n && !search.found; i++) {
        if (clang_getCursorKind(cs->v[i]) != CXCursor_VarDecl)
            continue;
        if (!first)
            clang_visitChildren(cs->v[i], search_visit, &search);
        first = false;
    }
    return search.found;
}

/* A declaration. When a declarator after the first makes a recursive
 * call, the declaration is split into one per declarator (C sequences
 * full declarators, so `T a = f(x), b = f(a);` is `T a = f(x); T b =
 * f(a);`): each later one is a statement of its own, keyed by its name. */
static void walk_decl(walk w, node *n, const cursors *cs)
{
    function *fn = w.fn;
    n->split = later_declarator_calls(&w, cs);
    bool first = true;
    for (int i = 0; i < cs->n; i++) {
        int before = fn->nitems;
        enum CXCursorKind k = clang_getCursorKind(cs->v[i]);
        bool later = !first;
        if (k == CXCursor_VarDecl) {
            walk x = w;
            unsigned name = source_offset(w.src, clang_getCursorLocation(cs->v[i]));
            bool own = n->split && later && !w.for_header;
            if (own) {
                x.stmt_begin = name;
                source_range(w.src, cs->v[i], &name, &x.stmt_end);
            }
            walk_declarator(x, n, cs->v[i], i + 1 < cs->n);
            if (own)
                take_items(fn, &n->decls[n->ndecls - 1].items, before, x.stmt_begin);
            first = false;
        }
        if (w.for_header && later && fn->nitems > before)
            diag_at(w.src, fn->items[before].begin, DIAG_ERROR,
                    "recursive call to '%s' in a later declarator of a for header is not "
                    "supported; declare the variables before the loop",
                    w.prog->fns[fn->items[before].callee].name);
        else if (k == CXCursor_FunctionDecl && clang_isCursorDefinition(cs->v[i]))
            diag_at(w.src, n->begin, DIAG_ERROR,
                    "nested function in a rewritten function is not supported");
    }
}

/* A loop condition or increment: its calls are hoisted to where the
 * rewritten loop evaluates it, keyed by the expression's own offset. */
static void walk_loop_part(walk w, CXCursor e, span *part)
{
    unsigned b = 0, en = 0;
    if (source_range(w.src, e, &b, &en)) {
        w.stmt_begin = b;
        w.stmt_end = en;
        w.block = (unsigned)-1;
    }
    *part = (span){b, en};
    walk_expr(w, e);
}

/* while (cond) body, do body while (cond). */
static void walk_while(walk sub, node *n, const cursors *cs, bool is_do, bool from_macro)
{
    add_loop(sub.fn, n->begin, n->end);
    unsigned at = n->begin;
    for (int i = 0; i < cs->n; i++) {
        bool is_body = is_do ? i == 0 : i >= 1;
        node *kid = NULL;
        span part = {0, 0};
        if (is_body)
            kid = walk_stmt(sub, cs->v[i]);
        else
            walk_loop_part(sub, cs->v[i], &part);
        if (cs->n != 2)
            kid = NULL; /* not a loop lowering understands: copied */
        else if (from_macro)
            ; /* a macro writes its head: copied around its body */
        else if (is_body)
            n->body = kid;
        else
            n->cond = part;
        add_kid(sub.src, n, &at, cs->v[i], kid);
    }
}

static void walk_for(walk sub, node *n, const cursors *cs, unsigned b, unsigned e,
                     bool from_macro)
{
    const source *src = sub.src;
    add_loop(sub.fn, b, e);
    unsigned h[3], at = b;
    /* A header a macro writes is copied as it is, around its body. */
    bool ok = !from_macro && text_for_header(src, b, e, h);
    sub.scope_end = e;
    for (int i = 0; i < cs->n; i++) {
        unsigned cb, ce;
        bool in_file = source_range(src, cs->v[i], &cb, &ce);
        walk x = sub;
        node *kid = NULL;
        if (!ok || cb > h[2]) {
            kid = n->body = walk_stmt(x, cs->v[i]);
        } else if (cb < h[0]) {
            /* The header's declarations: their calls are hoisted before
             * the for statement, which runs them once. */
            if (clang_getCursorKind(cs->v[i]) == CXCursor_DeclStmt) {
                x.for_header = true;
                kid = n->init =
                    new_node(sub.fn, NODE_DECL, cb, in_file ? text_stmt_end(src, ce) : ce);
                cursors ds = cursor_children(cs->v[i]);
                walk_decl(x, kid, &ds);
                free(ds.v);
            } else {
                walk_expr(x, cs->v[i]);
                n->init_expr = (span){cb, ce};
            }
        } else {
            walk_loop_part(x, cs->v[i], cb < h[1] ? &n->cond : &n->inc);
        }
        if (ok || (from_macro && i == cs->n - 1))
            add_kid(src, n, &at, cs->v[i], kid);
    }
    if (!ok)
        n->body = NULL; /* a header the text scan cannot split: copied */
}

/* Records the label defined or named by cursor C (a LabelStmt or a
 * LabelRef) in the statement at B. */
static void record_label(walk w, CXCursor c, unsigned b, bool def)
{
    label_use u = {0};
    u.name = cx_take(clang_getCursorSpelling(c));
    u.at = source_offset(w.src, clang_getCursorLocation(c));
    u.offset = text_spelled_at(w.src, u.at, u.name) ? u.at : (unsigned)-1;
    if (u.at == (unsigned)-1)
        u.at = b;
    u.def = def;
    VEC_PUSH(w.labels->v, w.labels->n, w.labels->cap, u);
    if (def)
        VEC_PUSH(w.fn->labels, w.fn->nlabels, w.fn->caplabels, b);
}

/* Is NAME a label of FN's cycle other than FN's (or of FN too, if
 * OWN)? */
static bool cycle_has_label(const program *prog, const function *fn, const char *name, bool own)
{
    for (int i = 0; i < prog->nfns; i++) {
        const function *m = &prog->fns[i];
        if (m->group == fn->group && (own || m != fn) && function_has_label(m, name))
            return true;
    }
    return false;
}

/* The bodies of a cycle share one C function, and so one label namespace:
 * a label another member also defines is renamed FN__LABEL (with a number
 * if that is taken too), at its definition and at every goto. */
static void rename_labels(const program *prog, function *fn, const label_uses *uses)
{
    for (int i = 0; i < uses->n; i++) {
        const label_use *d = &uses->v[i];
        if (!d->def || !cycle_has_label(prog, fn, d->name, false))
            continue;
        buf to = {0};
        buf_printf(&to, "%s__%s", fn->prefix, d->name);
        for (int k = 2; cycle_has_label(prog, fn, to.data, true); k++) {
            to.len = 0;
            buf_printf(&to, "%s__%s_%d", fn->prefix, d->name, k);
        }
        for (int j = 0; j < uses->n; j++) {
            const label_use *u = &uses->v[j];
            if (strcmp(u->name, d->name) != 0)
                continue;
            if (u->offset == (unsigned)-1) {
                diag_at(prog->src, u->at, DIAG_ERROR,
                        "label '%s' must be renamed (another function of this recursion "
                        "cycle defines it too, and the cycle shares one state machine), but "
                        "a macro spells it here; write the label outside the macro",
                        u->name);
                continue;
            }
            edit e = {u->offset, (unsigned)strlen(u->name), xstrdup(to.data)};
            VEC_PUSH(fn->edits, fn->nedits, fn->capedits, e);
        }
        buf_fini(&to);
    }
}

static int by_offset(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* if, switch, case, default, label: which children are statements. */
static void walk_nesting(walk sub, node *n, const cursors *cs, enum CXCursorKind k)
{
    unsigned at = n->begin;
    for (int i = 0; i < cs->n; i++) {
        bool is_stmt = k == CXCursor_LabelStmt || k == CXCursor_CompoundStmt ||
                       ((k == CXCursor_IfStmt || k == CXCursor_SwitchStmt) && i >= 1) ||
                       ((k == CXCursor_CaseStmt || k == CXCursor_DefaultStmt) &&
                        i == cs->n - 1);
        node *kid = NULL;
        if (is_stmt)
            kid = walk_stmt(sub, cs->v[i]);
        else
            walk_expr(sub, cs->v[i]);
        add_kid(sub.src, n, &at, cs->v[i], kid);
    }
}

static void walk_return(walk sub, node *n, const cursors *cs)
{
    function *fn = sub.fn;
    if (!text_spelled_at(sub.src, n->begin, "return")) {
        VEC_PUSH(sub.prog->expand, sub.prog->nexpand, sub.prog->capexpand, n->begin);
        diag_at(sub.src, n->begin, DIAG_ERROR,
                "'return' inside a macro expansion cannot be rewritten; write the return "
                "statement outside the macro");
    }
    for (int i = 0; i < cs->n; i++)
        walk_expr(sub, cs->v[i]);
    if (cs->n == 0)
        return;
    n->has_value = true;
    source_range(sub.src, cs->v[0], &n->value.begin, &n->value.end);
    if (cs->n == 1 && fn->nitems > 0) {
        /* `return f(...);` with nothing done to the result: a tail call. */
        item *last = &fn->items[fn->nitems - 1];
        unsigned xb, xe;
        CXCursor x = strip(cs->v[0]);
        if (clang_getCursorKind(x) == CXCursor_CallExpr && source_range(sub.src, x, &xb, &xe) &&
            xb == last->begin && xe == last->end)
            last->tail_candidate = true;
    }
}

/* C stripped (strip), and of `__extension__`s (a unary operator to clang)
 * too. */
static CXCursor strip_extension(const source *src, CXCursor c)
{
    for (;;) {
        c = strip(c);
        unsigned b, e;
        if (clang_getCursorKind(c) != CXCursor_UnaryOperator || !source_range(src, c, &b, &e) ||
            !text_spelled_at(src, b, "__extension__"))
            return c;
        CXCursor inner = child_of(c, 1, 0);
        if (clang_Cursor_isNull(inner))
            return c;
        c = inner;
    }
}

static void add_edit(function *fn, unsigned offset, unsigned end, const char *text)
{
    edit e = {offset, end - offset, xstrdup(text)};
    VEC_PUSH(fn->edits, fn->nedits, fn->capedits, e);
}

/* A statement `E, ({ ... });` or `({ ... });` (any parentheses and
 * `__extension__` around) whose braces make a recursive call: glibc's
 * assert(X) in GNU C is `((void) sizeof ((X) ? 1 : 0), __extension__ ({
 * if (X) ; else __assert_fail (...); }))`. A call cannot be rewritten
 * inside a statement expression (nothing may jump into one), but nothing
 * uses this one's value, so the statement means `{ E; { ... } }`: edits
 * make the text say so, and the braces are walked as a block statement, a
 * kid of N. Returns false, having done nothing, for any other statement,
 * and for one whose E calls (to be hoisted before the block, it would need
 * its text kept apart from the edits). */
static bool walk_discarded_stmt_expr(walk sub, node *n, CXCursor s)
{
    const source *src = sub.src;
    function *fn = sub.fn;
    CXCursor x = strip_extension(src, s), e = clang_getNullCursor();
    char op[4];
    if (clang_getCursorKind(x) == CXCursor_BinaryOperator && binary_operator(src, x, op) &&
        !strcmp(op, ",")) {
        cursors cs = cursor_children(x);
        e = cs.v[0];
        x = strip_extension(src, cs.v[1]);
        free(cs.v);
    }
    if (clang_getCursorKind(x) != CXCursor_StmtExpr)
        return false;
    search calls = {is_group_call, sub.prog, fn->group, NULL, false};
    clang_visitChildren(x, search_visit, &calls);
    cursors body = cursor_children(x);
    unsigned xb, xe, eb = 0, ee = 0, kb, ke;
    bool shaped = calls.found && body.n == 1 &&
                  clang_getCursorKind(body.v[0]) == CXCursor_CompoundStmt &&
                  source_range(src, x, &xb, &xe) && source_range(src, body.v[0], &kb, &ke) &&
                  src->text[xb] == '(' && src->text[xe - 1] == ')' &&
                  (clang_Cursor_isNull(e) || source_range(src, e, &eb, &ee));
    unsigned comma = shaped && !clang_Cursor_isNull(e) ? text_skip_blank(src, ee, xb) : 0;
    if (!shaped || (!clang_Cursor_isNull(e) && src->text[comma] != ',')) {
        free(body.v);
        return false;
    }
    if (!clang_Cursor_isNull(e)) {
        search in_e = {is_group_call, sub.prog, fn->group, NULL, false};
        clang_visitChildren(e, evaluated_visit, &in_e);
        if (in_e.found || is_group_call(e, &in_e)) {
            free(body.v);
            return false;
        }
        char first[4] = "{ ";
        first[2] = src->text[eb];
        add_edit(fn, n->begin, eb + 1, first);
        add_edit(fn, comma, xb + 1, "; ");
        walk_expr(sub, e);
    } else {
        add_edit(fn, n->begin, xb + 1, "{ ");
    }
    add_edit(fn, xe - 1, n->end, " }");
    n->kind = NODE_NESTING;
    unsigned at = n->begin;
    add_kid(src, n, &at, body.v[0], walk_stmt(sub, body.v[0]));
    free(body.v);
    return true;
}

static void walk_expr_stmt(walk sub, CXCursor s)
{
    int before = sub.fn->nitems;
    walk_expr(sub, s);
    discard_whole(&sub, s, before); /* `f(...);` */
}

static node_kind kind_of(enum CXCursorKind k)
{
    switch (k) {
    case CXCursor_CompoundStmt: return NODE_BLOCK;
    case CXCursor_IfStmt:
    case CXCursor_SwitchStmt:
    case CXCursor_LabelStmt:
    case CXCursor_CaseStmt:
    case CXCursor_DefaultStmt: return NODE_NESTING;
    case CXCursor_WhileStmt: return NODE_WHILE;
    case CXCursor_DoStmt: return NODE_DO;
    case CXCursor_ForStmt: return NODE_FOR;
    case CXCursor_ContinueStmt: return NODE_CONTINUE;
    case CXCursor_ReturnStmt: return NODE_RETURN;
    case CXCursor_DeclStmt: return NODE_DECL;
    default: return clang_isExpression(k) ? NODE_EXPR : NODE_OTHER;
    }
}

static node *walk_stmt(walk w, CXCursor s)
{
    const source *src = w.src;
    function *fn = w.fn;
    unsigned b = 0, e = 0;
    bool in_file = source_range(src, s, &b, &e);
    enum CXCursorKind k = clang_getCursorKind(s);
    bool from_macro = in_file && starts_in_macro(src, k, b);
    node *n = new_node(fn, kind_of(k), b,
                       in_file && k != CXCursor_CompoundStmt ? text_stmt_end(src, e) : e);
    int first = fn->nitems;
    cursors cs = cursor_children(s);
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
    if (k == CXCursor_CompoundStmt)
        sub.scope_end = e;
    if (k == CXCursor_LabelStmt)
        record_label(w, s, b, true);
    for (int i = 0; k == CXCursor_GotoStmt && i < cs.n; i++)
        if (clang_getCursorKind(cs.v[i]) == CXCursor_LabelRef)
            record_label(w, cs.v[i], b, false);

    switch (n->kind) {
    case NODE_BLOCK:
    case NODE_NESTING:
        walk_nesting(sub, n, &cs, k);
        break;
    case NODE_WHILE:
    case NODE_DO:
        walk_while(sub, n, &cs, n->kind == NODE_DO, from_macro);
        break;
    case NODE_FOR:
        walk_for(sub, n, &cs, b, e, from_macro);
        break;
    case NODE_DECL:
        walk_decl(sub, n, &cs);
        break;
    case NODE_RETURN:
        walk_return(sub, n, &cs);
        break;
    case NODE_EXPR:
        if (!walk_discarded_stmt_expr(sub, n, s))
            walk_expr_stmt(sub, s);
        break;
    default:
        if (k == CXCursor_IndirectGotoStmt) {
            diag_at(src, b, DIAG_ERROR,
                    "computed goto in a rewritten function is not supported; use a switch "
                    "instead");
            break;
        }
        for (int i = 0; i < cs.n; i++)
            walk_expr(sub, cs.v[i]);
        break;
    }
    free(cs.v);
    take_items(fn, &n->cond_items, first, n->cond.begin);
    take_items(fn, &n->inc_items, first, n->inc.begin);
    take_items(fn, &n->items, first, b);
    return in_file ? n : NULL;
}

/* ---- every item must be placed ---- */

static void reach_items(function *fn, const item_list *l, bool *reached)
{
    for (int i = 0; i < l->n; i++) {
        reached[l->v[i]] = true;
        const item *k = &fn->items[l->v[i]];
        for (int op = 0; op < k->nops; op++)
            reach_items(fn, &k->inner[op], reached);
    }
}

static void reach_node(const source *src, function *fn, const node *n, bool *reached)
{
    /* A declaration lowering visits may move its variables, unless a
     * macro writes a part of it: then it is copied whole. */
    bool fixed = false;
    for (int i = 0; i < n->ndecls; i++)
        fixed |= fn->vars[n->decls[i].var].in_macro;
    for (int i = 0; i < n->ndecls; i++)
        fn->vars[n->decls[i].var].fixed_decl = fixed;
    if (fixed && n->split)
        diag_at(src, n->begin, DIAG_ERROR,
                "a macro writes part of this declaration, and a later declarator makes a "
                "recursive call: declare the variables one per declaration");
    reach_items(fn, &n->items, reached);
    /* A loop's condition and increment are evaluated by lowering only
     * when it rewrites the loop, which needs its body. */
    if (n->body) {
        reach_items(fn, &n->cond_items, reached);
        reach_items(fn, &n->inc_items, reached);
    }
    for (int i = 0; i < n->ndecls; i++)
        reach_items(fn, &n->decls[i].items, reached);
    for (int i = 0; i < n->nkids; i++)
        reach_node(src, fn, n->kids[i], reached);
}

/* A call lowering would not evaluate would be replaced by a result never
 * computed: report it instead. */
static void check_placement(const program *prog, function *fn)
{
    for (int i = 0; i < fn->nvars; i++)
        fn->vars[i].fixed_decl = !fn->vars[i].is_param;
    bool *reached = xcalloc((size_t)fn->nitems + 1, sizeof *reached);
    reach_node(prog->src, fn, fn->body, reached);
    for (int i = 0; i < fn->nvars; i++)
        fn->vars[i].fixed_decl |= fn->vars[i].in_macro;
    for (int i = 0; i < fn->nitems; i++)
        if (!reached[i] && fn->items[i].kind == ITEM_CALL) {
            diag_at(prog->src, fn->items[i].begin, DIAG_ERROR,
                    "recursive call to '%s' in a statement the rewrite cannot place it "
                    "in front of; move the call into a statement of its own",
                    prog->fns[fn->items[i].callee].name);
            break;
        }
    free(reached);
}

/* ---- the function ---- */

/* The text the rewritten definition replaces: from the start of the
 * macro use when one spells its first tokens (`LIB_API(int) f(...)`,
 * `EXPORT int f(...)`) through the closing brace. */
static void definition_range(const source *src, function *fn)
{
    CXSourceRange r = clang_getCursorExtent(fn->cursor);
    fn->begin = source_expansion_offset(src, clang_getRangeStart(r));
    fn->end = source_offset(src, clang_getRangeEnd(r));
    unsigned spelled = source_offset(src, clang_getRangeStart(r));
    if (fn->begin == (unsigned)-1 || (spelled != (unsigned)-1 && spelled < fn->begin))
        fn->begin = spelled;
}

void ir_build(program *prog, function *fn)
{
    const source *src = prog->src;
    definition_range(src, fn);
    fn->name_at = source_offset(src, clang_getCursorLocation(fn->cursor));
    CXType ft = clang_getCursorType(fn->cursor);
    /* libclang calls a definition without a prototype, `int f()` or
     * `int f(a, b) int a, b; {...}`, variadic: it is not. */
    if (ft.kind == CXType_FunctionProto && clang_isFunctionTypeVariadic(ft)) {
        diag_at(src, fn->name_at, DIAG_ERROR,
                "variadic function '%s' cannot be rewritten: its va_list lives on the native "
                "stack; pass a va_list or an array to a rewritten helper instead", fn->name);
        return;
    }
    CXType rt = clang_getResultType(ft);
    if (rt.kind != CXType_Void)
        fn->ret_type = unqualified_spelling(rt);
    fn->declared_inline = clang_Cursor_isFunctionInlined(fn->cursor) != 0;

    walk w = {0};
    w.src = src;
    w.prog = prog;
    w.fn = fn;
    w.block = w.child_block = w.left_begin = (unsigned)-1;
    cursors cs = cursor_children(fn->cursor);
    CXCursor body = clang_getNullCursor();
    for (int i = 0; i < cs.n; i++)
        if (clang_getCursorKind(cs.v[i]) == CXCursor_CompoundStmt)
            body = cs.v[i];
    if (clang_Cursor_isNull(body)) {
        free(cs.v);
        return;
    }
    source_range(src, body, &fn->body_begin, &fn->body_end);
    w.scope_end = fn->body_end;
    free(cs.v);
    /* Not the ParmDecl children: `long (*pick(int n))(long)` has one for
     * the `long` of the function type it returns. */
    int nparams = clang_Cursor_getNumArguments(fn->cursor);
    for (int i = 0; i < nparams; i++)
        add_var(&w, clang_Cursor_getArgument(fn->cursor, (unsigned)i), true);
    label_uses labels = {0};
    w.labels = &labels;
    fn->body = walk_stmt(w, body);
    if (!fn->body) {
        diag_at(src, fn->name_at, DIAG_ERROR,
                "the body of '%s' comes from a macro expansion, which cannot be rewritten",
                fn->name);
        return;
    }
    check_placement(prog, fn);
    if (fn->group_size > 1)
        rename_labels(prog, fn, &labels);
    if (fn->nedits > 1) /* qsort's base must not be NULL, even for 0 */
        qsort(fn->edits, (size_t)fn->nedits, sizeof *fn->edits, by_offset);
    for (int i = 0; i < labels.n; i++)
        free(labels.v[i].name);
    free(labels.v);
}

/* ---- the whole program ---- */

/* Runs STAGE on FN with FN's diagnostics kept in its report. */
static void for_function(program *prog, function *fn, void (*stage)(program *, function *))
{
    diag_state *d = prog->src->diag;
    buf *saved = d->capture;
    int errors = d->errors;
    d->capture = &fn->report;
    stage(prog, fn);
    d->capture = saved;
    fn->errors += d->errors - errors;
}

static void live_stage(program *prog, function *fn)
{
    if (fn->body)
        live_analyze(prog, fn);
}

/* Every function's IR is built before any liveness runs: liveness asks
 * what its callees return, and a callee may be defined later. */
int analyze(program *prog, const options *opt)
{
    diag_state *d = prog->src->diag;
    int before = d->errors;
    select_functions(prog, opt);
    for (int i = 0; i < prog->nfns; i++)
        for_function(prog, &prog->fns[i], ir_build);
    for (int i = 0; i < prog->nfns; i++)
        for_function(prog, &prog->fns[i], live_stage);
    for (int i = 0; i < prog->nfns; i++)
        live_mark_tail_calls(prog, &prog->fns[i]);
    return d->errors - before;
}

static void list_fini(item_list *l)
{
    free(l->v);
}

void function_fini(function *fn)
{
    free(fn->pretty_name);
    for (int i = 0; i < fn->nvars; i++) {
        free(fn->vars[i].name);
        free(fn->vars[i].field);
        free(fn->vars[i].cname);
        free(fn->vars[i].type);
    }
    for (int i = 0; i < fn->nitems; i++) {
        item *k = &fn->items[i];
        free(k->live);
        free(k->live_temps);
        free(k->type);
        free(k->args);
        for (int op = 0; op < 3; op++)
            list_fini(&k->inner[op]);
    }
    for (int i = 0; i < fn->nedits; i++)
        free(fn->edits[i].text);
    for (int i = 0; i < fn->nnodes; i++) {
        node *n = fn->nodes[i];
        free(n->kids);
        list_fini(&n->items);
        list_fini(&n->cond_items);
        list_fini(&n->inc_items);
        for (int d = 0; d < n->ndecls; d++)
            list_fini(&n->decls[d].items);
        free(n->decls);
        free(n);
    }
    void *owned[] = {fn->edits, fn->nodes, fn->vars,       fn->refs,      fn->items, fn->labels,
                     fn->loops, fn->jumps,      fn->temp_saved, fn->temp_slot,
                     fn->name,  fn->prefix, fn->usr,        fn->ret_type};
    for (size_t i = 0; i < sizeof owned / sizeof *owned; i++)
        free(owned[i]);
    buf_fini(&fn->report);
}

void program_fini(program *prog)
{
    for (int i = 0; i < prog->nfns; i++)
        function_fini(&prog->fns[i]);
    free(prog->fns);
    free(prog->expand);
    source *src = prog->src;
    memset(prog, 0, sizeof *prog);
    prog->src = src;
}
