/*
 * cycle_inline_members.c - cycles with members declared inline. For gcc
 * the tool keeps one member of every loop of calls out of line
 * (UNRECURSE__NOINLINE), and gcc warns of `noinline` on an inline
 * function: the member kept out of line must be another one. even/odd:
 * even is inline, so odd is kept out of line; walk/step/leap: walk and step
 * are inline, leap is kept; ping/pong, both inline, are left to the
 * compiler.
 *
 * unrecurse-test: small=0,1,2,7 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

UNRECURSE static int odd(long n);

UNRECURSE static inline int even(long n)
{
    return n == 0 ? 1 : odd(n - 1);
}

UNRECURSE static int odd(long n)
{
    if (n == 0)
        return 0;
    return even(n - 1) ? 1 : 0;
}

UNRECURSE static long leap(long n, long acc);

UNRECURSE static inline long walk(long n, long acc)
{
    if (n <= 0)
        return acc;
    return (n % 3 == 0 ? leap(n - 1, acc + 1) : walk(n - 1, acc + 2)) % 1000003;
}

UNRECURSE static inline long step(long n, long acc)
{
    if (n <= 0)
        return acc;
    return walk(n - 1, (acc * 3 + 1) % 1000003) % 1000003;
}

UNRECURSE static long leap(long n, long acc)
{
    if (n <= 0)
        return acc;
    long r = step(n - 1, (acc + n) % 1000003);
    return (r + 7) % 1000003;
}

UNRECURSE static inline unsigned long pong(long n);

UNRECURSE static inline unsigned long ping(long n)
{
    return n <= 0 ? 5 : pong(n - 1) * 31 + 1;
}

UNRECURSE static inline unsigned long pong(long n)
{
    return n <= 0 ? 11 : ping(n - 1) ^ (unsigned long)n;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    printf("%d %d %ld %lu\n", even(n), odd(n), step(n, 1), ping(n));
    return 0;
}
