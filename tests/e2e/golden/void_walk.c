/* Golden test: a void function, the recursive call as a statement, work
 * after it, and an early bare return. */
#include <stdio.h>

#include <unrecurse.h>

struct node {
    int value;
    struct node *next;
};

UNRECURSE void print_reversed(const struct node *n, FILE *out)
{
    if (n == NULL)
        return;
    print_reversed(n->next, out);
    fprintf(out, "%d\n", n->value);
}
