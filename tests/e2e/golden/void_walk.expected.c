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
struct print_reversed__nested {
    const struct node *n;
    FILE *out;
};
static void print_reversed__nested_run(void *print_reversed__data);
static void print_reversed__heap(struct print_reversed__nested *print_reversed__a);
#line 12 "void_walk.c"
UNRECURSE void print_reversed(const struct node *n, FILE *out)
{
    if (unrecurse_native_over()) {
        struct print_reversed__nested print_reversed__a;
        print_reversed__a.n = n;
        print_reversed__a.out = out;
        print_reversed__heap(&print_reversed__a);
        return;
    }
#line 13 "void_walk.c"
    {
    if (n == NULL)
        return;
    print_reversed(n->next, out);
    fprintf(out, "%d\n", n->value);
}
}

static void print_reversed__heap(struct print_reversed__nested *print_reversed__a)
{
    const struct node *n = print_reversed__a->n;
    FILE *out = print_reversed__a->out;
    if (!unrecurse_native_confirm()) {
        print_reversed(n, out);
        return;
    }
{
    unrecurse_stack *const print_reversed__stack = unrecurse_stack_get();
    const char *const print_reversed__base = unrecurse_mark(print_reversed__stack, &print_reversed__function);
    struct print_reversed__frame *print_reversed__f;

    if (unrecurse_native_low(print_reversed__stack)) {
        unrecurse_run_on_segment(print_reversed__stack, print_reversed__nested_run, print_reversed__a, &print_reversed__function);
        return;
    }
print_reversed__enter:
#line 13 "void_walk.c"
    {
    if (n == NULL)
        goto print_reversed__return;
#line 16 "void_walk.c"
    /* print_reversed(n->next, out) */
    {
        const struct node *print_reversed__arg_n = n->next;
        FILE *print_reversed__arg_out = out;
        print_reversed__f = (struct print_reversed__frame *)unrecurse_push(print_reversed__stack, UNRECURSE_FRAME_SIZE(sizeof *print_reversed__f), &print_reversed__function, NULL);
        print_reversed__f->n = n;
        print_reversed__f->out = out;
        n = print_reversed__arg_n;
        out = print_reversed__arg_out;
        goto print_reversed__enter;
    }
    print_reversed__resume_1:
    n = print_reversed__f->n;
    out = print_reversed__f->out;
    unrecurse_pop(print_reversed__stack, print_reversed__f);
#line 16 "void_walk.c"
    
    fprintf(out, "%d\n", n->value);
}
print_reversed__return:
    if (unrecurse_at_mark(print_reversed__stack, print_reversed__base))
        return;
    print_reversed__f = (struct print_reversed__frame *)unrecurse_top(print_reversed__stack, UNRECURSE_FRAME_SIZE(sizeof *print_reversed__f));
    goto print_reversed__resume_1;
}
}
static void print_reversed__nested_run(void *print_reversed__data)
{
    struct print_reversed__nested *print_reversed__a = (struct print_reversed__nested *)print_reversed__data;
    print_reversed(print_reversed__a->n, print_reversed__a->out);
}
#line 18 "void_walk.c"

