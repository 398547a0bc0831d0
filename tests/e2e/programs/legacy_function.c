/*
 * legacy_function.c - legacy code, not edited for unrecurse: no annotation, no
 * unrecurse.h. --function names the functions to rewrite (a
 * directly recursive one and a cycle of three) and leaves the rest alone.
 *
 * unrecurse-args: --function sum --function step_b --function step_c --function step_a
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

struct node {
    struct node *next;
    long value;
};

static long sum(const struct node *n)
{
    if (!n)
        return 0;
    return n->value + sum(n->next);
}

static long step_b(long n, long acc);
static long step_c(long n, long acc);

static long step_a(long n, long acc)
{
    if (n <= 0)
        return acc;
    return step_b(n - 1, (acc * 3 + n) % 1000003) + 1;
}

static long step_b(long n, long acc)
{
    if (n <= 0)
        return acc;
    return step_c(n - 1, acc + 7);
}

static long step_c(long n, long acc)
{
    if (n <= 0)
        return acc;
    long r = step_a(n - 1, acc ^ 5);
    return r % 1000003;
}

/* Not recursive: left as it is. */
static struct node *build(long n)
{
    struct node *head = NULL;
    for (long i = 0; i < n; i++) {
        struct node *x = malloc(sizeof *x);
        if (!x)
            abort();
        x->value = i % 97;
        x->next = head;
        head = x;
    }
    return head;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    struct node *list = build(n);
    printf("sum %ld\n", sum(list));
    printf("steps %ld\n", step_a(n, 1));
    while (list) {
        struct node *next = list->next;
        free(list);
        list = next;
    }
    return 0;
}
