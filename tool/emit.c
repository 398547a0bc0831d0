/*
 * emit.c - the fourth stage: the output file.
 *
 * Everything outside the rewritten functions is copied byte for byte; each
 * rewritten definition is replaced by its frame struct and state machine.
 * `#line` directives map the output back to the user's lines so compiler
 * messages and debuggers point at the original source.
 */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

void trim_line(buf *out)
{
    while (out->len && (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\t'))
        out->len--;
    if (out->data)
        out->data[out->len] = '\0';
}

void emit_line_directive(const source *src, buf *out, unsigned line)
{
    trim_line(out); /* indentation already written on the current line */
    if (out->len && out->data[out->len - 1] != '\n')
        buf_puts(out, "\n");
    buf_printf(out, "#line %u \"", line);
    for (const char *p = src->path; *p; p++)
        buf_printf(out, (*p == '"' || *p == '\\') ? "\\%c" : "%c", *p);
    buf_puts(out, "\"\n");
}

static void find_runtime_header(CXFile included, CXSourceLocation *stack, unsigned depth,
                                CXClientData data)
{
    (void)stack;
    (void)depth;
    char *name = cx_take(clang_getFileName(included));
    const char *base = strrchr(name, '/');
    if (!strcmp(base ? base + 1 : name, "unrecurse.h"))
        *(bool *)data = true;
    free(name);
}

/* Does the translation unit include unrecurse.h already? */
static bool includes_runtime(const source *src)
{
    bool found = false;
    clang_getInclusions(src->tu, find_runtime_header, &found);
    return found;
}

void emit_program(const program *prog, buf *out, bool lines)
{
    const source *src = prog->src;
    if (prog->nfns == 0) {
        buf_put(out, src->text, src->len);
        return;
    }
    if (!includes_runtime(src)) {
        buf_puts(out, "#include <unrecurse.h>\n");
        if (lines)
            emit_line_directive(src, out, 1);
    }
    unsigned at = 0;
    for (int i = 0; i < prog->nfns; i++) {
        const function *fn = &prog->fns[i];
        buf_put(out, src->text + at, fn->begin - at);
        lower_function(prog, fn, out, lines);
        at = fn->end;
        if (lines)
            emit_line_directive(src, out, source_line(src, at));
    }
    buf_put(out, src->text + at, src->len - at);
}
