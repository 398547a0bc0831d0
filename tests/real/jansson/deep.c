/* deep.c - drive jansson's recursive functions on a value nested DEPTH deep.
 *
 * usage: deep MODE DEPTH
 *   load   json_loads() of "[[[...]]]" DEPTH deep      (parse_value/parse_array)
 *   dump   json_dumps() of a DEPTH-deep array           (do_dump)
 *   equal  json_equal() of two DEPTH-deep arrays        (json_equal/json_array_equal)
 *   copy   json_deep_copy() of a DEPTH-deep array       (do_deep_copy/json_array_deep_copy)
 *   free   json_decref() of a DEPTH-deep array          (json_delete/json_decref)
 *
 * The values are built and checked without recursion (by the API, level by
 * level), so only the library function under test goes deep. Each mode but
 * "free" leaves its values allocated: freeing them is the "free" mode's work.
 * Prints "MODE ok DEPTH ..." and exits 0 when the result is right, 1 if not.
 *
 * Loading deeper than JSON_PARSER_MAX_DEPTH (2048, fixed in
 * jansson_config.h) needs the library built with the limit raised: the
 * harness builds it with -include deep-config.h for this driver.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* [[[...]]] DEPTH deep, built level by level. */
static json_t *nest(long depth) {
    json_t *v = json_array();
    for (long i = 1; i < depth && v; i++) {
        json_t *outer = json_array();
        if (!outer || json_array_append_new(outer, v))
            return NULL;
        v = outer;
    }
    return v;
}

/* How deep V nests, or -1 if it is not a chain of one-element arrays
   ending in an empty one. */
static long depth_of(const json_t *v) {
    long d = 0;
    while (json_is_array(v)) {
        d++;
        if (json_array_size(v) == 0)
            return d;
        if (json_array_size(v) != 1)
            return -1;
        v = json_array_get(v, 0);
    }
    return -1;
}

static int fail(const char *mode, const char *what) {
    printf("%s FAILED: %s\n", mode, what);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s load|dump|equal|copy|free DEPTH\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    long depth = atol(argv[2]);
    if (depth < 1)
        return 2;

    if (!strcmp(mode, "load")) {
        char *text = malloc(2 * (size_t)depth + 1);
        if (!text)
            return fail(mode, "out of memory");
        memset(text, '[', depth);
        memset(text + depth, ']', depth);
        text[2 * depth] = '\0';
        json_error_t error;
        json_t *v = json_loads(text, 0, &error);
        if (!v)
            return fail(mode, error.text);
        if (depth_of(v) != depth)
            return fail(mode, "wrong shape");
        printf("load ok %ld\n", depth);
    } else if (!strcmp(mode, "dump")) {
        json_t *v = nest(depth);
        if (!v)
            return fail(mode, "out of memory");
        char *text = json_dumps(v, JSON_COMPACT);
        if (!text)
            return fail(mode, "json_dumps returned NULL");
        size_t len = strlen(text);
        if (len != 2 * (size_t)depth || strspn(text, "[") != (size_t)depth ||
            strspn(text + depth, "]") != (size_t)depth)
            return fail(mode, "wrong text");
        printf("dump ok %ld %zu characters\n", depth, len);
    } else if (!strcmp(mode, "equal")) {
        json_t *a = nest(depth), *b = nest(depth), *c = nest(depth + 1);
        if (!a || !b || !c)
            return fail(mode, "out of memory");
        if (!json_equal(a, b))
            return fail(mode, "equal values compare unequal");
        if (json_equal(a, c))
            return fail(mode, "unequal values compare equal");
        printf("equal ok %ld\n", depth);
    } else if (!strcmp(mode, "copy")) {
        json_t *v = nest(depth);
        if (!v)
            return fail(mode, "out of memory");
        json_t *copy = json_deep_copy(v);
        if (!copy || copy == v || depth_of(copy) != depth)
            return fail(mode, "wrong copy");
        printf("copy ok %ld\n", depth);
    } else if (!strcmp(mode, "free")) {
        json_t *v = nest(depth);
        if (!v)
            return fail(mode, "out of memory");
        json_decref(v);
        printf("free ok %ld\n", depth);
    } else {
        fprintf(stderr, "%s: unknown mode %s\n", argv[0], mode);
        return 2;
    }
    return 0;
}
