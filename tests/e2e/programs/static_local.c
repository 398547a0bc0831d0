/*
 * static_local.c - static locals, shared by every level of the recursion.
 *
 * count_calls() increments a static counter at each level and reads it after
 * its recursive call returns (it must see the increments of the levels
 * below). main() calls it twice: the counter keeps its value between runs.
 * deepest() keeps the largest n seen in a static with an initializer.
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

UNRECURSE long count_calls(long n)
{
    static long calls;
    long seen_before;

    calls++;
    seen_before = calls;
    if (n > 0)
        count_calls(n - 1);
    return (calls - seen_before) * 2 + 1;
}

UNRECURSE static long deepest(long n)
{
    static long max = -1;
    long below;

    if (n > max)
        max = n;
    if (n == 0)
        return max;
    below = deepest(n - 1);
    return below + max % 3;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    long first = count_calls(n);
    long second = count_calls(n / 2);

    printf("count_calls(%ld) = %ld, then count_calls(%ld) = %ld\n", n, first, n / 2, second);
    printf("deepest(%ld) = %ld\n", n, deepest(n));
    return 0;
}
