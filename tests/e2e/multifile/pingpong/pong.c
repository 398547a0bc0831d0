/* pong.c - the other half of the cycle of ping.c. */
#include "pingpong.h"

UNRECURSE long pong(long n, long acc)
{
    if (n <= 0)
        return acc;
    if (n % 3 == 0)
        return ping(n - 1, acc + 3) * 2 % 1000003;
    return ping(n - 1, acc ^ 5);
}
