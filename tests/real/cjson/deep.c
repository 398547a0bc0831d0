/* deep.c - drive cJSON's recursive functions on a value nested DEPTH deep.
 *
 * usage: deep MODE DEPTH
 *   parse      cJSON_Parse() of "[[[...]]]" DEPTH deep  (parse_value/parse_array)
 *   print      cJSON_PrintUnformatted() of a DEPTH-deep array
 *                                                    (print_value/print_array)
 *   duplicate  cJSON_Duplicate() of a DEPTH-deep array, recursively
 *   compare    cJSON_Compare() of two DEPTH-deep arrays, and of one with a
 *              deeper one
 *   delete     cJSON_Delete() of a DEPTH-deep array
 *   mergepatch cJSONUtils_MergePatch() of {"a":{"a":...1}} DEPTH deep with
 *              the same object ending in 2                     (merge_patch)
 *   patchtest  cJSONUtils_ApplyPatches() of a JSON Patch "test" of a
 *              DEPTH-deep array against an equal one and a deeper one
 *                                                      (compare_json)
 *
 * The values are built and checked without recursion (by the API, level by
 * level), so only the library function under test goes deep. Each mode but
 * "delete" leaves its values allocated: freeing them is the "delete" mode's
 * work. Prints "MODE ok DEPTH ..." and exits 0 when the result is right, 1
 * if not.
 *
 * Parsing deeper than CJSON_NESTING_LIMIT (1000, a default in cJSON.h)
 * needs the library built with the limit raised: the harness builds it
 * with -DCJSON_NESTING_LIMIT=... for this driver.
 */
#include <cJSON.h>
#include <cJSON_Utils.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* [[[...]]] DEPTH deep, built level by level. */
static cJSON *nest(long depth) {
    cJSON *v = cJSON_CreateArray();
    for (long i = 1; i < depth && v; i++) {
        cJSON *outer = cJSON_CreateArray();
        if (!outer || !cJSON_AddItemToArray(outer, v))
            return NULL;
        v = outer;
    }
    return v;
}

/* {"a":{"a":...{"a":LEAF}...}}, DEPTH objects deep. */
static cJSON *nest_objects(long depth, double leaf) {
    cJSON *v = cJSON_CreateNumber(leaf);
    for (long i = 0; i < depth && v; i++) {
        cJSON *outer = cJSON_CreateObject();
        if (!outer || !cJSON_AddItemToObject(outer, "a", v))
            return NULL;
        v = outer;
    }
    return v;
}

/* How deep V nests, or -1 if it is not a chain of one-element arrays
   ending in an empty one. */
static long depth_of(const cJSON *v) {
    long d = 0;
    while (cJSON_IsArray(v)) {
        d++;
        if (v->child == NULL)
            return d;
        if (v->child->next != NULL)
            return -1;
        v = v->child;
    }
    return -1;
}

/* The number at the bottom of a chain of {"a": ...} DEPTH deep, or -1. */
static double leaf_of(const cJSON *v, long depth) {
    for (long i = 0; i < depth; i++) {
        if (!cJSON_IsObject(v) || v->child == NULL || v->child->next != NULL ||
            v->child->string == NULL || strcmp(v->child->string, "a") != 0)
            return -1;
        v = v->child;
    }
    return cJSON_IsNumber(v) ? cJSON_GetNumberValue(v) : -1;
}

/* [{"op": "test", "path": "", "value": VALUE}] */
static cJSON *test_patch(cJSON *value) {
    cJSON *patches = cJSON_CreateArray(), *patch = cJSON_CreateObject();
    if (!patches || !patch || !cJSON_AddStringToObject(patch, "op", "test") ||
        !cJSON_AddStringToObject(patch, "path", "") ||
        !cJSON_AddItemToObject(patch, "value", value) || !cJSON_AddItemToArray(patches, patch))
        return NULL;
    return patches;
}

static int fail(const char *mode, const char *what) {
    printf("%s FAILED: %s\n", mode, what);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr,
                "usage: %s parse|print|duplicate|compare|delete|mergepatch|patchtest DEPTH\n",
                argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    long depth = atol(argv[2]);
    if (depth < 1)
        return 2;

    if (!strcmp(mode, "parse")) {
        char *text = malloc(2 * (size_t)depth + 1);
        if (!text)
            return fail(mode, "out of memory");
        memset(text, '[', depth);
        memset(text + depth, ']', depth);
        text[2 * depth] = '\0';
        cJSON *v = cJSON_Parse(text);
        if (!v)
            return fail(mode, "cJSON_Parse returned NULL");
        if (depth_of(v) != depth)
            return fail(mode, "wrong shape");
        printf("parse ok %ld\n", depth);
    } else if (!strcmp(mode, "print")) {
        cJSON *v = nest(depth);
        if (!v)
            return fail(mode, "out of memory");
        char *text = cJSON_PrintUnformatted(v);
        if (!text)
            return fail(mode, "cJSON_PrintUnformatted returned NULL");
        size_t len = strlen(text);
        if (len != 2 * (size_t)depth || strspn(text, "[") != (size_t)depth ||
            strspn(text + depth, "]") != (size_t)depth)
            return fail(mode, "wrong text");
        printf("print ok %ld %zu characters\n", depth, len);
    } else if (!strcmp(mode, "duplicate")) {
        cJSON *v = nest(depth);
        if (!v)
            return fail(mode, "out of memory");
        cJSON *copy = cJSON_Duplicate(v, 1);
        if (!copy || copy == v || depth_of(copy) != depth)
            return fail(mode, "wrong copy");
        printf("duplicate ok %ld\n", depth);
    } else if (!strcmp(mode, "compare")) {
        cJSON *a = nest(depth), *b = nest(depth), *c = nest(depth + 1);
        if (!a || !b || !c)
            return fail(mode, "out of memory");
        if (!cJSON_Compare(a, b, 1))
            return fail(mode, "equal values compare unequal");
        if (cJSON_Compare(a, c, 1))
            return fail(mode, "unequal values compare equal");
        printf("compare ok %ld\n", depth);
    } else if (!strcmp(mode, "delete")) {
        cJSON *v = nest(depth);
        if (!v)
            return fail(mode, "out of memory");
        cJSON_Delete(v);
        printf("delete ok %ld\n", depth);
    } else if (!strcmp(mode, "mergepatch")) {
        cJSON *target = nest_objects(depth, 1), *patch = nest_objects(depth, 2);
        if (!target || !patch)
            return fail(mode, "out of memory");
        cJSON *merged = cJSONUtils_MergePatch(target, patch);
        if (!merged)
            return fail(mode, "cJSONUtils_MergePatch returned NULL");
        if (leaf_of(merged, depth) != 2)
            return fail(mode, "wrong result");
        printf("mergepatch ok %ld\n", depth);
    } else if (!strcmp(mode, "patchtest")) {
        cJSON *a = nest(depth), *same = test_patch(nest(depth)),
              *deeper = test_patch(nest(depth + 1));
        if (!a || !same || !deeper)
            return fail(mode, "out of memory");
        int rc_same = cJSONUtils_ApplyPatches(a, same);
        if (rc_same != 0)
            return fail(mode, "equal values fail the test");
        int rc_deeper = cJSONUtils_ApplyPatches(a, deeper);
        if (rc_deeper == 0)
            return fail(mode, "unequal values pass the test");
        printf("patchtest ok %ld %d\n", depth, rc_deeper);
    } else {
        fprintf(stderr, "%s: unknown mode %s\n", argv[0], mode);
        return 2;
    }
    return 0;
}
