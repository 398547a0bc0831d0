/*
 * node.c - a cycle through a function defined in a header: --all must see
 * it (the call graph holds the header's definitions too) and rewrite
 * node_delete, whose calls back through node_decref are nested runs.
 *
 * unrecurse-args: --all
 * unrecurse-warning: 'node_delete' is on a recursion cycle through 'node_decref', defined outside this file
 * unrecurse-test: small=0,1,2,10 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include "node.h"

static long freed;

void node_delete(struct node *n)
{
    node_decref(n->kid);
    freed++;
    free(n);
}

int main(int argc, char **argv)
{
    long depth = argc > 1 ? atol(argv[1]) : 10;
    struct node *top = NULL;
    for (long i = 0; i < depth; i++) {
        struct node *n = malloc(sizeof *n);
        if (!n)
            return 1;
        n->refs = 1;
        n->kid = top;
        top = n;
    }
    node_decref(top);
    printf("freed %ld of %ld\n", freed, depth);
    return 0;
}
