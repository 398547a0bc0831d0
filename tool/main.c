/*
 * main.c - the command line of unrecurse: options, the pipeline of tool.h,
 * --list, and writing the output safely.
 *
 * Exit status: 0 success, 1 the input was rejected (diagnostics printed),
 * 2 usage or I/O error. On any error nothing is written: the output goes
 * to a temporary file next to the target and is renamed into place.
 */
#include "tool.h"
#include "version.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


static const char usage[] =
    "usage: unrecurse [OPTIONS] INPUT.c [-- CLANG_ARGS...]   (INPUT - : standard input)\n"
    "Rewrites recursive C functions into heap frames run by libunrecurse.\n"
    "\n"
    "  -o FILE             write the result to FILE (default: standard output);\n"
    "                      never the input file itself, but see -i\n"
    "  -i, --in-place      write the result over INPUT (without #line directives)\n"
    "  --depfile FILE      also write FILE, a make rule: the output depends on INPUT\n"
    "                      and every header it includes (for build systems)\n"
    "  -p DIR              take INPUT's compile flags from DIR/compile_commands.json\n"
    "  -f, --function NAME transform NAME as if it were annotated (repeatable)\n"
    "  --all               transform every function on a recursion cycle in INPUT\n"
    "  --skip-unsupported  leave each cycle that cannot be rewritten as it is, with\n"
    "                      a warning, instead of failing (exit 0)\n"
    "  --list              report the recursive functions and cycles found, with\n"
    "                      whether and why each can or cannot be transformed\n"
    "  --no-line           omit #line directives\n"
    "  --heap-only         every call of a rewritten function on heap frames; by\n"
    "                      default a rewritten function runs natively until the\n"
    "                      thread's native budget is used (unrecurse.h)\n"
    "  --graph NAME        write the state machine of NAME (and of its cycle) as\n"
    "                      Graphviz DOT instead of the rewritten file\n"
    "  --version, --help\n"
    "\n"
    "Exit status: 0 success, 1 input rejected, 2 usage or I/O error.\n";

typedef struct cli {
    const char *input;
    const char *output;
    const char *compdb;
    bool lines;
    bool list;
    bool skip_unsupported;
    bool heap_only;
    bool in_place;
    const char *depfile;
    const char *graph;      /* --graph NAME */
    options opt;
    const char **clang_args;
    int nclang, capclang;
} cli;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "unrecurse: error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return 2;
}

/* The output must not be the input (an error that would lose the
 * user's file) unless -i asks for it. Returns -1 to go on, or 2. */
static int check_output(cli *c)
{
    bool from_stdin = !strcmp(c->input, "-");
    if (c->in_place) {
        if (c->output)
            return usage_error("%s", "-i writes over the input: give no -o with it");
        if (from_stdin)
            return usage_error("%s", "-i needs an input file, not standard input");
        if (c->list)
            return usage_error("%s", "-i writes a file: --list writes none");
        if (c->depfile || c->graph)
            return usage_error("%s", "-i writes the rewritten file: not with --depfile or --graph");
        c->output = c->input;
        c->lines = false; /* the file they would point into is gone */
        return -1;
    }
    if (c->depfile && (!c->output || !strcmp(c->output, "-") || from_stdin))
        return usage_error("%s", "--depfile needs an input file and -o FILE");
    struct stat in, out;
    if (c->output && !from_stdin && stat(c->input, &in) == 0 && stat(c->output, &out) == 0 &&
        in.st_dev == out.st_dev && in.st_ino == out.st_ino && S_ISREG(in.st_mode))
        return usage_error("'-o %s' is the input file; -i rewrites a file in place", c->output);
    return -1;
}

/* Returns -1 to go on, or the exit status. */
static int parse_cli(cli *c, int argc, char **argv)
{
    int cap = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            for (i++; i < argc; i++)
                VEC_PUSH(c->clang_args, c->nclang, c->capclang, argv[i]);
            break;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("unrecurse %s\n", UNRECURSE_VERSION_STRING);
            return 0;
        } else if (!strcmp(a, "--no-line")) {
            c->lines = false;
        } else if (!strcmp(a, "--all")) {
            c->opt.all = true;
        } else if (!strcmp(a, "--heap-only") || !strcmp(a, "--native-budget=0")) {
            c->heap_only = true;
        } else if (!strcmp(a, "-i") || !strcmp(a, "--in-place")) {
            c->in_place = true;
        } else if (!strcmp(a, "--skip-unsupported")) {
            c->skip_unsupported = true;
        } else if (!strcmp(a, "--list")) {
            c->list = true;
            c->opt.all = true;
        } else if (!strcmp(a, "-o") || !strcmp(a, "-p") || !strcmp(a, "-f") ||
                   !strcmp(a, "--function") || !strcmp(a, "--depfile") ||
                   !strcmp(a, "--graph")) {
            if (i + 1 >= argc)
                return usage_error("option '%s' needs an argument", a);
            const char *v = argv[++i];
            if (a[1] == 'o')
                c->output = v;
            else if (a[1] == 'p')
                c->compdb = v;
            else if (a[2] == 'd')
                c->depfile = v;
            else if (a[2] == 'g')
                c->graph = v;
            else
                VEC_PUSH(c->opt.functions, c->opt.nfunctions, cap, v);
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (c->input) {
            return usage_error("more than one input file ('%s')", a);
        } else {
            c->input = a;
        }
    }
    if (!c->input)
        return usage_error("%s", "no input file");
    return check_output(c);
}

/* The directory holding unrecurse.h: next to an installed tool
 * (BIN/../include), or the source tree's runtime/ for a build tree. */
static const char *runtime_include_dir(void)
{
    static char dir[PATH_MAX + 16];
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(dir, sizeof dir, "%s/../include", exe);
            char probe[PATH_MAX + 32];
            snprintf(probe, sizeof probe, "%s/unrecurse.h", dir);
            if (access(probe, R_OK) == 0)
                return dir;
        }
    }
#ifdef UNRECURSE_SOURCE_INCLUDE_DIR
    return UNRECURSE_SOURCE_INCLUDE_DIR;
#else
    return NULL;
#endif
}

/* Writes DATA to PATH through a temporary file renamed into place. */
/* Writes DATA to FD; false on an error (errno says which). */
static bool write_all(int fd, const buf *data)
{
    size_t done = 0;
    while (done < data->len) {
        ssize_t n = write(fd, data->data + done, data->len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += (size_t)n;
    }
    return true;
}

/* Writes DATA to PATH (standard output if NULL or "-"). A regular file is
 * replaced whole or not at all: the data goes to a new file beside it,
 * renamed over it once complete, with its permissions (a full disk leaves
 * it as it was). A symbolic link stays a link: the file it names is
 * replaced. Anything else (/dev/null, a FIFO, a terminal) is written to
 * directly: it is never replaced by a regular file. */
static int write_output(const char *path, const buf *data)
{
    if (!path || !strcmp(path, "-")) {
        if (data->len && fwrite(data->data, 1, data->len, stdout) != data->len)
            return 2;
        return fflush(stdout) == 0 ? 0 : 2;
    }
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
        int fd = open(path, O_WRONLY | O_NOCTTY);
        bool ok = fd >= 0 && write_all(fd, data);
        int err = errno;
        if (fd >= 0 && close(fd) != 0 && ok) {
            ok = false;
            err = errno;
        }
        if (!ok) {
            fprintf(stderr, "unrecurse: error: cannot write '%s': %s\n", path, strerror(err));
            return 2;
        }
        return 0;
    }
    char *real = exists ? realpath(path, NULL) : NULL; /* through symbolic links */
    const char *target = real ? real : path;
    buf tmp = {0};
    buf_printf(&tmp, "%s.unrecurse-XXXXXX", target);
    int fd = mkstemp(tmp.data);
    if (fd < 0) {
        fprintf(stderr, "unrecurse: error: cannot create '%s': %s\n", tmp.data, strerror(errno));
        buf_fini(&tmp);
        free(real);
        return 2;
    }
    bool ok = write_all(fd, data);
    int err = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    mode_t mask = umask(0);
    umask(mask);
    chmod(tmp.data, exists ? st.st_mode & 07777 : 0666 & ~mask);
    if (ok && rename(tmp.data, target) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        fprintf(stderr, "unrecurse: error: cannot write '%s': %s\n", path, strerror(err));
        unlink(tmp.data);
    }
    buf_fini(&tmp);
    free(real);
    return ok ? 0 : 2;
}

/* --list: each cycle of the call graph, its functions, and whether it can
 * be rewritten; if not, the diagnostics that say why. */
static void print_list(const program *prog)
{
    const source *src = prog->src;
    if (prog->nfns == 0)
        printf("%s: no recursive functions\n", src->path);
    for (int g = 0; g < prog->ngroups; g++) {
        const function *first = NULL;
        int errors = 0, marked = 0, size = 0;
        buf names = {0};
        for (int i = 0; i < prog->nfns; i++) {
            const function *fn = &prog->fns[i];
            if (fn->group != g)
                continue;
            if (!first)
                first = fn;
            buf_printf(&names, "%s'%s'", size ? ", " : "", fn->name);
            errors += fn->errors;
            marked += fn->marked;
            size++;
        }
        unsigned at = first->name_at;
        unsigned line = source_line(src, at);
        printf("%s:%u:%u: %s %s: %s, %s\n", src->path, line,
               (unsigned)(at - src->line_start[line] + 1),
               size == 1 ? "recursive function" : "cycle of", names.data,
               marked == size ? "marked for rewriting"
               : marked       ? "partly marked for rewriting"
                              : "not marked (rewritten with --all or --function)",
               errors ? "cannot be rewritten:" : "can be rewritten");
        for (int i = 0; i < prog->nfns; i++)
            if (prog->fns[i].group == g && prog->fns[i].report.len) {
                const char *r = prog->fns[i].report.data;
                while (*r) {
                    const char *nl = strchr(r, '\n');
                    size_t n = nl ? (size_t)(nl - r) : strlen(r);
                    printf("    %.*s\n", (int)n, r);
                    r += n + (nl != NULL);
                }
            }
        buf_fini(&names);
    }
}

/* Analyzes the file; if macro uses hide recursive calls or returns, parses
 * it again with those uses expanded, and analyzes that instead (its
 * diagnostics replace the first ones). Returns 0, or 1 or 2 when the
 * expanded text does not parse (after clang's errors). */
static int analyze_with_expansion(program *prog, const options *opt)
{
    source *src = prog->src;
    int errors = src->diag->errors;
    analyze(prog, opt);
    if (prog->nexpand == 0)
        return 0;
    char *text = expand_macro_uses(prog);
    if (!text)
        return 0;
    program_fini(prog);
    src->diag->errors = errors;
    free(src->diag->last);
    src->diag->last = NULL;
    int rc = source_reparse(src, text);
    if (rc != 0) {
        fprintf(stderr, "unrecurse: error: '%s' does not parse with its macros expanded\n",
                src->path);
        return rc;
    }
    options again = *opt;
    again.names_checked = true; /* and reported the first time */
    analyze(prog, &again);
    return 0;
}

/* Native first, unless asked not to, for every group none of whose
 * functions has a static local: that object must stay one, and the body
 * would be in two places. */
static void choose_native_first(program *prog, bool wanted)
{
    for (int i = 0; i < prog->nfns; i++) {
        function *fn = &prog->fns[i];
        fn->native_first = wanted;
        for (int j = 0; j < prog->nfns && wanted; j++)
            if (prog->fns[j].group == fn->group && prog->fns[j].has_static_local)
                fn->native_first = false;
    }
}

/* One depth-first walk over the calls between the members of cycles (in
 * ORDER, MEMBERS of them), members out of line left out. A call back to a
 * member still on the walk's path closes a loop, the path from that
 * member on: its first member not declared inline (gcc warns of
 * `noinline` on one) is put out of line, unless DRY. Says whether it put
 * one (DRY: whether it would have). */
static bool walk_loops(program *prog, const int *order, int members, int *next, int *path,
                       char *state, bool dry)
{
    bool marked = false;
    memset(state, 0, (size_t)prog->nfns);
    memset(next, 0, (size_t)prog->nfns * sizeof *next);
    for (int r = 0; r < members; r++) {
        if (state[order[r]] || prog->fns[order[r]].out_of_line)
            continue;
        int depth = 0;
        path[depth++] = order[r];
        state[order[r]] = 1;
        while (depth > 0) {
            int f = path[depth - 1];
            const function *fn = &prog->fns[f];
            if (next[f] == fn->nitems) {
                state[f] = 2;
                depth--;
                continue;
            }
            const item *it = &fn->items[next[f]++];
            int to = it->callee;
            if (it->kind != ITEM_CALL || to == f || prog->fns[to].group != fn->group ||
                prog->fns[to].out_of_line)
                continue;
            if (state[to] == 1) {
                int from = depth - 1;
                while (path[from] != to)
                    from--;
                while (from < depth && prog->fns[path[from]].declared_inline)
                    from++;
                if (from < depth && dry)
                    return true;
                if (from < depth) /* (a member out of line is never on the path) */
                    prog->fns[path[from]].out_of_line = marked = true;
            } else if (!state[to]) {
                state[to] = 1;
                path[depth++] = to;
            }
        }
    }
    return marked;
}

/* Native first, the members of a cycle call each other as C functions,
 * and gcc could inline them into copies of each other without bound
 * (UNRECURSE__NOINLINE in unrecurse.h). Keeping out of line a member of
 * every loop of calls breaks them all, and leaves the other calls to the
 * inliner. Walks (walk_loops) put out of line a member of each loop they
 * find, until one finds none: the calls between the members left then
 * make no loop (but loops of members declared inline alone, left to the
 * compiler). The walks start from the members called from the fewest
 * sites, so that few calls are kept from the inliner: a parser's expr,
 * called from factor alone, rather than factor, called twice from term.
 * They keep their path in an array: a cycle may have many members. */
static void choose_out_of_line(program *prog)
{
    int n = prog->nfns;
    int *order = xcalloc((size_t)n + 1, sizeof *order);
    int *incoming = xcalloc((size_t)n + 1, sizeof *incoming);
    int *next = xcalloc((size_t)n + 1, sizeof *next); /* the next item to follow */
    int *path = xcalloc((size_t)n + 1, sizeof *path);
    char *state = xcalloc((size_t)n + 1, 1);         /* 0 new, 1 on the path, 2 done */
    int members = 0; /* of the cycles to walk, in order */
    for (int i = 0; i < n; i++) {
        const function *fn = &prog->fns[i];
        prog->fns[i].out_of_line = false;
        if (fn->group_size < 2 || !fn->native_first || fn->skipped)
            continue;
        order[members++] = i;
        for (int k = 0; k < fn->nitems; k++) /* the calls between members */
            if (fn->items[k].kind == ITEM_CALL)
                incoming[fn->items[k].callee]++;
    }
    for (int i = 1; i < members; i++) /* fewest callers first, stable */
        for (int j = i; j > 0 && incoming[order[j]] < incoming[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    while (walk_loops(prog, order, members, next, path, state, false))
        ;
    /* A member put out of line for one loop may leave another member, put
     * out of line later, enough for every loop: a hub, called from each
     * of several loops, or a parser's value, which an array and an object
     * call. Each is taken back if the walk finds no loop without it, in
     * the walks' order: those called from the fewest sites first. */
    for (int r = 0; r < members; r++) {
        function *fn = &prog->fns[order[r]];
        if (!fn->out_of_line)
            continue;
        fn->out_of_line = false;
        fn->out_of_line = walk_loops(prog, order, members, next, path, state, true);
    }
    free(order);
    free(incoming);
    free(next);
    free(path);
    free(state);
}

/* --skip-unsupported: every cycle with an error is left as it is, with
 * one warning saying why; returns the number of errors so forgiven. */
static int skip_unsupported(program *prog)
{
    int forgiven = 0;
    for (int g = 0; g < prog->ngroups; g++) {
        const function *first = NULL, *failing = NULL;
        int errors = 0;
        for (int i = 0; i < prog->nfns; i++)
            if (prog->fns[i].group == g) {
                first = first ? first : &prog->fns[i];
                errors += prog->fns[i].errors;
                if (!failing && prog->fns[i].errors)
                    failing = &prog->fns[i];
            }
        if (!errors)
            continue;
        for (int i = 0; i < prog->nfns; i++)
            prog->fns[i].skipped |= prog->fns[i].group == g;
        forgiven += errors;
        /* The first error, as the reason: "PATH:L:C: error: WHY". */
        const char *why = strstr(failing->report.data, ": error: ");
        size_t n = why ? strcspn(why + 9, "\n") : 0;
        diag_at(prog->src, first->name_at, DIAG_WARNING,
                "'%s'%s left as it is (--skip-unsupported): %.*s", first->name,
                first->group_size > 1 ? " and its cycle are" : " is", (int)n,
                why ? why + 9 : "");
    }
    return forgiven;
}

/* Appends PATH to B as make reads it: spaces, '#' and '$' escaped. */
static void make_path(buf *b, const char *path)
{
    for (const char *p = path; *p; p++) {
        if (*p == ' ' || *p == '#' || *p == '\\')
            buf_puts(b, "\\");
        if (*p == '$')
            buf_puts(b, "$");
        buf_put(b, p, 1);
    }
}

/* --depfile: `OUTPUT: INPUT HEADERS...`, and an empty rule per header so
 * that a header that is gone does not stop make (as gcc -MP does). */
static int write_depfile(const cli *c, const source *src)
{
    strvec files = {0};
    source_list_includes(src, &files);
    buf d = {0};
    make_path(&d, c->output);
    buf_puts(&d, ": ");
    make_path(&d, c->input);
    for (int i = 0; i < files.n; i++) {
        buf_puts(&d, " \\\n  ");
        make_path(&d, files.v[i]);
    }
    buf_puts(&d, "\n");
    for (int i = 0; i < files.n; i++) {
        buf_puts(&d, "\n");
        make_path(&d, files.v[i]);
        buf_puts(&d, ":\n");
    }
    int rc = write_output(c->depfile, &d);
    buf_fini(&d);
    strvec_fini(&files);
    return rc;
}

/* The pipeline of tool.h on the command line C; returns the exit status. */
static int run_pipeline(const cli *c)
{
    int rc;
    strvec args = {0};
    strvec_push(&args, xstrdup("-DUNRECURSE_TOOL=1"));
    const char *inc = runtime_include_dir();
    if (inc) {
        buf b = {0};
        buf_printf(&b, "-I%s", inc);
        strvec_push(&args, b.data);
    }
    if (c->compdb && (rc = source_compdb_args(c->compdb, c->input, &args)) != 0) {
        strvec_fini(&args);
        return rc;
    }
    for (int i = 0; i < c->nclang; i++)
        strvec_push(&args, xstrdup(c->clang_args[i]));
    if (!strcmp(c->input, "-")) { /* "<stdin>" is C (load.c) */
        strvec_push(&args, xstrdup("-x"));
        strvec_push(&args, xstrdup("c"));
    }

    diag_state diag = {0};
    source src;
    rc = source_load(&src, c->input, (const char *const *)args.v, args.n);
    src.diag = &diag;
    if (rc == 0) {
        program prog = {.src = &src, .lines = c->lines};
        rc = analyze_with_expansion(&prog, &c->opt);
        if (rc != 0) {
            /* the expanded text did not parse: reported */
        } else if (c->list) {
            print_list(&prog);
        } else {
            int forgiven = c->skip_unsupported ? skip_unsupported(&prog) : 0;
            tasks_find(&prog);
            for (int i = 0; i < prog.nfns; i++)
                if (prog.fns[i].report.len && !prog.fns[i].skipped)
                    fputs(prog.fns[i].report.data, stderr);
            if (diag.errors > forgiven) {
                rc = 1;
            } else if (c->graph) {
                buf out = {0};
                choose_native_first(&prog, !c->heap_only);
                rc = graph_print(&prog, c->graph, &out);
                if (rc == 0)
                    rc = write_output(c->output, &out);
                buf_fini(&out);
            } else {
                buf out = {0};
                choose_native_first(&prog, !c->heap_only);
                choose_out_of_line(&prog);
                emit_program(&prog, &out, c->lines);
                rc = write_output(c->output, &out);
                if (rc == 0 && c->depfile)
                    rc = write_depfile(c, &src);
                buf_fini(&out);
            }
        }
        program_fini(&prog);
    }
    source_fini(&src);
    free(diag.last);
    strvec_fini(&args);
    return rc;
}

static int run(int argc, char **argv)
{
    cli c = {0};
    c.lines = true;
    int rc = parse_cli(&c, argc, argv);
    if (rc < 0)
        rc = run_pipeline(&c);
    /* Every exit, usage errors too, frees what parse_cli collected. */
    free(c.clang_args);
    free(c.opt.functions);
    return rc;
}

/* The pipeline runs on a thread with a large stack, as clang's driver
 * does: libclang's parser and the tool's own walks recurse on the input's
 * nesting (a 16,000-term expression, a 10,000-branch else-if chain). Only
 * the pages used are ever touched. */
enum { TOOL_STACK = 1 << 30 };

typedef struct run_args {
    int argc;
    char **argv;
    int rc;
} run_args;

static void *run_thread(void *data)
{
    run_args *a = data;
    a->rc = run(a->argc, a->argv);
    return NULL;
}

int main(int argc, char **argv)
{
    run_args a = {argc, argv, 2};
    /* Past a file-size limit, a write fails (and the old output stays)
     * instead of killing the tool. */
    signal(SIGXFSZ, SIG_IGN);
    /* libclang parses on a thread of its own, with a stack of its size,
     * unless told not to: then it parses on this big one. */
    setenv("LIBCLANG_NOTHREADS", "1", 0);
    pthread_attr_t attr;
    pthread_t thread;
    if (pthread_attr_init(&attr) == 0 && pthread_attr_setstacksize(&attr, TOOL_STACK) == 0 &&
        pthread_create(&thread, &attr, run_thread, &a) == 0) {
        pthread_join(thread, NULL);
        pthread_attr_destroy(&attr);
        return a.rc;
    }
    return run(argc, argv); /* no big stack to be had: as deep as this one goes */
}
