/*
 * emit.c - the last stage: the output file.
 *
 * Everything outside the rewritten functions is copied byte for byte; each
 * rewritten definition is replaced by its frame struct and state machine
 * (lower.c). `#line` directives map the output back to the user's lines so
 * compiler messages and debuggers point at the original source. A file
 * with nothing to rewrite comes out unchanged.
 */
#include "tool.h"

void emit_program(const program *prog, buf *out, bool lines)
{
    const source *src = prog->src;
    int rewritten = 0;
    for (int i = 0; i < prog->nfns; i++)
        rewritten += !prog->fns[i].skipped;
    if (rewritten == 0) {
        buf_put(out, src->text, src->len);
        return;
    }
    if (tasks_any(prog)) { /* UNRECURSE_START calls the start functions */
        buf_puts(out, "#define UNRECURSE__TASKS 1\n");
        if (lines)
            text_line_directive(src, out, 1);
    }
    if (!source_includes(src, "unrecurse.h")) {
        buf_puts(out, "#include <unrecurse.h>\n");
        if (lines)
            text_line_directive(src, out, 1);
    }
    unsigned at = 0;
    for (int i = 0; i < prog->nfns; i++) {
        const function *fn = &prog->fns[i];
        if (fn->skipped)
            continue; /* copied with the text around it */
        buf_put(out, src->text + at, fn->begin - at);
        lower_function(prog, fn, out, lines);
        at = fn->end;
        if (lines)
            text_line_directive(src, out, source_line(src, at));
    }
    buf_put(out, src->text + at, src->len - at);
}
