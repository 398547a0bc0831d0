/* Golden test: a struct returned by value and assigned from the recursive
 * call, with a pointer parameter live across it. */
#include <unrecurse.h>

struct range {
    long lo;
    long hi;
};

UNRECURSE static struct range bounds(const long *a, long n)
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

struct range array_bounds(const long *a, long n)
{
    return bounds(a, n);
}
