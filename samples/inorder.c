/*
 * inorder.c - a recursive in-order tree iterator: UNRECURSE_YIELD inside
 * the recursion, its values pulled one at a time, with an early exit.
 *
 * inorder() is the textbook recursive visitor: left subtree, the node,
 * right subtree; at the node it yields the key. The tree is a binary
 * search tree that degenerated into a left spine N deep (each key the
 * parent of the next smaller one), with a leaf on the right now and then:
 * the recursion is N deep, and not a tail call.
 *
 *   pulled   the keys taken one by one with unrecurse_gen_next, stopping
 *            at the first key past the middle (an early exit: the
 *            generator is freed with its recursion half done)
 *   pushed   the same visitor called directly: each key goes to a
 *            callback (unrecurse_yield_to), all of them
 *
 * Built without the tool, UNRECURSE_GEN runs the visit at once and keeps
 * the keys (so a deep tree overflows the stack, as any recursion would);
 * rewritten, the visit runs only as far as the keys taken need. Either
 * way the program prints the same lines.
 *
 * usage: inorder N     a tree of N keys on its spine
 *
 * unrecurse-test: small=0,1,2,3,10,1000 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

struct tree {
    struct tree *left, *right;
    long key;
};

UNRECURSE static void inorder(const struct tree *t)
{
    if (!t)
        return;
    inorder(t->left);
    UNRECURSE_YIELD(t->key);
    inorder(t->right);
}

/* Keys 2, 4, .., 2N on the spine, 2N at the root, each spine node with a
 * right leaf of key + 1 when its key is a multiple of 3. */
static struct tree *build(long n)
{
    struct tree *root = NULL;
    for (long i = 1; i <= n; i++) {
        struct tree *t = calloc(1, sizeof *t);
        t->key = 2 * i;
        t->left = root;
        if (t->key % 3 == 0) {
            t->right = calloc(1, sizeof *t);
            t->right->key = t->key + 1;
        }
        root = t;
    }
    return root;
}

static void sum_keys(const void *value, size_t size, void *data)
{
    long *sum = data;
    (void)size;
    *sum = (*sum * 31 + *(const long *)value) % 1000000007L;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    struct tree *t = build(n);
    long key, taken = 0, last = 0, sum = 0;

    /* Pulled, until the first key past n. */
    unrecurse_gen *g = UNRECURSE_GEN(long, inorder(t));
    while (unrecurse_gen_next(g, &key)) {
        taken++;
        if (key < last)
            printf("out of order: %ld after %ld\n", key, last);
        last = key;
        if (key > n)
            break;
    }
    unrecurse_gen_free(g);
    printf("pulled %ld keys, the last %ld\n", taken, last);

    /* Pushed, all of them. */
    unrecurse_yield_to(sum_keys, &sum);
    inorder(t);
    unrecurse_yield_to(NULL, NULL);
    printf("pushed: hash of the keys %ld\n", sum);
    return 0;
}
