/*
 * gen_cost.c - the cost of a value from a recursive generator, against a
 * native recursive visitor with a callback, side by side in one run
 * (bench/cost.sh gen, which gives it an unlimited stack).
 *
 * The tree is a binary search tree degenerated into a left spine N deep,
 * with a right leaf on every other level: an in-order visit recurses N
 * deep and meets 1.5 N keys. Variants, each summing the keys:
 *   native     visit(): the same recursion, not rewritten (no UNRECURSE),
 *              a callback per key
 *   pulled     inorder() rewritten, as a generator (UNRECURSE_GEN), the
 *              keys taken with unrecurse_gen_next, the default batch (64)
 *   batch 1    the same, run only as far as each key needs
 *   pushed     inorder() rewritten, called directly: each key to a callback
 *              (unrecurse_yield_to)
 * Each round runs every variant once, in a rotating order; the medians of
 * the rounds are printed, in nanoseconds per key and as ratios to native.
 *
 * usage: gen_cost N ROUNDS
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <unrecurse.h>

#include "cost.h"

struct tree {
    struct tree *left, *right;
    long key;
};

UNRECURSE static void inorder(const struct tree *t)
{
    if (!t)
        return;
    inorder(t->left);
    UNRECURSE_YIELD(t->key);
    inorder(t->right);
}

static void visit(const struct tree *t, void (*fn)(long, void *), void *data)
{
    if (!t)
        return;
    visit(t->left, fn, data);
    fn(t->key, data);
    visit(t->right, fn, data);
}

static void add(long key, void *data)
{
    *(long *)data += key;
}

static void add_value(const void *value, size_t size, void *data)
{
    (void)size;
    *(long *)data += *(const long *)value;
}

enum { NATIVE, PULLED, BATCH_1, PUSHED, VARIANTS };
static const char *const names[VARIANTS] = {"native visitor, callback", "pulled, batch 64",
                                            "pulled, batch 1", "pushed (called directly)"};

static double run(int variant, const struct tree *t, long expected)
{
    long sum = 0, key;
    double start = now();
    if (variant == NATIVE) {
        visit(t, add, &sum);
    } else if (variant == PUSHED) {
        unrecurse_yield_to(add_value, &sum);
        inorder(t);
        unrecurse_yield_to(NULL, NULL);
    } else {
        unrecurse_gen *g = UNRECURSE_GEN(long, inorder(t));
        if (variant == BATCH_1)
            unrecurse_gen_set_batch(g, 1);
        while (unrecurse_gen_next(g, &key))
            sum += key;
        unrecurse_gen_free(g);
    }
    double seconds = now() - start;
    if (sum != expected) {
        fprintf(stderr, "gen_cost: %s summed %ld, not %ld\n", names[variant], sum, expected);
        exit(1);
    }
    return seconds;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000, keys = 0, expected = 0;
    int rounds = argc > 2 ? atoi(argv[2]) : 9;
    struct tree *root = NULL;
    double *times[VARIANTS];

    for (long i = 1; i <= n; i++) {
        struct tree *t = calloc(1, sizeof *t);
        t->key = 2 * i;
        t->left = root;
        expected += t->key, keys++;
        if (i % 2) {
            t->right = calloc(1, sizeof *t);
            t->right->key = 2 * i + 1;
            expected += t->right->key, keys++;
        }
        root = t;
    }
    for (int v = 0; v < VARIANTS; v++)
        times[v] = malloc((size_t)rounds * sizeof **times);
    for (int r = 0; r < rounds; r++)
        for (int k = 0; k < VARIANTS; k++) {
            int v = (k + r) % VARIANTS;
            times[v][r] = run(v, root, expected);
        }
    printf("tree: %ld levels, %ld keys; medians of %d rounds\n", n, keys, rounds);
    print_medians(names, times, VARIANTS, rounds, (double)keys, "key");
    return 0;
}
