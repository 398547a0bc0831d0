// expect: 15:5: error: used inside a macro expansion
/* A local whose address is taken lives in the heap frame; every use is
 * rewritten, which cannot be done inside a macro's body. */
#include <unrecurse.h>

#define BUMP_X (x += 1)

UNRECURSE long walk(long n, long *out)
{
    long x = n;
    long *p = &x;
    if (n <= 0)
        return 0;
    walk(n - 1, p);
    BUMP_X;
    *out += x;
    return x;
}
