/*
 * list_sum.c - linear, non-tail recursion over a linked list.
 *
 * The list is built in a loop, so it can be as long as memory allows, but the
 * recursive functions that walk it use one stack frame per node: a list of a
 * million nodes overflows a small stack. Rewritten, the same functions keep
 * their frames on the heap.
 *
 *   sum()        adds each node's value to the sum of the rest, modulo a
 *                prime: the work happens after the recursive call returns.
 *                (Without the modulo, gcc -O2 turns "value + sum(rest)" into a
 *                loop by itself; with it, gcc keeps the recursion, as it must
 *                for most real code.)
 *   free_list()  frees the rest of the list, then the node: a void function.
 *
 * Values come from a fixed-seed linear congruential generator, so every run
 * with the same N prints the same line.
 *
 * usage: list_sum N     builds a list of N nodes (0 <= N <= 100000000)
 *
 * unrecurse-test: small=0,1,2,10,1000 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define MODULUS 1000000007L

struct node {
    long value;
    struct node *next;
};

/* Knuth's MMIX LCG; returns 31 well-mixed bits. */
static unsigned long long lcg_state = 42;

static long lcg_next(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (long)(lcg_state >> 33);
}

UNRECURSE long sum(const struct node *n)
{
    if (n == NULL)
        return 0;
    return (n->value + sum(n->next)) % MODULUS;
}

UNRECURSE void free_list(struct node *n)
{
    if (n == NULL)
        return;
    free_list(n->next);
    free(n);
}

int main(int argc, char **argv)
{
    long count = 1000;
    struct node *head = NULL;
    long i;

    if (argc > 1)
        count = strtol(argv[1], NULL, 10);
    if (count < 0 || count > 100000000) {
        fprintf(stderr, "usage: list_sum N   (0 <= N <= 100000000)\n");
        return 2;
    }
    for (i = 0; i < count; i++) {
        struct node *n = malloc(sizeof *n);
        if (n == NULL) {
            fprintf(stderr, "list_sum: out of memory\n");
            return 1;
        }
        n->value = lcg_next();
        n->next = head;
        head = n;
    }
    printf("list of %ld nodes: sum mod %ld = %ld\n", count, MODULUS, sum(head));
    free_list(head);
    return 0;
}
