// expect: 8:20: error: parameter 'a' has an array or function type whose pointer type cannot be kept in a heap frame: it points to a variable-length array
/* A parameter `long a[n][m]` is a pointer to a variable-length array,
 * whose type the frame struct (at file scope) cannot name. */
#include <unrecurse.h>

UNRECURSE long sum(long n, long m,
                   /* a[n][m] */
                   long a[n][m])
{
    if (n <= 0)
        return 0;
    return a[n - 1][m - 1] + sum(n - 1, m, a);
}
