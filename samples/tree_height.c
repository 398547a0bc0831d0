/*
 * tree_height.c - height of a binary tree: 1 + max(height(left), height(right)).
 *
 * Recursive tree walks are fine on balanced trees and crash on degenerate
 * ones, such as a binary search tree fed sorted keys. This tree is built in a
 * loop as such a "vine": each new node becomes the root, with the old root as
 * its left or right child (chosen by a fixed-seed LCG) and, now and then, a
 * leaf on the other side. Its height is about N.
 *
 *   height()  two recursive calls as the arguments of a plain function,
 *             max_long(), inside a return expression
 *   count()   two recursive calls as right-hand sides of assignments
 *
 * usage: tree_height N    builds a tree with N nodes on its spine
 *
 * unrecurse-test: small=0,1,2,3,10,1000 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

struct tree {
    struct tree *left;
    struct tree *right;
};

static unsigned long long lcg_state = 2024;

static unsigned lcg_next(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(lcg_state >> 33);
}

static long max_long(long a, long b)
{
    if (a > b)
        return a;
    return b;
}

UNRECURSE long height(const struct tree *t)
{
    if (t == NULL)
        return 0;
    return 1 + max_long(height(t->left), height(t->right));
}

UNRECURSE static long count(const struct tree *t)
{
    long left, right;

    if (t == NULL)
        return 0;
    left = count(t->left);
    right = count(t->right);
    return left + right + 1;
}

static struct tree *new_node(struct tree *left, struct tree *right)
{
    struct tree *t = malloc(sizeof *t);
    if (t == NULL) {
        fprintf(stderr, "tree_height: out of memory\n");
        exit(1);
    }
    t->left = left;
    t->right = right;
    return t;
}

int main(int argc, char **argv)
{
    long spine = 1000;
    struct tree *root = NULL;
    long i;

    if (argc > 1)
        spine = strtol(argv[1], NULL, 10);
    if (spine < 0 || spine > 50000000) {
        fprintf(stderr, "usage: tree_height N   (0 <= N <= 50000000)\n");
        return 2;
    }
    for (i = 0; i < spine; i++) {
        unsigned r = lcg_next();
        struct tree *leaf = (r & 6) == 0 ? new_node(NULL, NULL) : NULL;
        if (r & 1)
            root = new_node(root, leaf);
        else
            root = new_node(leaf, root);
    }
    printf("tree of %ld nodes: height %ld\n", count(root), height(root));
    /* The nodes are left to the operating system: freeing a vine
     * recursively is what list_sum.c's free_list() shows. */
    return 0;
}
