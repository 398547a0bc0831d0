// expect: 10:25: error: expected ';'
/* A parse error: clang's own diagnostic is reported and nothing is written. */
#include <unrecurse.h>

UNRECURSE long count(long n)
{
    long r;
    if (n == 0)
        return 0;
    r = count(n - 1) + 1
    return r;
}
