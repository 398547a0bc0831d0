// expect: 14:9: error: label 'out' must be renamed
/* Both functions of a cycle define `out`, so f's must be renamed in the
 * shared state machine; but a macro spells one of its gotos, which the
 * rewrite cannot edit. */
#include <unrecurse.h>

UNRECURSE static long g(long d);

#define LEAVE() goto out

UNRECURSE static long f(long d)
{
    if (d <= 0)
        LEAVE();
    d = g(d - 1);
out:
    return d + 1;
}

UNRECURSE static long g(long d)
{
    if (d <= 0)
        goto out;
    d = f(d - 1);
out:
    return d + 2;
}
