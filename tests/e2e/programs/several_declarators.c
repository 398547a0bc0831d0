/*
 * several_declarators.c - recursive calls in several declarators of one
 * declaration: `long l = height(t->left), r = height(t->right);`. Each
 * full declarator is evaluated in order, and a later one may use an
 * earlier one (`b = a + ...`), so the rewrite splits the declaration into
 * one per declarator, each with its calls in front of it.
 *
 * unrecurse-test: small=0,1,2,7,40 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

struct tree {
    struct tree *left, *right;
};

static long calls;

UNRECURSE long height(const struct tree *t)
{
    calls++;
    if (!t)
        return 0;
    long l = height(t->left), r = height(t->right), m = l > r ? l : r;
    int a = (int)(l % 1000), b = a + (int)height(NULL), c = b * 2;
    return (1 + m + (b - a) + c % 1) % 1000003;
}

/* The first declarator's call, then one using it. */
UNRECURSE long chain(long n)
{
    if (n <= 0)
        return 1;
    long x = chain(n - 1) % 1000, y = x + chain(n / 2 - 1) % 7;
    return (x + y) % 1000003;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    struct tree *root = NULL;
    for (long i = 0; i < n; i++) {
        struct tree *t = calloc(1, sizeof *t);
        if (i % 2)
            t->left = root;
        else
            t->right = root;
        root = t;
    }
    long h = height(root);
    printf("height %ld calls %ld\n", h, calls);
    printf("chain %ld\n", chain(n < 40 ? n : 40));
    while (root) {
        struct tree *next = root->left ? root->left : root->right;
        free(root);
        root = next;
    }
    return 0;
}
