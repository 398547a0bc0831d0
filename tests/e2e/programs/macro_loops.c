/*
 * macro_loops.c - loops whose head a macro writes, around a body the user
 * writes with recursive calls in it: `each_child(i, c, node) { ... }` as in
 * jansson's json_object_foreach, and a `repeat_while(cond)`. The head is
 * copied as it is (the macro stays), and the body is rewritten; `continue`
 * and `break` keep their meaning.
 *
 * unrecurse-test: small=0,1,2,5,30 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

struct node {
    struct node *kids[3];
    int nkids;
    long value;
};

#define each_child(i, c, n) for (i = 0; i < (n)->nkids && ((c) = (n)->kids[i]); i++)
#define repeat_while(cond) while (cond)

UNRECURSE long total(const struct node *n)
{
    long sum = n->value;
    const struct node *c = NULL;
    int i;
    each_child(i, c, n) {
        if (c->value < 0)
            continue;
        sum += total(c) % 1000003;
    }
    return sum % 1000003;
}

UNRECURSE long countdown(long n)
{
    long steps = 0;
    repeat_while(n > 0) {
        if (n % 3 == 0) {
            steps += countdown(n - 1) + 1;
            break;
        }
        n--;
        steps++;
    }
    return steps % 1000003;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    /* A chain of n nodes, each with a negative leaf beside its child. */
    struct node *root = NULL;
    for (long i = 0; i < n; i++) {
        struct node *leaf = calloc(1, sizeof *leaf), *t = calloc(1, sizeof *t);
        leaf->value = -1;
        t->value = i;
        t->kids[t->nkids++] = leaf;
        if (root)
            t->kids[t->nkids++] = root;
        root = t;
    }
    printf("total %ld\n", root ? total(root) : 0);
    printf("countdown %ld\n", countdown(n * 3 / 2));
    return 0;
}
