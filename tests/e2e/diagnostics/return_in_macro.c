// expect: 10:5: error: 'return' inside a macro expansion
/* A return statement produced by a macro cannot be rewritten in place. */
#include <unrecurse.h>

#define RETURN_IF_ZERO(v) if ((v) == 0) return 0

UNRECURSE long down(long n)
{
    long r;
    RETURN_IF_ZERO(n);
    r = down(n - 1);
    return r + 1;
}
