/*
 * liveness.c - regression tests for which locals must survive a call.
 * Only what is live across a call is saved in the frame; each function
 * here once had a local wrongly judged dead (found by tests/random):
 *  - written only conditionally after the call (under &&), then read;
 *  - written inside an earlier call's argument in the same statement,
 *    then read after a later call of that statement;
 *  - read by its own assignment after the call (v = v * 2).
 *
 * unrecurse-test: small=0,1,2,3,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003UL

UNRECURSE static unsigned long conditional_write(long n)
{
    unsigned long acc = (unsigned long)n * 3 + 1;
    int round = 0;
    if (n <= 0)
        return 1;
    (void)conditional_write(n - 1);
    if (round++ > 5 && (acc = 7) > 3)
        return 0;
    return (acc + (unsigned long)round) % M;
}

static unsigned long pair(unsigned long x, unsigned long y)
{
    return (x * 31 + y) % M;
}

UNRECURSE static unsigned long earlier_argument(long n, unsigned long c)
{
    unsigned long acc = (unsigned long)n + 11;
    if (n <= 0)
        return c;
    acc = pair(earlier_argument(n - 1, c = acc % 5), earlier_argument(0, 146));
    return pair(acc, c);
}

UNRECURSE static unsigned long doubled(long n)
{
    unsigned long v = (unsigned long)n + 2;
    if (n <= 0)
        return 3;
    unsigned long r = doubled(n - 1);
    v = v * 2 % M;
    return (r + v) % M;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    printf("conditional_write %lu\n", conditional_write(n));
    printf("earlier_argument %lu\n", earlier_argument(n, 9));
    printf("doubled %lu\n", doubled(n));
    return 0;
}
