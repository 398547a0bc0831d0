/*
 * fuzz_tool.c - a libFuzzer target over the whole unrecurse tool, in
 * process: each input is a C file, rewritten with `unrecurse --all`.
 *
 * The tool's sources are compiled into this target unchanged, with main()
 * renamed unrecurse_tool_main (-Dmain=unrecurse_tool_main on tool/main.c,
 * see CMakeLists.txt), so every input runs the real command line: options,
 * the pipeline on its big-stack thread, the output written through a
 * temporary file. The checks are the tool's contract (README.md):
 *
 *   exit 0   the output file exists;
 *   exit 1   the input was rejected: no output file, and a located
 *            diagnostic, "FILE:LINE:COL: error: ...", on standard error;
 *   else     a finding (2 is a usage or I/O error, which a well-formed
 *            command line on a readable file must never give).
 *
 * A finding aborts, so libFuzzer saves the input; ASan and UBSan (built in,
 * -fno-sanitize-recover) abort on their own. Every run also checks that
 * the tool left nothing but in.c and out.c in the work directory (no stray
 * temporary file).
 *
 * The tool's standard error is kept in memory for that check: `stderr`
 * points to a memory stream while the tool runs (glibc lets a program
 * assign it). libFuzzer took its own copy of the pointer at start-up and
 * the sanitizers write to file descriptor 2, so their reports are not
 * caught; the tool's messages are printed after a finding.
 *
 * Files: one work directory per process, made at start-up with mkdtemp in
 * $TMPDIR (default /tmp) and removed at a normal exit; it holds in.c (the
 * input) and out.c (the output). Nothing else is written by the target.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* open_memstream */
#endif
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int unrecurse_tool_main(int argc, char **argv);

static char work[PATH_MAX];
static char in_path[PATH_MAX + 8];
static char out_path[PATH_MAX + 8];
static char *messages; /* the tool's standard error in the last run */
static size_t messages_len;

static void finding(const char *what, int rc)
{
    fprintf(stderr, "fuzz_tool: the tool's standard error:\n%.*s", (int)messages_len,
            messages ? messages : "");
    fprintf(stderr, "fuzz_tool: FINDING: %s (exit status %d)\n", what, rc);
    abort();
}

/* Stops the fuzzer: the harness cannot run, which is no finding. */
static void broken(const char *what, const char *path)
{
    perror(path);
    fprintf(stderr, "fuzz_tool: %s\n", what);
    exit(1);
}

static void remove_work(void)
{
    unlink(in_path);
    unlink(out_path);
    rmdir(work);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(work, sizeof work, "%s/unrecurse-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(work))
        broken("cannot make the work directory", work);
    snprintf(in_path, sizeof in_path, "%s/in.c", work);
    snprintf(out_path, sizeof out_path, "%s/out.c", work);
    atexit(remove_work);
    return 0;
}

/* Does the work directory hold a file other than in.c and out.c? */
static const char *stray_file(void)
{
    static char name[NAME_MAX + 1];
    DIR *d = opendir(work);
    if (!d)
        broken("cannot read the work directory", work);
    struct dirent *e;
    const char *found = NULL;
    while (!found && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "in.c") &&
            strcmp(e->d_name, "out.c")) {
            snprintf(name, sizeof name, "%s", e->d_name);
            found = name;
        }
    closedir(d);
    return found;
}

/* Do the messages hold a located error, ":LINE:COL: error: "? */
static int located_error(void)
{
    static const char tag[] = ": error: ";
    for (const char *p = messages; p && (p = strstr(p, tag)); p++) {
        const char *q = p;
        for (int field = 0; field < 2; field++) {
            const char *digits = q;
            while (q > messages && isdigit((unsigned char)q[-1]))
                q--;
            if (q == digits || q == messages || *--q != ':')
                break;
            if (field == 1)
                return 1;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(in_path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        broken("cannot write the input", in_path);
    unlink(out_path);

    char arg0[] = "unrecurse", all[] = "--all", o[] = "-o";
    char *argv[] = {arg0, all, in_path, o, out_path, NULL};
    free(messages);
    messages = NULL;
    FILE *saved = stderr, *capture = open_memstream(&messages, &messages_len);
    if (!capture)
        broken("cannot open a memory stream", "open_memstream");
    stderr = capture;
    int rc = unrecurse_tool_main(5, argv);
    stderr = saved;
    fclose(capture);

    int written = access(out_path, F_OK) == 0;
    const char *stray = stray_file();
    if (stray) {
        fprintf(stderr, "fuzz_tool: left in the work directory: %s\n", stray);
        finding("the tool left a file behind", rc);
    }
    if (rc != 0 && rc != 1)
        finding("exit status neither 0 nor 1", rc);
    if (rc == 0 && !written)
        finding("exit status 0 but no output file", rc);
    if (rc == 1 && written)
        finding("exit status 1 but an output file", rc);
    if (rc == 1 && !located_error())
        finding("exit status 1 without a located FILE:LINE:COL: error:", rc);
    return 0;
}
