/*
 * export_macros.c - the signatures of libraries' public functions:
 * `LIB_PUBLIC(long) walk(...)` where the macro takes the return type, an
 * export attribute macro before the declaration, GNU attributes before the
 * storage class, an attribute macro after it, and a prototype with an
 * attribute after the declarator. The rewrite replaces the whole
 * definition, macro use included, so that nothing lands inside a macro's
 * arguments.
 *
 * unrecurse-args: --all
 * unrecurse-test: small=0,1,2,9 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#define LIB_PUBLIC(type) type
#define LIB_EXPORT __attribute__((visibility("default")))
#define LIB_NOINLINE __attribute__((noinline))
#define LIB_PURE __attribute__((pure))

struct node {
    struct node *next;
};

/* Work after each call, so that gcc cannot turn the recursion into a loop. */
#define STEP(d) ((d) + 1 + ((d) % 7 == 3))

LIB_PUBLIC(long) walk1(const struct node *n)
{
    if (!n)
        return 0;
    long d = walk1(n->next);
    return STEP(d);
}

LIB_EXPORT long walk2(const struct node *n)
{
    if (!n)
        return 0;
    long d = walk2(n->next);
    return STEP(d);
}

__attribute__((noinline)) static long walk3(const struct node *n)
{
    if (!n)
        return 0;
    long d = walk3(n->next);
    return STEP(d);
}

static LIB_NOINLINE long walk4(const struct node *n)
{
    if (!n)
        return 0;
    long d = walk4(n->next);
    return STEP(d);
}

LIB_PUBLIC(long) LIB_NOINLINE walk5(const struct node *n) LIB_PURE;
LIB_PUBLIC(long) LIB_NOINLINE walk5(const struct node *n)
{
    if (!n)
        return 0;
    long d = walk5(n->next);
    return STEP(d);
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
    printf("%ld %ld %ld %ld %ld\n", walk1(head), walk2(head), walk3(head), walk4(head),
           walk5(head));
    while (head) {
        struct node *next = head->next;
        free(head);
        head = next;
    }
    return 0;
}
