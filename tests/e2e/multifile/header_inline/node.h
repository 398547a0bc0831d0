/* A reference-counted node whose release is a static inline function in a
 * header, as jansson's json_decref is: the recursion cycle node_delete ->
 * node_decref -> node_delete passes through it. */
#ifndef NODE_H
#define NODE_H
#include <stdlib.h>

struct node {
    long refs;
    struct node *kid;
};

void node_delete(struct node *n);

static inline void node_decref(struct node *n)
{
    if (n && --n->refs == 0)
        node_delete(n);
}
#endif
