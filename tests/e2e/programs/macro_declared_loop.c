/*
 * macro_declared_loop.c - loop macros that declare their own variables,
 * with names made by ## (json-c's json_object_object_foreach declares
 * `entry##key` and `entry_next##key`), around a body that recurses. The
 * variables live across the call: they are saved and restored by name
 * where the call is, and their declarations stay in the macro. So does a
 * declaration a macro writes whole, initializer included (`DECLARE(x)`).
 *
 * unrecurse-args: --all
 * unrecurse-test: small=0,1,2,6 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

struct tree;
struct ent {
    struct ent *next;
    struct tree *t;
};
struct tree {
    struct ent *head;
    long value;
};

#define foreach_ent(tr, x) \
    for (struct ent *e_##x = (tr)->head, *next_##x = NULL; \
         e_##x && ((next_##x = e_##x->next), 1); e_##x = next_##x)
#define each_below(c, n) for (int c##_i = 0; c##_i < (n); c##_i++)
/* A declaration and then a loop from one macro use (json-c's
 * json_object_object_foreach declares key and val before its for). */
#define each_ent(tr, e) struct ent *e = NULL; for (e = (tr)->head; e; e = e->next)

static long visit(const struct tree *t)
{
    long s = t->value;
    foreach_ent(t, it) {
        s += visit(e_it->t) % 1000;
    }
    return s % 1000003;
}

static long visit_decl(const struct tree *t)
{
    long s = t->value;
    each_ent(t, e) {
        s += visit_decl(e->t) % 1000;
    }
    return s % 1000003;
}

static long below(long n)
{
    long s = 1;
    each_below(c, n % 3) {
        s += below(n - 1 - c_i) % 7;
    }
    return s;
}

#define DECLARE_COUNTER(name) long name = 0

static long counted(long n)
{
    if (n <= 0)
        return 0;
    DECLARE_COUNTER(count);
    count += counted(n - 1) % 1000;
    return count + 1;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    /* A chain of n trees, each with a leaf beside its child. */
    struct tree *root = calloc(1, sizeof *root);
    for (long i = 0; i < n; i++) {
        struct tree *t = calloc(1, sizeof *t), *leaf = calloc(1, sizeof *leaf);
        struct ent *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
        t->value = i;
        leaf->value = 1000 + i;
        a->t = leaf;
        b->t = root;
        a->next = b;
        t->head = a;
        root = t;
    }
    printf("visit %ld %ld\n", visit(root), visit_decl(root));
    printf("below %ld\n", below(n < 25 ? n : 25));
    printf("counted %ld\n", counted(n));
    return 0;
}
