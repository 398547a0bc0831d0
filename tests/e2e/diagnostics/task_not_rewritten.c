// expect: 17:12: error: 'plain' is not a function the tool rewrites in this file
// expect: 22:12: error: 'is_odd' is on a cycle of several functions
// expect: 27:12: error: 'later' is started as a task before its definition
/* Starts of tasks the tool cannot serve: a function it does not rewrite,
 * a member of a cycle of two, and a function defined after the start. */
#include <unrecurse.h>

static long plain(long n) { return n + 1; }
UNRECURSE long later(long n);

UNRECURSE static int is_odd(unsigned long n);
UNRECURSE static int is_even(unsigned long n) { return n == 0 ? 1 : is_odd(n - 1); }
UNRECURSE static int is_odd(unsigned long n) { return n == 0 ? 0 : is_even(n - 1); }

unrecurse_task *start_plain(unrecurse_queue *q, long *r)
{
    return UNRECURSE_START(q, r, plain(3));
}

unrecurse_task *start_odd(unrecurse_queue *q, int *r)
{
    return UNRECURSE_START(q, r, is_odd(3));
}

unrecurse_task *start_later(unrecurse_queue *q, long *r)
{
    return UNRECURSE_START(q, r, later(3));
}

UNRECURSE long later(long n) { return n ? later(n - 1) + 1 : 0; }
