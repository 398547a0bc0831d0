// expect: 15:12: error: 'plain' is not a function the tool rewrites in this file
// expect: 20:12: error: 'later' is started as a task before its definition
// expect: 25:12: error: 'is_odd' is on a cycle with a static local
/* Starts of tasks the tool cannot serve: a function it does not rewrite, a
 * function defined after the start, and a member of a cycle whose other
 * member has a static local (a task runs a copy of the cycle's bodies). */
#include <unrecurse.h>

static long plain(long n) { return n + 1; }
UNRECURSE long later(long n);
UNRECURSE static int is_odd(unsigned long n);

unrecurse_task *start_plain(unrecurse_queue *q, long *r)
{
    return UNRECURSE_START(q, r, plain(3));
}

unrecurse_task *start_later(unrecurse_queue *q, long *r)
{
    return UNRECURSE_START(q, r, later(3));
}

unrecurse_task *start_odd(unrecurse_queue *q, int *r)
{
    return UNRECURSE_START(q, r, is_odd(3));
}

UNRECURSE long later(long n) { return n ? later(n - 1) + 1 : 0; }
UNRECURSE static int is_even(unsigned long n)
{
    static unsigned long calls;
    calls++;
    return n == 0 ? 1 : is_odd(n - 1);
}
UNRECURSE static int is_odd(unsigned long n) { return n == 0 ? 0 : is_even(n - 1); }
