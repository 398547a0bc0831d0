/* deep.c - drive json-c's recursive functions on a value nested DEPTH deep.
 *
 * usage: deep MODE DEPTH
 *   pointer   json_pointer_get() of "/0/0/.../0", DEPTH-1 steps (json_pointer_get_recursive)
 *   equal     json_object_equal() of two DEPTH-deep arrays      (json_object_equal/json_array_equal)
 *   copy      json_object_deep_copy() of a DEPTH-deep array     (json_object_deep_copy_recursive)
 *   visit     json_c_visit() of a DEPTH-deep array               (_json_c_visit)
 *   string    json_object_to_json_string_ext() of it             (through the _to_json_string pointers)
 *   free      json_object_put() of it                            (through the free callbacks)
 *
 * The values are built and checked without recursion, level by level, so
 * only the library function under test goes deep. Each mode but "free"
 * leaves its values allocated. json-c's parser is not a mode: it keeps its
 * own stack (json_tokener_new_ex(depth)), so deep input does not crash it.
 * Prints "MODE ok DEPTH ..." and exits 0 when the result is right, 1 if not.
 */
#include <json.h>
#include <json_visit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_object *nest(long depth) {
    json_object *v = json_object_new_array();
    for (long i = 1; i < depth && v; i++) {
        json_object *outer = json_object_new_array();
        if (!outer || json_object_array_add(outer, v))
            return NULL;
        v = outer;
    }
    return v;
}

/* How deep V nests, or -1 if it is not a chain of one-element arrays
   ending in an empty one. */
static long depth_of(json_object *v) {
    long d = 0;
    while (json_object_is_type(v, json_type_array)) {
        d++;
        size_t n = json_object_array_length(v);
        if (n == 0)
            return d;
        if (n != 1)
            return -1;
        v = json_object_array_get_idx(v, 0);
    }
    return -1;
}

static long visited;
static int count(json_object *jso, int flags, json_object *parent, const char *key,
                 size_t *index, void *arg) {
    (void)jso, (void)parent, (void)key, (void)index, (void)arg;
    if (flags != JSON_C_VISIT_SECOND)
        visited++;
    return JSON_C_VISIT_RETURN_CONTINUE;
}

static int fail(const char *mode, const char *what) {
    printf("%s FAILED: %s\n", mode, what);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s pointer|equal|copy|visit|string|free DEPTH\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    long depth = atol(argv[2]);
    if (depth < 1)
        return 2;
    json_object *v = nest(depth);
    if (!v)
        return fail(mode, "out of memory");

    if (!strcmp(mode, "pointer")) {
        char *path = malloc(2 * (size_t)depth + 1);
        if (!path)
            return fail(mode, "out of memory");
        for (long i = 0; i < depth - 1; i++)
            memcpy(path + 2 * i, "/0", 2);
        path[2 * (depth - 1)] = '\0';
        json_object *got = NULL;
        if (depth > 1 && json_pointer_get(v, path, &got))
            return fail(mode, "json_pointer_get failed");
        if (depth > 1 && depth_of(got) != 1)
            return fail(mode, "wrong element");
        printf("pointer ok %ld\n", depth);
    } else if (!strcmp(mode, "equal")) {
        json_object *b = nest(depth), *c = nest(depth + 1);
        if (!b || !c)
            return fail(mode, "out of memory");
        if (!json_object_equal(v, b))
            return fail(mode, "equal values compare unequal");
        if (json_object_equal(v, c))
            return fail(mode, "unequal values compare equal");
        printf("equal ok %ld\n", depth);
    } else if (!strcmp(mode, "copy")) {
        json_object *copy = NULL;
        if (json_object_deep_copy(v, &copy, NULL) || !copy || copy == v ||
            depth_of(copy) != depth)
            return fail(mode, "wrong copy");
        printf("copy ok %ld\n", depth);
    } else if (!strcmp(mode, "visit")) {
        if (json_c_visit(v, 0, count, NULL) != 0 || visited != depth)
            return fail(mode, "wrong visit");
        printf("visit ok %ld %ld nodes\n", depth, visited);
    } else if (!strcmp(mode, "string")) {
        const char *text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
        if (!text)
            return fail(mode, "no text");
        size_t len = strlen(text);
        if (len != 2 * (size_t)depth || strspn(text, "[") != (size_t)depth ||
            strspn(text + depth, "]") != (size_t)depth)
            return fail(mode, "wrong text");
        printf("string ok %ld %zu characters\n", depth, len);
    } else if (!strcmp(mode, "free")) {
        if (json_object_put(v) != 1)
            return fail(mode, "json_object_put did not free");
        printf("free ok %ld\n", depth);
    } else {
        fprintf(stderr, "%s: unknown mode %s\n", argv[0], mode);
        return 2;
    }
    return 0;
}
