/* Golden test: a struct returned by value and assigned from the recursive
 * call, with a pointer parameter live across it. */
#include <unrecurse.h>

struct range {
    long lo;
    long hi;
};

/* The heap frame of one call of bounds: what outlives a recursive call. */
struct bounds__frame {
    const long *a;
};
static const unrecurse_function bounds__function = {"bounds", "struct_return.c", UNRECURSE_FRAME_SIZE(sizeof(struct bounds__frame))};
struct bounds__nested {
    const long *a;
    long n;
    struct range bounds__result;
};
static void bounds__nested_run(void *bounds__data);
static void bounds__heap(struct bounds__nested *bounds__a);
#line 10 "struct_return.c"
UNRECURSE static struct range bounds(const long *a, long n)
{
    if (unrecurse_native_over()) {
        struct bounds__nested bounds__a;
        bounds__a.a = a;
        bounds__a.n = n;
        bounds__heap(&bounds__a);
        return bounds__a.bounds__result;
    }
#line 11 "struct_return.c"
    {
    struct range r;

    if (n == 1) {
        r.lo = a[0];
        r.hi = a[0];
        return r;
    }
    r = bounds(a + 1, n - 1);
    if (a[0] < r.lo)
        r.lo = a[0];
    if (a[0] > r.hi)
        r.hi = a[0];
    return r;
}
}

static void bounds__heap(struct bounds__nested *bounds__a)
{
    const long *a = bounds__a->a;
    long n = bounds__a->n;
    if (!unrecurse_native_confirm()) {
        bounds__a->bounds__result = bounds(a, n);
        return;
    }
{
    unrecurse_stack *const bounds__stack = unrecurse_stack_get();
    const char *const bounds__base = unrecurse_mark(bounds__stack, &bounds__function);
    struct bounds__frame *bounds__f;
    struct range bounds__ret;
    struct range bounds__t1 = {0};
    struct range r = {0};

    if (unrecurse_native_low(bounds__stack)) {
        unrecurse_run_on_segment(bounds__stack, bounds__nested_run, bounds__a, &bounds__function);
        return;
    }
bounds__enter:
#line 11 "struct_return.c"
    {
    ;

    if (n == 1) {
        r.lo = a[0];
        r.hi = a[0];
        { bounds__ret = r; goto bounds__return; }
    }
#line 19 "struct_return.c"
    /* bounds(a + 1, n - 1) */
    {
        const long *bounds__arg_a = a + 1;
        long bounds__arg_n = n - 1;
        bounds__f = (struct bounds__frame *)unrecurse_push(bounds__stack, UNRECURSE_FRAME_SIZE(sizeof *bounds__f), &bounds__function, NULL);
        bounds__f->a = a;
        a = bounds__arg_a;
        n = bounds__arg_n;
        goto bounds__enter;
    }
    bounds__resume_1:
    a = bounds__f->a;
    unrecurse_pop(bounds__stack, bounds__f);
    bounds__t1 = bounds__ret;
#line 19 "struct_return.c"
    r = bounds__t1;
    if (a[0] < r.lo)
        r.lo = a[0];
    if (a[0] > r.hi)
        r.hi = a[0];
    { bounds__ret = r; goto bounds__return; }
}
bounds__return:
    if (unrecurse_at_mark(bounds__stack, bounds__base))
        { bounds__a->bounds__result = bounds__ret; return; }
    bounds__f = (struct bounds__frame *)unrecurse_top(bounds__stack, UNRECURSE_FRAME_SIZE(sizeof *bounds__f));
    goto bounds__resume_1;
}
}
static void bounds__nested_run(void *bounds__data)
{
    struct bounds__nested *bounds__a = (struct bounds__nested *)bounds__data;
    bounds__a->bounds__result = bounds(bounds__a->a, bounds__a->n);
}
#line 25 "struct_return.c"


struct range array_bounds(const long *a, long n)
{
    return bounds(a, n);
}
