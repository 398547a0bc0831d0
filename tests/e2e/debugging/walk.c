/* walk.c - the program of tests/e2e/debugging.sh; its line numbers are
 * part of that test. */
#include <stdio.h>
#include <stdlib.h>

struct node { long value; struct node *next; };

long total(const struct node *n)
{
    long rest;
    int unused_here; /* the warning the test expects, at this line (11) */
    if (!n)
        return 0;
    rest = total(n->next);
    rest = rest * 3 + n->value; /* the breakpoint: line 15 */
    return rest % 1000003;
}

int main(int argc, char **argv)
{
    long count = argc > 1 ? atol(argv[1]) : 10, i;
    struct node *head = NULL;

    for (i = 0; i < count; i++) {
        struct node *n = malloc(sizeof *n);
        n->value = i;
        n->next = head;
        head = n;
    }
    printf("%ld\n", total(head));
    return 0;
}
