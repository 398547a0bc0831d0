/*
 * list_sum_hand.c - list_sum.c converted to an explicit stack by hand.
 *
 * Going down the list, each waiting call keeps one thing: its node (the
 * value is read back from it when the call resumes); there is only one
 * place to resume, so no state field is needed. The frames form a growable
 * array that doubles when full; coming back up, each frame adds its value.
 *
 * usage: list_sum_hand N [input]
 */
#include "bench.h"

#define MODULUS 1000000007L

struct node {
    long value;
    struct node *next;
};

struct sum_frame {
    const struct node *n; /* the node whose call waits for sum(n->next) */
};

static long sum(const struct node *n)
{
    struct sum_frame *frames = NULL;
    size_t count = 0, capacity = 0;
    long ret;

    /* Going down: every non-empty node waits for the rest of the list. */
    while (n != NULL) {
        if (count == capacity) {
            struct sum_frame *grown;

            capacity = capacity ? 2 * capacity : 64;
            grown = realloc(frames, capacity * sizeof *grown);
            if (grown == NULL) {
                fprintf(stderr, "list_sum_hand: out of memory\n");
                exit(1);
            }
            frames = grown;
        }
        frames[count++].n = n;
        n = n->next;
    }
    /* Coming back up: sum(NULL) is 0, then each node adds its value. */
    ret = 0;
    while (count > 0)
        ret = (frames[--count].n->value + ret) % MODULUS;
    free(frames);
    return ret;
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
