// expect: 15:12: error: bit-field 'UNRECURSE_START_result_must_have_the_return_type_of_the_call'
/* The result of a task must have the function's return type: an int for
 * a long would take a long's bytes. */
#include <unrecurse.h>

UNRECURSE long depth(long n)
{
    if (n == 0)
        return 0;
    return depth(n - 1) + 1;
}

unrecurse_task *start(unrecurse_queue *q, int *r)
{
    return UNRECURSE_START(q, r, depth(3));
}
