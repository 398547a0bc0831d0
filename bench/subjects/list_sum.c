/*
 * list_sum.c - non-tail linear recursion over a linked list.
 *
 * sum() adds each node's value to the sum of the rest, modulo a prime: the
 * work happens after the recursive call returns, so every node costs one
 * recursion level (without the modulo, gcc -O2 would turn the recursion
 * into a loop by itself). The nodes sit in one array, linked front to back,
 * with values from a fixed-seed generator.
 *
 * usage: list_sum N [input]     (the list has N nodes; depth N + 1)
 */
#include <unrecurse.h>

#include "bench.h"

#define MODULUS 1000000007L

struct node {
    long value;
    struct node *next;
};

UNRECURSE long sum(const struct node *n)
{
    if (n == NULL)
        return 0;
    return (n->value + sum(n->next)) % MODULUS;
}

int main(int argc, char **argv)
{
    struct bench_run run;
    unsigned long long seed = 42;
    struct node *nodes;
    long i, value;

    bench_init(&run, argc, argv, 1, 200000000);
    nodes = bench_alloc((size_t)run.size, sizeof *nodes);
    for (i = 0; i < run.size; i++) {
        nodes[i].value = (long)bench_random(&seed);
        nodes[i].next = i + 1 < run.size ? &nodes[i + 1] : NULL;
    }
    if (run.input_only) {
        printf("list of %ld nodes\n", run.size);
        return 0;
    }
    bench_start(&run, &run);
    value = sum(nodes);
    bench_stop(&run, run.size + 1);
    printf("list of %ld nodes: sum mod %ld = %ld\n", run.size, MODULUS, value);
    free(nodes);
    return 0;
}
