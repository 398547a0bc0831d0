// expect: 10:12: error: recursive call inside _Generic is not supported
/* _Generic evaluates only the association it selects, which is the
 * compiler's to decide: a recursive call in one cannot be hoisted. */
#include <unrecurse.h>

UNRECURSE long f(long n)
{
    if (n <= 0)
        return 0;
    return _Generic(n, long: f(n - 1), default: 0) + 1;
}
