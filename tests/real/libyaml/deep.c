/* deep.c - drive libyaml's recursive dumper on a document nested DEPTH deep.
 *
 * usage: deep MODE DEPTH
 *   dump     yaml_emitter_dump() of a document of flow sequences DEPTH
 *            deep, "[[[...]]]" (yaml_emitter_anchor_node, then the cycle
 *            yaml_emitter_dump_node/yaml_emitter_dump_sequence)
 *   dumpmap  the same with flow mappings, "{a: {a: ...{}}}"
 *            (yaml_emitter_anchor_node, yaml_emitter_dump_node/
 *            yaml_emitter_dump_mapping)
 *
 * The documents are built without recursion (the nodes are added outermost
 * first, the root being the first node, then each appended to the one
 * before), and the text is checked character by character. The line width is
 * unlimited, so that the text has no line breaks and stays linear in
 * DEPTH. Prints "MODE ok DEPTH ..." and exits 0 when the result is right,
 * 1 if not.
 */
#include <yaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct text {
    unsigned char *data;
    size_t size, capacity;
};

static int write_text(void *data, unsigned char *buffer, size_t size) {
    struct text *t = data;
    if (t->size + size > t->capacity) {
        size_t c = t->capacity ? t->capacity : 4096;
        while (t->size + size > c)
            c *= 2;
        unsigned char *d = realloc(t->data, c);
        if (!d)
            return 0;
        t->data = d;
        t->capacity = c;
    }
    memcpy(t->data + t->size, buffer, size);
    t->size += size;
    return 1;
}

static int fail(const char *mode, const char *what) {
    printf("%s FAILED: %s\n", mode, what);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s dump|dumpmap DEPTH\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    long depth = atol(argv[2]);
    if (depth < 1 || depth > 1000000000)
        return 2;

    int map = !strcmp(mode, "dumpmap");
    if (map || !strcmp(mode, "dump")) {
        yaml_document_t doc;
        if (!yaml_document_initialize(&doc, NULL, NULL, NULL, 1, 1))
            return fail(mode, "yaml_document_initialize failed");
        /* Nodes 1..DEPTH the collections, outermost first; then, for
           mappings, DEPTH - 1 keys "a". */
        for (long i = 0; i < depth; i++) {
            int id = map ? yaml_document_add_mapping(&doc, NULL, YAML_FLOW_MAPPING_STYLE)
                         : yaml_document_add_sequence(&doc, NULL, YAML_FLOW_SEQUENCE_STYLE);
            if (id != (int)i + 1)
                return fail(mode, "adding a node failed");
        }
        for (long i = 1; i < depth; i++) {
            if (map) {
                int key = yaml_document_add_scalar(&doc, NULL, (yaml_char_t *)"a", 1,
                                                   YAML_PLAIN_SCALAR_STYLE);
                if (!key || !yaml_document_append_mapping_pair(&doc, (int)i, key, (int)i + 1))
                    return fail(mode, "adding a pair failed");
            } else if (!yaml_document_append_sequence_item(&doc, (int)i, (int)i + 1)) {
                return fail(mode, "adding an item failed");
            }
        }
        yaml_emitter_t emitter;
        struct text text = {NULL, 0, 0};
        if (!yaml_emitter_initialize(&emitter))
            return fail(mode, "yaml_emitter_initialize failed");
        yaml_emitter_set_output(&emitter, write_text, &text);
        yaml_emitter_set_width(&emitter, -1);
        if (!yaml_emitter_open(&emitter) || !yaml_emitter_dump(&emitter, &doc) ||
            !yaml_emitter_close(&emitter) || !yaml_emitter_flush(&emitter))
            return fail(mode, emitter.problem ? emitter.problem : "the emitter failed");
        yaml_emitter_delete(&emitter);
        /* "[[...[]...]]" or "{a: {a: ...{}...}}", and a line break. */
        const char *open = map ? "{a: " : "[", *inner = map ? "{}" : "[]";
        const char close = map ? '}' : ']';
        size_t n = strlen(open), at = 0;
        for (long i = 1; i < depth; i++, at += n)
            if (at + n > text.size || memcmp(text.data + at, open, n))
                return fail(mode, "wrong text (opening)");
        if (at + 2 > text.size || memcmp(text.data + at, inner, 2))
            return fail(mode, "wrong text (innermost)");
        at += 2;
        for (long i = 1; i < depth; i++, at++)
            if (at >= text.size || text.data[at] != close)
                return fail(mode, "wrong text (closing)");
        if (at + 1 != text.size || text.data[at] != '\n')
            return fail(mode, "wrong text (end)");
        printf("%s ok %ld %zu characters\n", mode, depth, text.size);
    } else {
        fprintf(stderr, "%s: unknown mode %s\n", argv[0], mode);
        return 2;
    }
    return 0;
}
