/*
 * diag.c - diagnostics in the form compilers use, so editors and CI logs
 * understand them: `FILE:LINE:COL: error: MESSAGE`. Every message about the
 * user's code goes through diag_at, pointing at the user's source.
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_at(const source *src, size_t offset, diag_level level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warning", "note"};
    unsigned line = source_line(src, offset);
    size_t col = offset - src->line_start[line] + 1;
    buf msg = {0};
    buf_printf(&msg, "%s:%u:%zu: %s: ", src->path, line, col, names[level]);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = xrealloc(NULL, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf_puts(&msg, text);
    buf_puts(&msg, "\n");
    free(text);
    if (src->diag && src->diag->last && !strcmp(src->diag->last, msg.data)) {
        buf_fini(&msg);
        return;
    }
    if (src->diag) {
        free(src->diag->last);
        src->diag->last = xstrdup(msg.data);
    }
    if (src->diag && src->diag->capture)
        buf_put(src->diag->capture, msg.data, msg.len);
    else
        fputs(msg.data, stderr);
    buf_fini(&msg);
    if (level == DIAG_ERROR && src->diag)
        src->diag->errors++;
}
