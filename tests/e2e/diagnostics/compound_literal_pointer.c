// expect: 11:15: error: a pointer to a compound literal in a rewritten function is not supported
/* A compound literal's storage belongs to its block, which every level of
 * the rewritten recursion shares: a pointer to one kept across the call
 * would see the last level's values. */
#include <unrecurse.h>

UNRECURSE long f(long n)
{
    if (n <= 0)
        return 0;
    long *p = (long[]){n, n + 1};
    long d = f(n - 1);
    return d + p[0] + p[1];
}
