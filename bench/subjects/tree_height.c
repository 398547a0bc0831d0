/*
 * tree_height.c - the height of a binary tree, 1 + max(h(l), h(r)).
 *
 * Two recursive calls per node, whose results are both needed after the
 * second returns. The tree is degenerate: every node has one child, on the
 * left or on the right as a fixed-seed generator decides, so N nodes make a
 * tree N deep and every level makes one call that returns at once (the
 * missing child) and one that goes down.
 *
 * usage: tree_height N [input]     (N nodes; depth N + 1)
 */
#include <unrecurse.h>

#include "bench.h"

struct tree {
    struct tree *left, *right;
};

UNRECURSE long height(const struct tree *t)
{
    long l, r;

    if (t == NULL)
        return 0;
    l = height(t->left);
    r = height(t->right);
    return 1 + (l > r ? l : r);
}

int main(int argc, char **argv)
{
    struct bench_run run;
    unsigned long long seed = 11;
    struct tree *nodes;
    long i, value;

    bench_init(&run, argc, argv, 1, 200000000);
    nodes = bench_alloc((size_t)run.size, sizeof *nodes);
    for (i = 0; i + 1 < run.size; i++) {
        if (bench_random(&seed) & 1)
            nodes[i].right = &nodes[i + 1];
        else
            nodes[i].left = &nodes[i + 1];
    }
    if (run.input_only) {
        printf("tree of %ld nodes\n", run.size);
        return 0;
    }
    bench_start(&run, &run);
    value = height(nodes);
    bench_stop(&run, run.size + 1);
    printf("tree of %ld nodes: height %ld\n", run.size, value);
    free(nodes);
    return 0;
}
