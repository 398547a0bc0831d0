/*
 * nested_blocks.c - nested blocks, shadowed names and same names in sibling
 * blocks.
 *
 * In nest() an inner block declares a local named like the parameter n, after
 * the recursive call; the parameter itself is used again after the inner
 * block closes. In siblings() both branches of an if declare their own "t",
 * initialized by a recursive call. No shadowing variable is live across a
 * call.
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L

UNRECURSE static long nest(long n)
{
    long total;

    if (n <= 0)
        return 0;
    {
        long sub = nest(n - 1);
        {
            long n = sub % 7;
            total = sub + n;
        }
        total = (total + n) % M;
    }
    return total;
}

UNRECURSE static long siblings(long n)
{
    long r;

    if (n <= 0)
        return 1;
    if (n % 2) {
        long t = siblings(n - 1);
        r = t + 1;
    } else {
        long t = siblings(n - 1);
        r = t * 2 % M;
    }
    {
        long t = r % 11;
        r = (r + t) % M;
    }
    return r;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;

    printf("nest(%ld) = %ld\n", n, nest(n));
    printf("siblings(%ld) = %ld\n", n, siblings(n));
    return 0;
}
