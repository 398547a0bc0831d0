/*
 * macro_calls.c - recursive calls and returns inside macro uses, as real
 * libraries write them: `1 + MAX(h(l), h(r))` (the larger evaluated
 * twice, as in the original), `CHECK(x)` expanding to `if (!(x)) return
 * -1;`, `TRY(f(x))` propagating an error, a call through a function-like
 * macro, # and ## in the macro, and __VA_ARGS__. The rewrite replaces each
 * such use by its expansion and rewrites that; a trace of the calls shows
 * any difference in how often each runs.
 *
 * unrecurse-test: small=0,1,2,5,12 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unrecurse.h>

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define CHECK(x) if (!(x)) return -1;
#define TRY(e)                 \
    do {                       \
        long rc_ = (e);        \
        if (rc_ < 0)           \
            return rc_;        \
    } while (0)
#define DOWN(f, n) f##_down(n)
#define NAMED(f, x) (strlen(#f) + (size_t)f(x))
#define CALLV(f, ...) f(__VA_ARGS__)

struct tree {
    struct tree *left, *right;
};

static long calls;

/* MAX evaluates the larger of its arguments twice: exponential, as in
 * the original, so only on small trees. */
UNRECURSE long height(const struct tree *t)
{
    calls++;
    if (!t)
        return 0;
    return 1 + MAX(height(t->left),
                   height(t->right));
}

/* Linear: the checks and the error propagation. */
UNRECURSE long walk_down(long n)
{
    calls++;
    CHECK(n >= 0)
    if (n == 0)
        return 0;
    TRY(walk_down(n - 1 - (n % 1000 == 7)));
    return (long)NAMED(walk_down, n % 3 == 0 ? -1 : 0) % 1000 + n % 5;
}

UNRECURSE long sum(long n, long acc)
{
    if (n <= 0)
        return acc;
    long below = CALLV(sum, n - 1, (acc + n) % 1000003);
    return DOWN(walk, n % 4) >= 0 ? below : -below;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10, small = n < 16 ? n : 16;
    struct tree *root = NULL;
    for (long i = 0; i < small; i++) {
        struct tree *t = calloc(1, sizeof *t);
        if (i % 2)
            t->left = root;
        else
            t->right = root;
        root = t;
    }
    long h = height(root);
    printf("height %ld calls %ld\n", h, calls);
    calls = 0;
    long w = walk_down(n);
    printf("walk %ld calls %ld\n", w, calls);
    printf("sum %ld\n", sum(n, 0));
    return 0;
}
