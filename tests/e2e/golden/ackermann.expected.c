/* Golden test: ackermann, with --heap-only (the state machine alone).
 * unrecurse-args: --heap-only
 * A call before a return statement: once the return is done, nothing of
 * this activation is read again, so n, read by the statements after the
 * `if`, is not kept across the calls: the frame holds m alone. */
#include <unrecurse.h>

/* The heap frame of one call of ack: what outlives a recursive call. */
struct ack__frame {
    long m;
};
static const unrecurse_function ack__function = {"ack", "ackermann.c", UNRECURSE_FRAME_SIZE(sizeof(struct ack__frame))};
static const unrecurse_function *const ack__functions[] = {&ack__function, NULL};
static const unrecurse_site ack__sites[] = {
    {NULL, 0, 0, 0},
    {NULL, 0, 0, 0},
    {"ack(m, n - 1)", 14, 0, 0},
};
static const unrecurse_group ack__group = {ack__functions, ack__sites, 3, 0, 0, 0, -1};
struct ack__nested {
    long m;
    long n;
    long ack__result;
};
static void ack__nested_run(void *ack__data);
#line 8 "ackermann.c"
UNRECURSE long ack(long m, long n)
#line 9
{
#line 9
    unrecurse_stack *const ack__stack = unrecurse_stack_get();
#line 9
    const char *ack__base;
#line 9
    struct ack__frame *ack__f;
#line 9
    long ack__ret;
#line 9
    long ack__t2 = {0};

#line 9
    if (unrecurse_native_low(ack__stack)) {
#line 9
        struct ack__nested ack__a;
#line 9
        ack__a.m = m;
#line 9
        ack__a.n = n;
#line 9
        unrecurse_run_on_segment(ack__stack, ack__nested_run, &ack__a, &ack__function);
#line 9
        return ack__a.ack__result;
#line 9
    }
#line 9
    ack__base = unrecurse_begin(ack__stack, &ack__group, 0);
#line 9
ack__enter:
#line 9 "ackermann.c"
    {
    if (m == 0)
        { ack__ret = n + 1; goto ack__return; }
    if (n == 0)
        /* ack(m - 1, 1) */
        {
            long ack__arg_m = m - 1;
            long ack__arg_n = 1;
            m = ack__arg_m;
            n = ack__arg_n;
            goto ack__enter;
        }

#line 14 "ackermann.c"
    /* ack(m, n - 1) */
#line 14
    {
#line 14
        long ack__arg_m = m;
#line 14
        long ack__arg_n = n - 1;
#line 14
        ack__f = (struct ack__frame *)unrecurse_push(ack__stack, UNRECURSE_FRAME_SIZE(sizeof *ack__f), &ack__function, NULL);
#line 14
        ack__f->m = m;
#line 14
        m = ack__arg_m;
#line 14
        n = ack__arg_n;
#line 14
        goto ack__enter;
#line 14
    }
#line 14
    ack__resume_2:
#line 14
    m = ack__f->m;
#line 14
    unrecurse_pop(ack__stack, ack__f);
#line 14
    ack__t2 = ack__ret;
#line 14 "ackermann.c"
    /* ack(m - 1, ack(m, n - 1)) */
    {
        long ack__arg_m = m - 1;
        long ack__arg_n = ack__t2;
        m = ack__arg_m;
        n = ack__arg_n;
        goto ack__enter;
    }

}
#line 15
ack__return:
#line 15
    if (unrecurse_at_mark(ack__stack, ack__base)) {
#line 15
        unrecurse_end(ack__stack);
#line 15
        return ack__ret;
#line 15
    }
#line 15
    ack__f = (struct ack__frame *)unrecurse_top(ack__stack, UNRECURSE_FRAME_SIZE(sizeof *ack__f));
#line 15
    goto ack__resume_2;
#line 15
}
#line 15
static void ack__nested_run(void *ack__data)
#line 15
{
#line 15
    struct ack__nested *ack__a = (struct ack__nested *)ack__data;
#line 15
    ack__a->ack__result = ack(ack__a->m, ack__a->n);
#line 15
}
#line 15 "ackermann.c"

