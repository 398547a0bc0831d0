/* Golden test: a void function, the recursive call as a statement, work
 * after it, and an early bare return. */
#include <stdio.h>

#include <unrecurse.h>

struct node {
    int value;
    struct node *next;
};

/* The heap frame of one call of print_reversed: what outlives a recursive call. */
struct print_reversed__frame {
    const struct node *n;
    FILE *out;
};
static const unrecurse_function print_reversed__function = {"print_reversed", "void_walk.c", UNRECURSE_FRAME_SIZE(sizeof(struct print_reversed__frame))};
static const unrecurse_function *const print_reversed__functions[] = {&print_reversed__function, NULL};
static const unrecurse_site print_reversed__sites[] = {
    {NULL, 0, 0, 0},
    {"print_reversed(n->next, out)", 16, 0, 0},
};
static const unrecurse_group print_reversed__group = {print_reversed__functions, print_reversed__sites, 2, 0, 0, 0, -1};
struct print_reversed__nested {
    const struct node *n;
    FILE *out;
};
static void print_reversed__nested_run(void *print_reversed__data);
static void print_reversed__heap(struct print_reversed__nested *print_reversed__a);
#line 12 "void_walk.c"
UNRECURSE void print_reversed(const struct node *n, FILE *out)
#line 13
{
#line 13
    if (unrecurse_native_over()) {
#line 13
        struct print_reversed__nested print_reversed__a;
#line 13
        print_reversed__a.n = n;
#line 13
        print_reversed__a.out = out;
#line 13
        print_reversed__heap(&print_reversed__a);
#line 13
        return;
#line 13
    }
#line 13 "void_walk.c"
    {
    if (n == NULL)
        return;
    print_reversed(n->next, out);
    fprintf(out, "%d\n", n->value);
}
#line 18
}

#line 13
static void print_reversed__heap(struct print_reversed__nested *print_reversed__a)
#line 13
{
#line 13
    const struct node *n = print_reversed__a->n;
#line 13
    FILE *out = print_reversed__a->out;
#line 13
    if (!unrecurse_native_confirm()) {
#line 13
        print_reversed(n, out);
#line 13
        return;
#line 13
    }
#line 13
{
#line 13
    unrecurse_stack *const print_reversed__stack = unrecurse_stack_get();
#line 13
    const char *print_reversed__base;
#line 13
    struct print_reversed__frame *print_reversed__f;

#line 13
    if (unrecurse_native_low(print_reversed__stack)) {
#line 13
        unrecurse_run_on_segment(print_reversed__stack, print_reversed__nested_run, print_reversed__a, &print_reversed__function);
#line 13
        return;
#line 13
    }
#line 13
    print_reversed__base = unrecurse_begin(print_reversed__stack, &print_reversed__group, 0);
#line 13
print_reversed__enter:
#line 13 "void_walk.c"
    {
    if (n == NULL)
        goto print_reversed__return;
#line 16 "void_walk.c"
    /* print_reversed(n->next, out) */
#line 16
    {
#line 16
        const struct node *print_reversed__arg_n = n->next;
#line 16
        FILE *print_reversed__arg_out = out;
#line 16
        print_reversed__f = (struct print_reversed__frame *)unrecurse_push(print_reversed__stack, UNRECURSE_FRAME_SIZE(sizeof *print_reversed__f), &print_reversed__function, NULL);
#line 16
        print_reversed__f->n = n;
#line 16
        print_reversed__f->out = out;
#line 16
        n = print_reversed__arg_n;
#line 16
        out = print_reversed__arg_out;
#line 16
        goto print_reversed__enter;
#line 16
    }
#line 16
    print_reversed__resume_1:
#line 16
    n = print_reversed__f->n;
#line 16
    out = print_reversed__f->out;
#line 16
    unrecurse_pop(print_reversed__stack, print_reversed__f);
#line 16 "void_walk.c"
    
    fprintf(out, "%d\n", n->value);
}
#line 18
print_reversed__return:
#line 18
    if (unrecurse_at_mark(print_reversed__stack, print_reversed__base)) {
#line 18
        unrecurse_end(print_reversed__stack);
#line 18
        return;
#line 18
    }
#line 18
    print_reversed__f = (struct print_reversed__frame *)unrecurse_top(print_reversed__stack, UNRECURSE_FRAME_SIZE(sizeof *print_reversed__f));
#line 18
    goto print_reversed__resume_1;
#line 18
}
#line 18
}
#line 18
static void print_reversed__nested_run(void *print_reversed__data)
#line 18
{
#line 18
    struct print_reversed__nested *print_reversed__a = (struct print_reversed__nested *)print_reversed__data;
#line 18
    print_reversed(print_reversed__a->n, print_reversed__a->out);
#line 18
}
#line 18 "void_walk.c"

