/*
 * graph.c - `--graph NAME`: the state machine of NAME, and of the other
 * functions of its cycle, as Graphviz DOT.
 *
 * One cluster per function, holding its states:
 *   entry         where a call of the function starts its body;
 *   return        where its body returns, to the caller's resume point;
 *   PREFIX__resume_K  each recursive call: the call suspends the body here
 *                 (a frame is pushed) and the body resumes here when the
 *                 callee returns; labelled with its line and its text, and
 *                 named as the label in the generated code;
 *   tail call     a `return f(...)` that reuses the frame: no resumption.
 * Edges: the body reaches each call (dotted), a call enters its callee
 * (`call`), the callee's return resumes the caller there (`resume`,
 * dashed), a tail call enters its callee without coming back (`tail
 * call`, bold). Rendering: `dot -Tsvg`.
 */
#include "tool.h"

#include <stdio.h>
#include <string.h>

static void node_name(buf *o, const function *fn, const char *state)
{
    buf_printf(o, "\"%s.%s\"", fn->name, state);
}

static void cluster(const program *prog, const function *fn, buf *o)
{
    const source *src = prog->src;
    buf_printf(o, "    subgraph \"cluster_%s\" {\n        label=\"", fn->name);
    text_quoted(o, fn->name, 0, (unsigned)strlen(fn->name), false);
    buf_printf(o, " (");
    text_quoted(o, src->path, 0, (unsigned)strlen(src->path), false);
    buf_printf(o, ":%u)\";\n        ", source_line(src, fn->name_at));
    node_name(o, fn, "entry");
    buf_puts(o, " [shape=oval, label=\"entry\"];\n        ");
    node_name(o, fn, "return");
    buf_puts(o, " [shape=oval, label=\"return\"];\n");
    for (int i = 0; i < fn->nitems; i++) {
        const item *k = &fn->items[i];
        if (k->kind != ITEM_CALL)
            continue;
        char state[32];
        snprintf(state, sizeof state, "%d", k->id);
        buf_puts(o, "        ");
        node_name(o, fn, state);
        if (k->tail)
            buf_puts(o, " [style=dashed, label=\"tail call\\l");
        else
            buf_printf(o, " [label=\"%s__resume_%d\\l", fn->prefix, k->id);
        buf_printf(o, "line %u: ", source_line(src, k->begin));
        text_quoted(o, src->text, k->begin, k->end, false);
        buf_puts(o, "\\l\"];\n");
    }
    buf_puts(o, "    }\n");
}

static void edges(const program *prog, const function *fn, buf *o)
{
    for (int i = 0; i < fn->nitems; i++) {
        const item *k = &fn->items[i];
        if (k->kind != ITEM_CALL)
            continue;
        const function *callee = &prog->fns[k->callee];
        char state[32];
        snprintf(state, sizeof state, "%d", k->id);
        buf_puts(o, "    ");
        node_name(o, fn, "entry");
        buf_puts(o, " -> ");
        node_name(o, fn, state);
        buf_puts(o, " [style=dotted];\n    ");
        node_name(o, fn, state);
        buf_puts(o, " -> ");
        node_name(o, callee, "entry");
        if (k->tail) {
            buf_puts(o, " [label=\"tail call\", style=bold];\n");
            continue;
        }
        buf_puts(o, " [label=\"call\"];\n    ");
        node_name(o, callee, "return");
        buf_puts(o, " -> ");
        node_name(o, fn, state);
        buf_puts(o, " [label=\"resume\", style=dashed];\n");
    }
    buf_puts(o, "    ");
    node_name(o, fn, "entry");
    buf_puts(o, " -> ");
    node_name(o, fn, "return");
    buf_puts(o, " [style=dotted];\n");
}

int graph_print(const program *prog, const char *name, buf *out)
{
    const function *self = NULL;
    for (int i = 0; i < prog->nfns && !self; i++)
        if (!strcmp(prog->fns[i].name, name))
            self = &prog->fns[i];
    if (!self) {
        fprintf(stderr,
                "unrecurse: error: '%s' is not a function the tool rewrites in '%s' (annotate "
                "it, or add --all or --function %s)\n",
                name, prog->src->path, name);
        return 2;
    }
    buf_puts(out, "digraph \"");
    text_quoted(out, name, 0, (unsigned)strlen(name), false);
    buf_puts(out, "\" {\n    node [shape=box, fontname=\"monospace\", fontsize=10];\n"
                  "    edge [fontname=\"monospace\", fontsize=9];\n");
    for (int e = 0; e < self->group_size; e++)
        cluster(prog, frame_member(prog, self->group, e), out);
    for (int e = 0; e < self->group_size; e++)
        edges(prog, frame_member(prog, self->group, e), out);
    buf_puts(out, "}\n");
    return 0;
}
