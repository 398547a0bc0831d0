/* A file that parses only with its compile database's flags: walk.h is
 * found through -Iinclude relative to the database's directory, and
 * WALK_DEPTH_T comes from a -D. */
#include <stdio.h>
#include <stdlib.h>
#include "walk.h"

depth_t walk(const struct node *n)
{
    if (!n)
        return 0;
    /* Work after the call, so that gcc cannot make the recursion a loop. */
    depth_t below = walk(n->next);
    return below + 1 + (below % 7 == 3);
}

int main(int argc, char **argv)
{
    long count = argc > 1 ? atol(argv[1]) : 10;
    struct node *head = NULL;
    for (long i = 0; i < count; i++) {
        struct node *n = malloc(sizeof *n);
        n->next = head;
        head = n;
    }
    printf("%ld\n", (long)walk(head));
    while (head) {
        struct node *next = head->next;
        free(head);
        head = next;
    }
    return 0;
}
