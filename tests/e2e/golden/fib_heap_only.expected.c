/* Golden test: fib.c with --heap-only: every call on heap frames.
 * unrecurse-args: --heap-only
 * Tree recursion, two recursive calls in one return expression.
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
static const unrecurse_function fib__function = {"fib", "fib_heap_only.c", UNRECURSE_FRAME_SIZE(sizeof(struct fib__frame))};
static const unrecurse_function *const fib__functions[] = {&fib__function, NULL};
static const unrecurse_site fib__sites[] = {
    {NULL, 0, 0, 0},
    {"fib(n - 1)", 13, 0, 0},
    {"fib(n - 2)", 13, 0, 0},
};
static const unrecurse_group fib__group = {fib__functions, fib__sites, 3, 0, 1, offsetof(struct fib__frame, fib__return_to), -1};
struct fib__nested {
    long n;
    long fib__result;
};
static void fib__nested_run(void *fib__data);
#line 9 "fib_heap_only.c"
UNRECURSE long fib(long n)
#line 10
{
#line 10
    unrecurse_stack *const fib__stack = unrecurse_stack_get();
#line 10
    const char *fib__base;
#line 10
    struct fib__frame *fib__f;
#line 10
    long fib__ret;
#line 10
    long fib__t1 = {0};
#line 10
    long fib__t2 = {0};

#line 10
    if (unrecurse_native_low(fib__stack)) {
#line 10
        struct fib__nested fib__a;
#line 10
        fib__a.n = n;
#line 10
        unrecurse_run_on_segment(fib__stack, fib__nested_run, &fib__a, &fib__function);
#line 10
        return fib__a.fib__result;
#line 10
    }
#line 10
    fib__base = unrecurse_begin(fib__stack, &fib__group, 0);
#line 10
fib__enter:
#line 10 "fib_heap_only.c"
    {
    if (n < 2)
        { fib__ret = n; goto fib__return; }
#line 13 "fib_heap_only.c"
    /* fib(n - 1) */
#line 13
    {
#line 13
        long fib__arg_n = n - 1;
#line 13
        fib__f = (struct fib__frame *)unrecurse_push(fib__stack, UNRECURSE_FRAME_SIZE(sizeof *fib__f), &fib__function, NULL);
#line 13
        fib__f->fib__u1.n = n;
#line 13
        fib__f->fib__return_to = 1;
#line 13
        n = fib__arg_n;
#line 13
        goto fib__enter;
#line 13
    }
#line 13
    fib__resume_1:
#line 13
    n = fib__f->fib__u1.n;
#line 13
    unrecurse_pop(fib__stack, fib__f);
#line 13
    fib__t1 = fib__ret;
    /* fib(n - 2) */
#line 13
    {
#line 13
        long fib__arg_n = n - 2;
#line 13
        fib__f = (struct fib__frame *)unrecurse_push(fib__stack, UNRECURSE_FRAME_SIZE(sizeof *fib__f), &fib__function, NULL);
#line 13
        fib__f->fib__u1.fib__t1 = fib__t1;
#line 13
        fib__f->fib__return_to = 2;
#line 13
        n = fib__arg_n;
#line 13
        goto fib__enter;
#line 13
    }
#line 13
    fib__resume_2:
#line 13
    fib__t1 = fib__f->fib__u1.fib__t1;
#line 13
    unrecurse_pop(fib__stack, fib__f);
#line 13
    fib__t2 = fib__ret;
#line 13 "fib_heap_only.c"
    { fib__ret = fib__t1 + fib__t2; goto fib__return; }
}
#line 14
fib__return:
#line 14
    if (unrecurse_at_mark(fib__stack, fib__base)) {
#line 14
        unrecurse_end(fib__stack);
#line 14
        return fib__ret;
#line 14
    }
#line 14
    fib__f = (struct fib__frame *)unrecurse_top(fib__stack, UNRECURSE_FRAME_SIZE(sizeof *fib__f));
#line 14
    switch (fib__f->fib__return_to) {
#line 14
    case 1: goto fib__resume_1;
#line 14
    default: goto fib__resume_2;
#line 14
    }
#line 14
}
#line 14
static void fib__nested_run(void *fib__data)
#line 14
{
#line 14
    struct fib__nested *fib__a = (struct fib__nested *)fib__data;
#line 14
    fib__a->fib__result = fib(fib__a->n);
#line 14
}
#line 14 "fib_heap_only.c"


/* Not annotated: left as it is. */
long fib_checked(long n)
{
    return n >= 0 && n <= FIB_LIMIT ? fib(n) : -1;
}
