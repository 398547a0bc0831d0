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
static const unrecurse_function *const bounds__functions[] = {&bounds__function, NULL};
static const unrecurse_site bounds__sites[] = {
    {NULL, 0, 0, 0},
    {"bounds(a + 1, n - 1)", 19, 0, 0},
};
static const unrecurse_group bounds__group = {bounds__functions, bounds__sites, 2, 0, 0, 0, -1};
struct bounds__nested {
    const long *a;
    long n;
    struct range bounds__result;
};
static void bounds__nested_run(void *bounds__data);
static void bounds__heap(struct bounds__nested *bounds__a);
#line 10 "struct_return.c"
UNRECURSE static struct range bounds(const long *a, long n)
#line 11
{
#line 11
    if (unrecurse_native_over()) {
#line 11
        struct bounds__nested bounds__a;
#line 11
        bounds__a.a = a;
#line 11
        bounds__a.n = n;
#line 11
        bounds__heap(&bounds__a);
#line 11
        return bounds__a.bounds__result;
#line 11
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
#line 25
}

#line 11
static void bounds__heap(struct bounds__nested *bounds__a)
#line 11
{
#line 11
    const long *a = bounds__a->a;
#line 11
    long n = bounds__a->n;
#line 11
    if (!unrecurse_native_confirm()) {
#line 11
        bounds__a->bounds__result = bounds(a, n);
#line 11
        return;
#line 11
    }
#line 11
{
#line 11
    unrecurse_stack *const bounds__stack = unrecurse_stack_get();
#line 11
    const char *bounds__base;
#line 11
    struct bounds__frame *bounds__f;
#line 11
    struct range bounds__ret;
#line 11
    struct range bounds__t1 = {0};
#line 12
    struct range r = {0};

#line 11
    if (unrecurse_native_low(bounds__stack)) {
#line 11
        unrecurse_run_on_segment(bounds__stack, bounds__nested_run, bounds__a, &bounds__function);
#line 11
        return;
#line 11
    }
#line 11
    bounds__base = unrecurse_begin(bounds__stack, &bounds__group, 0);
#line 11
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
#line 19
    {
#line 19
        const long *bounds__arg_a = a + 1;
#line 19
        long bounds__arg_n = n - 1;
#line 19
        bounds__f = (struct bounds__frame *)unrecurse_push(bounds__stack, UNRECURSE_FRAME_SIZE(sizeof *bounds__f), &bounds__function, NULL);
#line 19
        bounds__f->a = a;
#line 19
        a = bounds__arg_a;
#line 19
        n = bounds__arg_n;
#line 19
        goto bounds__enter;
#line 19
    }
#line 19
    bounds__resume_1:
#line 19
    a = bounds__f->a;
#line 19
    unrecurse_pop(bounds__stack, bounds__f);
#line 19
    bounds__t1 = bounds__ret;
#line 19 "struct_return.c"
    r = bounds__t1;
    if (a[0] < r.lo)
        r.lo = a[0];
    if (a[0] > r.hi)
        r.hi = a[0];
    { bounds__ret = r; goto bounds__return; }
}
#line 25
bounds__return:
#line 25
    if (unrecurse_at_mark(bounds__stack, bounds__base)) {
#line 25
        unrecurse_end(bounds__stack);
#line 25
        { bounds__a->bounds__result = bounds__ret; return; }
#line 25
    }
#line 25
    bounds__f = (struct bounds__frame *)unrecurse_top(bounds__stack, UNRECURSE_FRAME_SIZE(sizeof *bounds__f));
#line 25
    goto bounds__resume_1;
#line 25
}
#line 25
}
#line 25
static void bounds__nested_run(void *bounds__data)
#line 25
{
#line 25
    struct bounds__nested *bounds__a = (struct bounds__nested *)bounds__data;
#line 25
    bounds__a->bounds__result = bounds(bounds__a->a, bounds__a->n);
#line 25
}
#line 25 "struct_return.c"


struct range array_bounds(const long *a, long n)
{
    return bounds(a, n);
}
