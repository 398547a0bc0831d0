/* Golden test: tree recursion, two recursive calls in one return expression.
 * The code around the annotated function must come out unchanged. */
#include <unrecurse.h>

#define FIB_LIMIT 90 /* fib(91) overflows a 64-bit long */

/* The heap frame of one call of fib: what outlives a recursive call. */
struct fib__frame {
    union {
        long n;
        long fib__t1;
    } fib__u1;
    unsigned char fib__return_to; /* where the caller resumes */
};
static const unrecurse_function fib__function = {"fib", "fib.c", UNRECURSE_FRAME_SIZE(sizeof(struct fib__frame))};
static const unrecurse_function *const fib__functions[] = {&fib__function, NULL};
static const unrecurse_site fib__sites[] = {
    {NULL, 0, 0, 0},
    {"fib(n - 1)", 11, 0, 0},
    {"fib(n - 2)", 11, 0, 0},
};
static const unrecurse_group fib__group = {fib__functions, fib__sites, 3, 0, 1, offsetof(struct fib__frame, fib__return_to), -1};
struct fib__nested {
    long n;
    long fib__result;
};
static void fib__nested_run(void *fib__data);
static void fib__heap(struct fib__nested *fib__a);
#line 7 "fib.c"
UNRECURSE long fib(long n)
#line 8
{
#line 8
    if (unrecurse_native_over()) {
#line 8
        struct fib__nested fib__a;
#line 8
        fib__a.n = n;
#line 8
        fib__heap(&fib__a);
#line 8
        return fib__a.fib__result;
#line 8
    }
#line 8 "fib.c"
    {
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}
#line 12
}

#line 8
static void fib__heap(struct fib__nested *fib__a)
#line 8
{
#line 8
    long n = fib__a->n;
#line 8
    if (!unrecurse_native_confirm()) {
#line 8
        fib__a->fib__result = fib(n);
#line 8
        return;
#line 8
    }
#line 8
{
#line 8
    unrecurse_stack *const fib__stack = unrecurse_stack_get();
#line 8
    const char *fib__base;
#line 8
    struct fib__frame *fib__f;
#line 8
    long fib__ret;
#line 8
    long fib__t1 = {0};
#line 8
    long fib__t2 = {0};

#line 8
    if (unrecurse_native_low(fib__stack)) {
#line 8
        unrecurse_run_on_segment(fib__stack, fib__nested_run, fib__a, &fib__function);
#line 8
        return;
#line 8
    }
#line 8
    fib__base = unrecurse_begin(fib__stack, &fib__group, 0);
#line 8
fib__enter:
#line 8 "fib.c"
    {
    if (n < 2)
        { fib__ret = n; goto fib__return; }
#line 11 "fib.c"
    /* fib(n - 1) */
#line 11
    {
#line 11
        long fib__arg_n = n - 1;
#line 11
        fib__f = (struct fib__frame *)unrecurse_push(fib__stack, UNRECURSE_FRAME_SIZE(sizeof *fib__f), &fib__function, NULL);
#line 11
        fib__f->fib__u1.n = n;
#line 11
        fib__f->fib__return_to = 1;
#line 11
        n = fib__arg_n;
#line 11
        goto fib__enter;
#line 11
    }
#line 11
    fib__resume_1:
#line 11
    n = fib__f->fib__u1.n;
#line 11
    unrecurse_pop(fib__stack, fib__f);
#line 11
    fib__t1 = fib__ret;
    /* fib(n - 2) */
#line 11
    {
#line 11
        long fib__arg_n = n - 2;
#line 11
        fib__f = (struct fib__frame *)unrecurse_push(fib__stack, UNRECURSE_FRAME_SIZE(sizeof *fib__f), &fib__function, NULL);
#line 11
        fib__f->fib__u1.fib__t1 = fib__t1;
#line 11
        fib__f->fib__return_to = 2;
#line 11
        n = fib__arg_n;
#line 11
        goto fib__enter;
#line 11
    }
#line 11
    fib__resume_2:
#line 11
    fib__t1 = fib__f->fib__u1.fib__t1;
#line 11
    unrecurse_pop(fib__stack, fib__f);
#line 11
    fib__t2 = fib__ret;
#line 11 "fib.c"
    { fib__ret = fib__t1 + fib__t2; goto fib__return; }
}
#line 12
fib__return:
#line 12
    if (unrecurse_at_mark(fib__stack, fib__base)) {
#line 12
        unrecurse_end(fib__stack);
#line 12
        { fib__a->fib__result = fib__ret; return; }
#line 12
    }
#line 12
    fib__f = (struct fib__frame *)unrecurse_top(fib__stack, UNRECURSE_FRAME_SIZE(sizeof *fib__f));
#line 12
    switch (fib__f->fib__return_to) {
#line 12
    case 1: goto fib__resume_1;
#line 12
    default: goto fib__resume_2;
#line 12
    }
#line 12
}
#line 12
}
#line 12
static void fib__nested_run(void *fib__data)
#line 12
{
#line 12
    struct fib__nested *fib__a = (struct fib__nested *)fib__data;
#line 12
    fib__a->fib__result = fib(fib__a->n);
#line 12
}
#line 12 "fib.c"


/* Not annotated: left as it is. */
long fib_checked(long n)
{
    return n >= 0 && n <= FIB_LIMIT ? fib(n) : -1;
}
