/*
 * tool.h - the pieces of the unrecurse tool and what they share.
 *
 * The rewrite is a pipeline, one file a stage, each with its own prefix:
 *
 *   load.c    source_   parse INPUT with libclang, report clang's own errors
 *   select.c  select_   the call graph: which functions are rewritten, and
 *                       the recursion cycles that share a state machine
 *   ir.c      ir_       walk each selected body once and build its IR: the
 *                       statement tree, the recursive calls and lazy
 *                       operators each statement holds, the variables and
 *                       every use of them; reject what cannot be rewritten
 *   expand.c  expand_   macro uses that hide a recursive call or a return,
 *                       replaced by their expansion; the file is parsed
 *                       again and select/ir run once more
 *   live.c    live_     which variables and results outlive each call,
 *                       which of them share frame storage, tail calls
 *   lower.c   lower_    one function's statements: calls hoisted into
 *                       resume points, loops and lazy operators unfolded
 *   frames.c  frame_    the heap frames: their structs, pushes and pops,
 *                       prologues, the resume dispatch, cycle engines, and
 *                       the native-first entry (the user's body, run
 *                       natively until the native budget is used)
 *   emit.c    emit_     splice the rewritten functions into the file
 *   graph.c   graph_    or, for --graph, the state machine as DOT
 *   main.c              the command line, and the output files
 *
 * and helpers: text.c (text_: scanning the source text and spelling C
 * declarations), buf.c (growable strings), diag.c (compiler-style
 * diagnostics).
 *
 * The stages meet in one data structure, the `program` below. libclang is
 * read by load.c, select.c and ir.c only; from live.c on, the IR and the
 * source text are all there is.
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
/* Drops the white space that ends B (indentation of the current line). */
void buf_trim_line(buf *b);
char *xstrdup(const char *s);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* Takes a CXString, returns a malloc'd copy and disposes the original. */
char *cx_take(CXString s);

/* A vector of malloc'd strings, owned. */
typedef struct strvec {
    char **v;
    int n, cap;
} strvec;

void strvec_push(strvec *v, char *s);
void strvec_fini(strvec *v);

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
    const char *const *args; /* the compile flags, kept for a reparse */
    int nargs;
    char *parse_path;        /* the path clang knows the file by */
} source;

/* Parses PATH with ARGS (compile flags, no input file). Returns 0, or 1
 * after printing clang's errors, or 2 on an I/O error. */
int source_load(source *src, const char *path, const char *const *args, int nargs);
void source_fini(source *src);
/* Parses TEXT (malloc'd; SRC takes it) in place of the file's bytes, with
 * the same flags. Returns like source_load. */
int source_reparse(source *src, char *text);
/* 1-based line of OFFSET in the main file. */
unsigned source_line(const source *src, size_t offset);
/* Offset in the main file of a location, or (unsigned)-1 if elsewhere. */
unsigned source_offset(const source *src, CXSourceLocation loc);
/* Offset in the main file of where a location's macro use is, or of the
 * location itself outside macros; (unsigned)-1 if elsewhere. */
unsigned source_expansion_offset(const source *src, CXSourceLocation loc);
/* Begin/end offsets of a cursor's extent in the main file. */
bool source_range(const source *src, CXCursor c, unsigned *begin, unsigned *end);
/* Appends INPUT's compile flags from DIR/compile_commands.json to ARGS,
 * less those naming outputs or the input. Returns 0, or 2 after an error
 * message. */
int source_compdb_args(const char *dir, const char *input, strvec *args);
/* Appends the name of every file the translation unit includes. */
void source_list_includes(const source *src, strvec *files);
/* Does the translation unit include a file named BASENAME? */
bool source_includes(const source *src, const char *basename);

/* The direct children of a cursor (the caller frees `v`). */
typedef struct cursors {
    CXCursor *v;
    int n, cap;
} cursors;
cursors cursor_children(CXCursor c);

/* ---- diag.c: diagnostics ---- */

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

/* Prints `PATH:LINE:COL: level: message` for OFFSET in the main file. */
void diag_at(const source *src, size_t offset, diag_level level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- text.c: the source text, and C spellings ---- */

bool text_starts_with(const char *s, const char *prefix);
bool text_is_ident_char(char c);
/* Does the text at OFFSET spell the identifier NAME? */
bool text_spelled_at(const source *src, unsigned offset, const char *name);
/* Skips white space, line continuations and comments from OFFSET to LIMIT. */
unsigned text_skip_blank(const source *src, unsigned offset, unsigned limit);
/* Reads the operator spelled at OFFSET (up to three characters, before
 * LIMIT) into OP; false if no operator is spelled there. */
bool text_operator(const source *src, unsigned offset, unsigned limit, char op[4]);
/* Skips spaces, tabs and newlines from AT to END. */
unsigned text_skip_space(const source *src, unsigned at, unsigned end);
/* Offsets of the two `;` and the `)` of the for statement at [BEGIN, END). */
bool text_for_header(const source *src, unsigned begin, unsigned end, unsigned out[3]);
/* END, or just past the `;` that follows it when the statement ending at
 * END leaves its `;` out of its extent. */
unsigned text_stmt_end(const source *src, unsigned end);
/* Just past the `=` of the declarator named at NAME, or 0 if none. */
unsigned text_initializer_start(const source *src, unsigned name, unsigned end);
/* The leading white space of the line holding OFFSET (malloc'd). */
char *text_indent_of(const source *src, unsigned offset);
/* [*FROM, *TO) without the parentheses that enclose all of it. */
void text_unparen(const source *src, unsigned *from, unsigned *to);
/* Appends `TYPE NAME` as a declaration, for types spelled as clang spells
 * them: `int [3]` -> `int NAME[3]`, `int (*)(int)` -> `int (*NAME)(int)`. */
void text_declare(buf *b, const char *type, const char *name);
/* Generated code, from offset FROM of OUT to its end: every line of it
 * is said to be LINE (`#line LINE` before each, unless one is there
 * already), so that a debugger stepping through it stays on that line of
 * the user's, and a message about it points there. */
void text_pin_lines(buf *out, size_t from, unsigned line);
/* `#line N "path"` on a line of its own. */
void text_line_directive(const source *src, buf *out, unsigned line);
/* TEXT[FROM, TO) quoted for a DOT or C (IN_C) string, shortened. */
void text_quoted(buf *o, const char *text, unsigned from, unsigned to, bool in_c);

/* ---- the program: what analysis finds, and the IR lowering reads ---- */

typedef struct span {
    unsigned begin, end; /* offsets in the source text; empty if equal */
} span;

/* Indices into function.items, in evaluation order. */
typedef struct item_list {
    int *v;
    int n, cap;
} item_list;

typedef struct var {
    CXCursor decl;   /* for ir.c only */
    char *name;
    char *field;     /* its member name in the frame struct (unique there) */
    char *cname;     /* its name in the output when renamed, else NULL */
    char *type;      /* its type, top-level qualifiers dropped */
    const char *unnameable; /* why its type cannot be named at file scope */
    unsigned decl_begin, decl_end; /* the declaration (offsets) */
    unsigned scope_begin, scope_end; /* where the name is visible */
    bool is_param;
    bool is_static;  /* static local: untouched, shared as in C */
    bool is_array;
    bool resident;   /* lives in the frame; every use is rewritten */
    bool saved;      /* native, but saved across at least one call */
    int slot;        /* saved: the union it shares with others, or -1 */
    bool hoisted;    /* native, declared at the top of the function */
    bool engine_top; /* a cycle member's: declared at the top of the engine */
    bool in_for_header; /* declared in `for (...;` */
    bool in_macro;   /* declared by a macro expansion */
    bool fixed_decl; /* its declaration is copied as it is (a macro's, or in
                        a statement lowering does not visit): never moved */
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

/* A piece of the source text written differently in the output: a label
 * renamed because another function of its cycle uses the same name. */
typedef struct edit {
    unsigned offset, len;
    char *text;
} edit;

/* A recursive call, or a lazily evaluated operator (&&, ||, ?:, comma)
 * with recursive calls in an operand that is not always evaluated: both are
 * "hoisted" in front of their statement, in evaluation order, and their
 * value replaced by a temporary NAME__tID. */
typedef enum { ITEM_CALL, ITEM_LAZY } item_kind;

typedef struct item {
    item_kind kind;
    unsigned begin, end;
    int id;              /* resume point number, 1-based: its index + 1 */
    /* ITEM_CALL */
    int callee;          /* index of the function called */
    span *args;          /* its arguments */
    int nargs;
    /* ITEM_LAZY */
    char op[3];          /* "&&", "||", "?:" or "," */
    span ops[3];         /* its operands */
    int nops;
    item_list inner[3];  /* the items directly inside each operand */
    char *type;          /* the type of its value, NULL if void */
    /* Where it is: the innermost lazy item around it (or -1) and the
     * operand of that item it is in. */
    int owner;
    int owner_op;
    unsigned stmt_begin; /* the statement it is hoisted before */
    unsigned stmt_end;
    unsigned block;      /* the block that statement belongs to, or -1 */
    span stmt_items;     /* what the items of that statement cover (live.c) */
    bool attached;       /* listed by a statement node already */
    bool value_used;
    bool tail_candidate; /* the whole expression of a `return` */
    bool tail;           /* `return f(...)` reusing the frame */
    int *live;           /* native variables saved across the call */
    int nlive;
    int *live_temps;     /* result temporaries saved across the call */
    int nlive_temps;
} item;

/* A statement of a rewritten body. Lowering copies a statement's text from
 * `begin` to `end`, lowering its `kids` where they stand and the
 * expressions between them (calls replaced by their results, frame-resident
 * variables by frame accesses); `items` are hoisted in front of it. */
typedef enum node_kind {
    NODE_BLOCK,     /* { ... } */
    NODE_NESTING,   /* if, switch, case, default, label: text and kids */
    NODE_WHILE,
    NODE_DO,
    NODE_FOR,
    NODE_CONTINUE,
    NODE_RETURN,
    NODE_DECL,
    NODE_EXPR,      /* an expression statement */
    NODE_OTHER      /* break, goto, `;`, ...: copied */
} node_kind;

typedef struct declarator {
    int var;          /* index into fn->vars */
    unsigned begin, end;
    unsigned name;    /* the offset of its name */
    unsigned init;    /* just past its `=`, or 0 */
    bool followed;    /* another declaration follows in its statement */
    /* A declaration split into one per declarator (a later one makes a
     * recursive call): the items hoisted in front of this one. */
    item_list items;
} declarator;

typedef struct node node;
struct node {
    node_kind kind;
    unsigned begin, end; /* its text, with its `;` */
    node **kids;         /* the statements inside it, in source order */
    int nkids, capkids;
    item_list items;     /* hoisted in front of it */
    /* Loops. A for header's first clause is a declaration (`init`) or an
     * expression (`init_expr`); empty spans are absent parts. The items of
     * the condition and the increment are evaluated where the rewritten
     * loop evaluates those. */
    node *init;
    span init_expr;
    span cond, inc;
    item_list cond_items, inc_items;
    node *body;
    /* NODE_RETURN */
    bool has_value;
    span value;
    /* NODE_DECL */
    declarator *decls;
    int ndecls, capdecls;
    bool split;          /* lowered as one declaration per declarator */
};

/* How a function's heap frames live (chosen once, by live.c). */
typedef enum frame_model {
    /* Alone on its cycle, nothing resident in the frame: a frame exists
     * only while the activation is suspended in a call (pushed at the call,
     * popped at the resume), so a call that makes no call pushes nothing. */
    FRAMES_ON_CALL,
    /* Alone on its cycle, with frame-resident variables: one frame per
     * activation, from entry to return. */
    FRAMES_PER_ACTIVATION,
    /* On a cycle of several functions: one frame per activation, run by
     * the cycle's shared state machine (PREFIX__run). */
    FRAMES_IN_CYCLE
} frame_model;

typedef struct function {
    CXCursor cursor;    /* for select.c and ir.c only */
    char *name;
    /* What its generated names start with (PREFIX__frame, PREFIX__f, ...):
     * its name, unless the file already has names that start so. */
    char *prefix;
    char *usr;
    char *ret_type;     /* NULL for void */
    unsigned name_at;   /* offset of its name */
    unsigned begin, end;          /* the whole definition */
    unsigned body_begin, body_end; /* the compound statement */
    node *body;
    node **nodes;       /* every node, for freeing */
    int nnodes, capnodes;
    var *vars;
    int nvars, capvars;
    ref *refs;
    int nrefs, caprefs;
    item *items;
    int nitems, capitems;
    edit *edits;        /* sorted by offset */
    int nedits, capedits;
    unsigned *labels;   /* offsets of label statements */
    int nlabels, caplabels;
    unsigned *jumps;    /* offsets of break, continue and goto */
    int njumps, capjumps;
    span *loops;        /* loop statements */
    int nloops, caploops;
    bool any_resident;
    /* The body names its function: code moved into another C function
     * must keep saying that name. __func__, __FUNCTION__, and the text
     * clang gives __PRETTY_FUNCTION__ (NULL if unused). */
    bool says_func, says_function;
    char *pretty_name;
    bool has_static_local; /* one object: its body cannot be in two copies */
    /* Native first: the function keeps its own body, run natively until
     * the native budget is used, and its state machine goes to a function
     * of its own (PREFIX__heap; a cycle's is PREFIX__run anyway). Chosen
     * for a whole group (main.c). */
    bool native_first;
    /* Native first, on a cycle: kept out of gcc's inliner (written after
     * UNRECURSE__NOINLINE), one of the members that break every loop of
     * calls between the members (main.c). Never one declared inline
     * (gcc warns of `noinline` on it). */
    bool out_of_line;
    bool declared_inline;
    frame_model model;
    /* Saved values never live across the same call share storage: slot
     * S is `union { ... } NAME__uS;` in the frame. For result temporary ID:
     * temp_saved[ID] if it is saved, temp_slot[ID] its union or -1. */
    int nslots;
    bool *temp_saved;
    int *temp_slot;
    /* The cycle of the call graph this function is on: functions of one
     * group share one state machine (the function itself for a group of
     * one, NAME__run otherwise). */
    int group;
    int group_size;
    int entry;          /* its index within the group, in file order */
    bool group_first, group_last;
    bool marked;        /* annotated or named with --function */
    bool skipped;       /* cannot be rewritten; left as it is */
    bool external;      /* select.c: defined outside the file (a header) */
    bool tasked;        /* started as a task (UNRECURSE_START): it gets a
                           second state machine, PREFIX__task (tasks.c) */
    buf report;         /* its diagnostics */
    int errors;
} function;

typedef struct program {
    source *src;
    function *fns;      /* in file order */
    int nfns, capfns;
    int ngroups;
    bool lines;         /* the output has #line directives (main.c) */
    /* Offsets of recursive calls and returns a macro use hides: the uses
     * expand.c expands before a second analysis. */
    unsigned *expand;
    int nexpand, capexpand;
} program;

typedef struct options {
    const char **functions; /* --function NAMEs */
    int nfunctions;
    bool all;               /* every function on a cycle (also --list) */
    bool names_checked;     /* --function names reported missing already */
} options;

/* Runs select, ir and live: finds the functions to rewrite and analyzes
 * them. The diagnostics about each function are kept in its report;
 * returns the number of errors. (ir.c) */
int analyze(program *prog, const options *opt);
void program_fini(program *prog);
void function_fini(function *fn);

/* ---- expand.c ---- */

/* The source text with the outermost macro use around each of
 * prog->expand replaced by its expansion (same lines), or NULL if one
 * cannot be expanded. */
char *expand_macro_uses(const program *prog);

/* ---- select.c ---- */

/* Fills prog->fns with the functions to rewrite, grouped into cycles. */
void select_functions(program *prog, const options *opt);
char *select_usr(CXCursor c);

/* ---- ir.c ---- */

/* Builds FN's IR from its cursor, reporting what cannot be rewritten. */
void ir_build(program *prog, function *fn);

/* ---- live.c ---- */

/* Decides, once FN's IR is built, which variables and results are saved
 * across each call, which live in the frame, where they are stored, and
 * FN's frame model. */
void live_analyze(program *prog, function *fn);
/* Marks the `return f(...)` calls of FN that can reuse its frame. */
void live_mark_tail_calls(const program *prog, function *fn);

/* ---- graph.c: --graph ---- */

/* Appends the state machine of NAME's cycle as Graphviz DOT to OUT;
 * returns 0, or 2 after an error message if NAME is not rewritten. */
int graph_print(const program *prog, const char *name, buf *out);

/* ---- frames.c ---- */

/* The name V has in the output. */
const char *frame_var_name(const var *v);

const function *frame_member(const program *prog, int group, int entry);
/* The prefix of the names a cycle's state machine shares. */
void frame_prefix(const program *prog, const function *fn, char *out, size_t size);
/* The variable a return of FN stores its value in ("" for void). */
void frame_ret_var(const program *prog, const function *fn, char *out, size_t size);
/* The number a frame's `return_to` holds while call K of FN runs. */
int frame_resume_number(const program *prog, const function *fn, const item *k);
/* The type of `return_to`, or NULL when FN's group needs none. */
const char *frame_return_to_type(const program *prog, const function *fn);
bool frame_has_resume_points(const function *fn);
/* The type of item K's value, NULL if it has none. */
const char *frame_item_type(const program *prog, const item *k);
/* The type of K's result temporary, NAME__tK; NULL if it has none (its
 * value is discarded or void, or it is a tail call). */
const char *frame_temp_type(const program *prog, const item *k);
/* Appends the frame access of V (`NAME__f->field`) and of temporary ID. */
void frame_put_var(buf *o, const function *fn, const var *v);
void frame_put_temp(buf *o, const function *fn, int id);
/* `IND [struct WHO__frame *]WHO__f = unrecurse_push(STACK__stack, ...)`. */
void frame_push(buf *o, const char *ind, bool declare, const char *who, const char *stack);
/* Pushes a frame of M, a member of a cycle, and says it is M's if frames
 * change hands in the cycle (frame_cross_tail). */
void frame_push_member(const program *prog, buf *o, const char *ind, const function *m,
                       const char *stack);
bool frame_cross_tail(const program *prog, const function *fn);
/* Moves FN's evaluated arguments (FN__arg_PARAM) into its parameters. */
void frame_pass_args(const function *fn, buf *o, const char *ind);
/* The frame struct of FN (and the nested-run record of a group of one). */
void frame_struct(const program *prog, const function *fn, buf *o);
/* A group of one: the body's opening (stack, frame, locals) and closing
 * (pop, resume the caller), and the run on a fresh native segment. */
void frame_prologue(const program *prog, const function *fn, buf *o);
void frame_epilogue(const program *prog, const function *fn, buf *o, bool used_return);
void frame_nested_run(const function *fn, buf *o);
/* Declarations of FN's hoisted locals and of its temporaries. */
void frame_declare_locals(const program *prog, const function *fn, buf *o, bool engine_top);
void frame_declare_temps(const program *prog, const function *fn, buf *o);
/* A cycle of several: a member's wrapper, and the cycle's engine around
 * the members' bodies. */
void frame_member_wrapper(const program *prog, const function *fn, buf *o, bool lines);
void frame_engine_head(const program *prog, const function *self, buf *o);
/* #define (DEFINE) or #undef __func__ and the like, if FN's body says them. */
void frame_name_macros(const function *fn, buf *o, bool define);
void frame_return(buf *o, const function *fn, const char *ind, const char *value);
void frame_native_head(const function *fn, buf *o);
void frame_native_body(const source *src, const function *fn, buf *o, bool lines, size_t head);
void frame_heap_head(const function *fn, buf *o);
void frame_engine_member_head(const program *prog, const function *m, buf *o, bool task);
void frame_engine_member_tail(const program *prog, const function *m, buf *o, bool used_return);
void frame_engine_tail(const program *prog, const function *self, buf *o);

/* ---- lower.c ---- */

/* Appends the rewritten definition of FN (replacing [fn->begin, fn->end)). */
void lower_function(const program *prog, const function *fn, buf *out, bool lines);

/* ---- emit.c ---- */

/* The whole output file. */
void emit_program(const program *prog, buf *out, bool lines);

/* tasks.c: the functions the file starts as tasks (UNRECURSE_START), marked
 * `tasked`; a start the tool cannot serve is an error at it. */
void tasks_find(program *prog);
bool tasks_any(const program *prog);

/* frames.c, for a function started as a task. */
void frame_task_prototype(const function *fn, buf *o);
void frame_task_head(const program *prog, const function *fn, buf *o);
void frame_task_tail(const program *prog, const function *fn, buf *o);
/* The same for a cycle: PREFIX__task, a second engine, the members' bodies
 * between frame_engine_member_head(..., true) and _tail. */
void frame_cycle_task_head(const program *prog, const function *self, buf *o);
void frame_cycle_task_tail(const program *prog, const function *self, buf *o);
bool frame_group_tasked(const program *prog, const function *fn);

#endif
