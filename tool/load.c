/*
 * load.c - the first stage: read INPUT and parse it with libclang.
 *
 * The tool edits text, so it keeps the file's exact bytes next to the
 * translation unit and maps every cursor back to offsets in those bytes.
 * Clang's own errors stop the run here, printed as clang prints them.
 */
#include "tool.h"

#include <clang-c/CXCompilationDatabase.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PATH's bytes; "-" is standard input. */
static char *read_file(const char *path, size_t *len)
{
    bool in = !strcmp(path, "-");
    FILE *f = in ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    int failed = ferror(f);
    if (!in)
        fclose(f);
    if (failed) {
        buf_fini(&b);
        return NULL;
    }
    if (!b.data)
        buf_put(&b, "", 0);
    *len = b.len;
    return b.data;
}

static void index_lines(source *src)
{
    size_t cap = 64;
    src->line_start = xrealloc(NULL, cap * sizeof *src->line_start);
    src->line_start[0] = 0;
    src->line_start[1] = 0;
    src->nlines = 1;
    for (size_t i = 0; i < src->len; i++) {
        if (src->text[i] != '\n')
            continue;
        if (src->nlines + 2 > cap) {
            cap *= 2;
            src->line_start = xrealloc(src->line_start, cap * sizeof *src->line_start);
        }
        src->line_start[++src->nlines] = i + 1;
    }
}

/* Prints clang's errors (and the notes attached to them); returns how many
 * errors there were. */
static int report_clang_errors(CXTranslationUnit tu, const char *path)
{
    int errors = 0;
    unsigned n = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
        if (sev >= CXDiagnostic_Error) {
            char *msg = cx_take(clang_formatDiagnostic(
                d, CXDiagnostic_DisplaySourceLocation | CXDiagnostic_DisplayColumn |
                       CXDiagnostic_DisplayOption));
            CXFile file = NULL;
            clang_getSpellingLocation(clang_getDiagnosticLocation(d), &file, NULL, NULL, NULL);
            /* About the whole file (an encoding it cannot read): located at
             * its start, like every other error. */
            if (!file)
                fprintf(stderr, "%s:1:1: ", path);
            fprintf(stderr, "%s\n", msg);
            free(msg);
            errors++;
        }
        clang_disposeDiagnostic(d);
    }
    return errors;
}

static int parse(source *src, struct CXUnsavedFile *unsaved, unsigned nunsaved)
{
    enum CXErrorCode rc = clang_parseTranslationUnit2(
        src->index, src->parse_path, src->args, src->nargs, unsaved, nunsaved,
        CXTranslationUnit_DetailedPreprocessingRecord | CXTranslationUnit_KeepGoing, &src->tu);
    if (rc != CXError_Success || !src->tu) {
        fprintf(stderr, "unrecurse: error: clang could not parse '%s' (error code %d)\n",
                src->path, (int)rc);
        return 2;
    }
    src->file = clang_getFile(src->tu, src->parse_path);
    if (report_clang_errors(src->tu, src->path))
        return 1;
    return 0;
}

int source_load(source *src, const char *path, const char *const *args, int nargs)
{
    memset(src, 0, sizeof *src);
    bool in = !strcmp(path, "-");
    if (in) /* standard input: a file of that name to clang (main.c adds -x c) */
        path = "<stdin>";
    src->path = path;
    src->args = args;
    src->nargs = nargs;
    src->text = read_file(in ? "-" : path, &src->len);
    if (!src->text) {
        fprintf(stderr, "unrecurse: error: cannot read '%s': %s\n", in ? "-" : path,
                strerror(errno));
        return 2;
    }
    index_lines(src);
    /* A compilation database's -working-directory applies to the input
     * too: name it by its absolute path (messages keep PATH as given). */
    char abs[PATH_MAX];
    src->parse_path = xstrdup(path);
    for (int i = 0; i < nargs; i++)
        if (text_starts_with(args[i], "-working-directory") && path[0] != '/' &&
            realpath(path, abs)) {
            free(src->parse_path);
            src->parse_path = xstrdup(abs);
        }
    src->index = clang_createIndex(0, 0);
    struct CXUnsavedFile unsaved = {src->parse_path, src->text, (unsigned long)src->len};
    return parse(src, in ? &unsaved : NULL, in);
}

int source_reparse(source *src, char *text)
{
    clang_disposeTranslationUnit(src->tu);
    src->tu = NULL;
    free(src->text);
    free(src->line_start);
    src->text = text;
    src->len = strlen(text);
    index_lines(src);
    struct CXUnsavedFile unsaved = {src->parse_path, src->text, (unsigned long)src->len};
    return parse(src, &unsaved, 1);
}

void source_fini(source *src)
{
    if (src->tu)
        clang_disposeTranslationUnit(src->tu);
    if (src->index)
        clang_disposeIndex(src->index);
    free(src->text);
    free(src->line_start);
    free(src->parse_path);
    memset(src, 0, sizeof *src);
}

unsigned source_line(const source *src, size_t offset)
{
    size_t lo = 1, hi = src->nlines;
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (src->line_start[mid] <= offset)
            lo = mid;
        else
            hi = mid - 1;
    }
    return (unsigned)lo;
}

typedef void (*location_fn)(CXSourceLocation, CXFile *, unsigned *, unsigned *, unsigned *);

static unsigned main_file_offset(const source *src, CXSourceLocation loc, location_fn where)
{
    CXFile file;
    unsigned offset;
    where(loc, &file, NULL, NULL, &offset);
    if (!file || !clang_File_isEqual(file, src->file))
        return (unsigned)-1;
    return offset;
}

unsigned source_offset(const source *src, CXSourceLocation loc)
{
    return main_file_offset(src, loc, clang_getSpellingLocation);
}

unsigned source_expansion_offset(const source *src, CXSourceLocation loc)
{
    return main_file_offset(src, loc, clang_getExpansionLocation);
}

bool source_range(const source *src, CXCursor c, unsigned *begin, unsigned *end)
{
    CXSourceRange r = clang_getCursorExtent(c);
    *begin = source_offset(src, clang_getRangeStart(r));
    *end = source_offset(src, clang_getRangeEnd(r));
    return *begin != (unsigned)-1 && *end != (unsigned)-1 && *begin <= *end &&
           *end <= src->len;
}

typedef struct inclusion_search {
    const char *basename;
    bool found;
} inclusion_search;

static void find_inclusion(CXFile included, CXSourceLocation *stack, unsigned depth,
                           CXClientData data)
{
    (void)stack;
    (void)depth;
    inclusion_search *is = data;
    char *name = cx_take(clang_getFileName(included));
    const char *base = strrchr(name, '/');
    if (!strcmp(base ? base + 1 : name, is->basename))
        is->found = true;
    free(name);
}

bool source_includes(const source *src, const char *basename)
{
    inclusion_search is = {basename, false};
    clang_getInclusions(src->tu, find_inclusion, &is);
    return is.found;
}

static void list_inclusion(CXFile included, CXSourceLocation *stack, unsigned depth,
                           CXClientData data)
{
    (void)stack;
    if (depth > 0) /* not the main file */
        strvec_push(data, cx_take(clang_getFileName(included)));
}

void source_list_includes(const source *src, strvec *files)
{
    clang_getInclusions(src->tu, list_inclusion, files);
}

static enum CXChildVisitResult collect_child(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    cursors *cs = data;
    VEC_PUSH(cs->v, cs->n, cs->cap, c);
    return CXChildVisit_Continue;
}

cursors cursor_children(CXCursor c)
{
    cursors cs = {0};
    clang_visitChildren(c, collect_child, &cs);
    return cs;
}

/* Is A a flag that names an output, or one that only the real compile
 * wants (dependency files, warnings as errors)? Returns how many arguments
 * to drop: 0, 1, or 2 with the value that follows. */
static int compile_only_flag(const char *a)
{
    static const char *const with_value[] = {"-o", "-MF", "-MT", "-MQ", "--serialize-diagnostics",
                                             NULL};
    static const char *const alone[] = {"-c", "--", "-MD", "-MMD", "-M", "-MM", "-MP", "-Werror",
                                        NULL};
    for (int i = 0; with_value[i]; i++)
        if (!strcmp(a, with_value[i]))
            return 2;
    for (int i = 0; alone[i]; i++)
        if (!strcmp(a, alone[i]))
            return 1;
    if (!strncmp(a, "-o", 2) || !strncmp(a, "-Werror=", 8) || !strncmp(a, "-MF", 3) ||
        !strncmp(a, "-MT", 3) || !strncmp(a, "-MQ", 3))
        return 1;
    return 0;
}

/* Is A, relative to directory WD, the file at the absolute path INPUT? */
static bool names_input(const char *a, const char *wd, const char *input)
{
    if (a[0] == '-')
        return false;
    buf path = {0};
    if (a[0] == '/')
        buf_puts(&path, a);
    else
        buf_printf(&path, "%s/%s", wd, a);
    char real[PATH_MAX];
    bool same = realpath(path.data, real) && !strcmp(real, input);
    buf_fini(&path);
    return same;
}

int source_compdb_args(const char *dir, const char *input, strvec *args)
{
    CXCompilationDatabase_Error err;
    CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(dir, &err);
    if (err != CXCompilationDatabase_NoError) {
        fprintf(stderr, "unrecurse: error: cannot load %s/compile_commands.json\n", dir);
        return 2;
    }
    char abs[PATH_MAX];
    if (!realpath(input, abs))
        snprintf(abs, sizeof abs, "%s", input);
    /* The entries of the file itself: libclang would also guess commands
     * for a file the database does not list (from its neighbours). */
    CXCompileCommands cmds = clang_CompilationDatabase_getAllCompileCommands(db);
    CXCompileCommand cmd = NULL;
    unsigned ncmds = cmds ? clang_CompileCommands_getSize(cmds) : 0;
    for (unsigned i = 0; i < ncmds && !cmd; i++) {
        CXCompileCommand c = clang_CompileCommands_getCommand(cmds, i);
        char *file = cx_take(clang_CompileCommand_getFilename(c));
        char *dir_of = cx_take(clang_CompileCommand_getDirectory(c));
        if (names_input(file, dir_of, abs))
            cmd = c;
        free(file);
        free(dir_of);
    }
    if (!cmd) {
        fprintf(stderr,
                "unrecurse: error: %s is not in %s/compile_commands.json; give its flags "
                "after '--' instead\n",
                input, dir);
        if (cmds)
            clang_CompileCommands_dispose(cmds);
        clang_CompilationDatabase_dispose(db);
        return 2;
    }
    /* The first command for the file; its first argument is the compiler. */
    char *wd = cx_take(clang_CompileCommand_getDirectory(cmd));
    buf b = {0};
    buf_printf(&b, "-working-directory=%s", wd);
    strvec_push(args, b.data);
    unsigned n = clang_CompileCommand_getNumArgs(cmd);
    for (unsigned i = 1; i < n; i++) {
        char *a = cx_take(clang_CompileCommand_getArg(cmd, i));
        int drop = compile_only_flag(a);
        if (drop || names_input(a, wd, abs)) {
            i += drop == 2;
            free(a);
            continue;
        }
        strvec_push(args, a);
    }
    free(wd);
    clang_CompileCommands_dispose(cmds);
    clang_CompilationDatabase_dispose(db);
    return 0;
}
