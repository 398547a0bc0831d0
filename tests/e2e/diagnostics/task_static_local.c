// expect: 17:12: error: 'counted' has a static local
/* A task runs a copy of the function's body: a static local in it would
 * be two objects. */
#include <unrecurse.h>

UNRECURSE long counted(long n)
{
    static long calls;
    calls++;
    if (n == 0)
        return calls;
    return counted(n - 1);
}

unrecurse_task *start(unrecurse_queue *q, long *r)
{
    return UNRECURSE_START(q, r, counted(3));
}
