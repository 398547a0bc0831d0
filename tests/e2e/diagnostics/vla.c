// expect: 7:5: error: variable-length array
/* A variable-length array in a rewritten function: its size is not known to the frame. */
#include <unrecurse.h>

UNRECURSE long scratch(long n)
{
    long buf[n + 1];
    buf[0] = n;
    if (n == 0)
        return buf[0];
    return buf[0] + scratch(n - 1);
}
