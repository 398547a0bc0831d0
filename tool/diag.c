/*
 * diag.c - diagnostics in the form compilers use, so editors and CI logs
 * understand them: `FILE:LINE:COL: error: MESSAGE`. Every message about the
 * user's code goes through diag_at, pointing at the user's source.
 */
#include "tool.h"

#include <stdio.h>

int diag_errors;

void diag_at(const source *src, size_t offset, diag_level level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warning", "note"};
    unsigned line = source_line(src, offset);
    size_t col = offset - src->line_start[line] + 1;
    fprintf(stderr, "%s:%u:%zu: %s: ", src->path, line, col, names[level]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (level == DIAG_ERROR)
        diag_errors++;
}
