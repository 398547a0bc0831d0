/*
 * task_cost.c - the cost of a task's step against a plain call on heap
 * frames, measured side by side in one run (bench/cost.sh task).
 *
 * The subject is the height of a degenerate binary tree (a spine N deep
 * with a leaf on every other level), computed by a rewritten recursive
 * function: called directly with every call on heap frames (native budget
 * 0), and started as a task, run by a queue (a) in one turn (a quantum as
 * big as the work: the cost of counting steps) and (b) in turns of 64
 * steps, the default quantum (the cost of suspending and resuming too),
 * and (c) against three other tasks of the same work, 64 steps each.
 * Each round runs every variant once, in a rotating order; the medians of
 * the rounds are printed, in nanoseconds per call of the function, and as
 * ratios to the direct call.
 *
 * usage: task_cost N ROUNDS
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <unrecurse.h>

#include "cost.h"

struct tree {
    struct tree *left, *right;
};

UNRECURSE static long height(const struct tree *t)
{
    long l, r;
    if (!t)
        return 0;
    l = height(t->left);
    r = height(t->right);
    return 1 + (l > r ? l : r);
}

static struct tree *build(long n, long *nodes)
{
    struct tree *t = NULL;
    for (long i = 0; i < n; i++) {
        struct tree *x = calloc(1, sizeof *x);
        x->left = t;
        if (i % 2)
            x->right = calloc(1, sizeof *x), ++*nodes;
        t = x;
        ++*nodes;
    }
    return t;
}

enum { DIRECT, ONE_TURN, TURNS_64, FOUR_TASKS, VARIANTS };
static const char *const names[VARIANTS] = {"direct call, heap frames", "task, one turn",
                                            "task, turns of 64 steps", "4 tasks, 64 steps each"};

/* Runs VARIANT once; returns the seconds per tree (the work of one call). */
static double run(int variant, const struct tree *t, long expected)
{
    long h[4] = {0, 0, 0, 0};
    int tasks = variant == FOUR_TASKS ? 4 : 1;
    double start = now();
    if (variant == DIRECT) {
        h[0] = height(t);
    } else {
        unrecurse_queue *q = unrecurse_queue_new();
        unrecurse_queue_set_quantum(q, variant == ONE_TURN ? SIZE_MAX : 64);
        for (int i = 0; i < tasks; i++)
            UNRECURSE_START(q, &h[i], height(t));
        while (unrecurse_queue_run(q, SIZE_MAX) > 0)
            ;
        unrecurse_queue_free(q);
    }
    double seconds = (now() - start) / tasks;
    for (int i = 0; i < tasks; i++)
        if (h[i] != expected) {
            fprintf(stderr, "task_cost: %s gave %ld, not %ld\n", names[variant], h[i], expected);
            exit(1);
        }
    return seconds;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000, nodes = 0;
    int rounds = argc > 2 ? atoi(argv[2]) : 7;
    struct tree *t = build(n, &nodes);
    double *times[VARIANTS];

    unrecurse_set_native_budget(0);
    long expected = height(t);
    for (int v = 0; v < VARIANTS; v++)
        times[v] = malloc((size_t)rounds * sizeof **times);
    for (int r = 0; r < rounds; r++)
        for (int k = 0; k < VARIANTS; k++) {
            int v = (k + r) % VARIANTS;
            times[v][r] = run(v, t, expected);
        }
    /* A call of height per node and per empty child: 2 * nodes + 1. */
    double calls = 2.0 * (double)nodes + 1;
    printf("tree: %ld levels, %ld nodes, %.0f calls per run; medians of %d rounds\n", n, nodes,
           calls, rounds);
    print_medians(names, times, VARIANTS, rounds, calls, "call");
    return 0;
}
