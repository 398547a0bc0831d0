// expect: 9:28: error: recursive call
/* A GNU statement expression containing a recursive call. */
#include <unrecurse.h>

UNRECURSE long nested(long n)
{
    if (n == 0)
        return 0;
    return ({ long below = nested(n - 1); below + 1; });
}
