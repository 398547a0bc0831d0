/*
 * tool.h - the pieces of the unrecurse tool and what they share.
 *
 * The rewrite is a pipeline, one file a stage:
 *   load.c     parse INPUT with libclang, report clang's own errors
 *   analyze.c  find the functions to rewrite, their recursive calls, their
 *              variables and which of them must survive each call
 *   lower.c    turn one function body into a state machine over heap frames
 *   emit.c     splice the rewritten functions into the untouched text
 *   main.c     the command line
 * and two helpers: buf.c (growable strings), diag.c (compiler-style
 * diagnostics).
 */
#ifndef UNRECURSE_TOOL_H
#define UNRECURSE_TOOL_H

#include <clang-c/Index.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* ---- buf.c: growable byte strings (abort on out-of-memory: a tool) ---- */

typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

void buf_put(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_fini(buf *b);
char *xstrdup(const char *s);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* Takes a CXString, returns a malloc'd copy and disposes the original. */
char *cx_take(CXString s);

/* Appends to a dynamic array `arr` with `n` elements and `cap` capacity. */
#define VEC_PUSH(arr, n, cap, value)                                      \
    do {                                                                  \
        if ((n) == (cap)) {                                               \
            (cap) = (cap) ? 2 * (cap) : 8;                                \
            (arr) = xrealloc((arr), (cap) * sizeof *(arr));               \
        }                                                                 \
        (arr)[(n)++] = (value);                                           \
    } while (0)

/* ---- load.c: the source file and its translation unit ---- */

/* Where diagnostics go, and how many errors were reported. */
typedef struct diag_state {
    buf *capture; /* NULL: standard error */
    int errors;
    char *last;   /* the last message, not repeated (macros duplicate code) */
} diag_state;

typedef struct source {
    diag_state *diag;
    const char *path;  /* as given on the command line; used in #line */
    char *text;        /* the file's bytes, as read from disk */
    size_t len;
    size_t *line_start; /* offset of the first byte of each line, 1-based */
    size_t nlines;
    CXIndex index;
    CXTranslationUnit tu;
    CXFile file;
} source;

/* Parses PATH with ARGS (compile flags, no input file). Returns 0, or 1
 * after printing clang's errors, or 2 on an I/O error. */
int source_load(source *src, const char *path, const char *const *args, int nargs);
void source_fini(source *src);
/* 1-based line of OFFSET in the main file. */
unsigned source_line(const source *src, size_t offset);
/* Offset in the main file of a location, or (unsigned)-1 if elsewhere. */
unsigned source_offset(const source *src, CXSourceLocation loc);
/* Begin/end offsets of a cursor's extent in the main file. */
bool cursor_range(const source *src, CXCursor c, unsigned *begin, unsigned *end);

/* ---- diag.c: diagnostics ---- */

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

/* Prints `PATH:LINE:COL: level: message` for OFFSET in the main file. */
void diag_at(const source *src, size_t offset, diag_level level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- analyze.c ---- */

typedef struct var {
    CXCursor decl;
    char *name;
    char *field;     /* its name in the frame struct */
    char *type;      /* its type, top-level qualifiers dropped */
    unsigned decl_begin, decl_end; /* the declaration (offsets) */
    unsigned scope_begin, scope_end; /* where the name is visible */
    bool is_param;
    bool is_static;  /* static local: untouched, shared as in C */
    bool resident;   /* lives in the frame; every use is rewritten */
    bool saved;      /* native, but saved across at least one call */
    int slot;        /* saved: the union it shares with others, or -1 */
    bool hoisted;    /* native, declared at the top of the function */
    bool in_for_header; /* declared in `for (...;` */
    unsigned align;
} var;

typedef struct ref {
    unsigned offset; /* of the name */
    int var;         /* index into fn->vars */
    bool write_only; /* the left side of a plain assignment */
    bool kills;      /* ... one that always runs when its statement does */
    unsigned stmt_begin; /* its statement ... */
    unsigned block;      /* ... a direct child of the block at this offset */
    unsigned macro_at;   /* the macro use it comes from, if offset is -1 */
} ref;

/* A recursive call, or a lazily evaluated operator (&&, ||, ?:, comma)
 * with recursive calls in an operand that is not always evaluated: both are
 * "hoisted" in front of their statement, in evaluation order, and their
 * value replaced by a temporary NAME__tID. */
typedef enum { ITEM_CALL, ITEM_LAZY } item_kind;

typedef struct call {
    item_kind kind;
    char op[3];              /* ITEM_LAZY: "&&", "||", "?:" or "," */
    unsigned ob[3], oe[3];   /* ITEM_LAZY: its operands */
    int nops;
    char *type;              /* ITEM_LAZY: the type of its value, NULL if void */
    int owner;               /* index of the innermost lazy item around it, or -1 */
    int owner_op;            /* the operand of that item it is in */
    int callee;              /* ITEM_CALL: index of the function called */
    CXCursor cursor;
    unsigned begin, end;
    int id;             /* resume point number, 1-based */
    unsigned stmt_begin; /* the statement the call is hoisted before */
    unsigned stmt_end;
    unsigned block;      /* the block that statement belongs to, or -1 */
    bool value_used;
    bool tail_candidate; /* the whole expression of a `return` */
    bool tail;          /* `return f(...)` reusing the frame */
    int *live;          /* native variables saved across the call */
    int nlive;
    int *live_temps;    /* result temporaries saved across the call */
    int nlive_temps;
} call;

typedef struct function {
    CXCursor cursor;
    char *name;
    char *usr;
    char *ret_type;     /* NULL for void */
    unsigned begin, end;          /* the whole definition */
    unsigned body_begin, body_end; /* the compound statement */
    var *vars;
    int nvars, capvars;
    ref *refs;
    int nrefs, caprefs;
    call *calls;
    int ncalls, capcalls;
    unsigned *labels;   /* offsets of label statements */
    int nlabels, caplabels;
    unsigned *jumps;    /* offsets of break, continue and goto */
    int njumps, capjumps;
    unsigned *loops;    /* pairs begin,end of loop statements */
    int nloops, caploops;
    bool any_resident;
    unsigned frame_align;
    /* Saved values never live across the same call share storage: slot
     * S is `union { ... } NAME__uS;` in the frame. temp_field[ID] is the field of
     * result temporary ID, when it is saved. */
    int nslots;
    char **temp_field;
    int *temp_slot;
    /* The cycle of the call graph this function is on: functions of one
     * group share one state machine (the function itself for a group of
     * one, NAME__run otherwise). */
    int group;
    int group_size;
    int entry;          /* its index within the group, in file order */
    bool group_first, group_last;
    bool marked;        /* annotated or named with --function */
    buf report;         /* its diagnostics */
    int errors;
} function;

typedef struct program {
    source *src;
    function *fns;      /* in file order */
    int nfns, capfns;
    int ngroups;
} program;

typedef struct options {
    const char **functions; /* --function NAMEs */
    int nfunctions;
    bool all;               /* every function on a cycle (also --list) */
} options;

/* Finds the functions to rewrite and analyzes them. The diagnostics about
 * each function are kept in its report; returns the number of errors. */
int analyze(program *prog, const options *opt);
void program_fini(program *prog);
/* Offsets of the two `;` and the `)` of the for statement at [BEGIN, END). */
bool for_header(const source *src, unsigned begin, unsigned end, unsigned out[3]);
/* Does CALL (a CallExpr) call FN directly? */
bool calls_function(CXCursor call, const function *fn);

/* ---- lower.c ---- */

/* Appends the rewritten definition of FN (replacing [fn->begin, fn->end)). */
void lower_function(const program *prog, const function *fn, buf *out, bool lines);

/* ---- emit.c ---- */

/* The whole output file. */
void emit_program(const program *prog, buf *out, bool lines);
/* Drops the white space that ends OUT (indentation of the current line). */
void trim_line(buf *out);
/* `#line N "path"` on a line of its own. */
void emit_line_directive(const source *src, buf *out, unsigned line);

#endif
