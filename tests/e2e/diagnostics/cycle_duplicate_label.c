// expect: 23:1: error: label 'out' is also defined in 'g'
/*
 * mutual_duplicate_label.c - f and g call each other and each has a label
 * `out`. The members of a cycle share one state machine, where their labels
 * collide.
 *
 * unrecurse-test: small=0,1,5,7,10 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

UNRECURSE static long g(long d);

UNRECURSE static long f(long d)
{
    if (d <= 0)
        return 0;
    if (d == 5)
        goto out;
    d = g(d - 1);
out:
    return (d + 1) % 1000003L;
}

UNRECURSE static long g(long d)
{
    if (d <= 0)
        return 0;
    if (d == 7)
        goto out;
    d = f(d - 1);
out:
    return (d + 2) % 1000003L;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    printf("%ld\n", f(n));
    return 0;
}
