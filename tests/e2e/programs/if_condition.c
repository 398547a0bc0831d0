/*
 * if_condition.c - recursive calls in if conditions and in if/else branches.
 *
 * The condition of an if is a comparison with a recursive call on one side;
 * then and else branches each make their own recursive call; the exit status
 * of the program depends on the result, so it is compared too.
 *
 * unrecurse-test: small=0,1,2,3,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L

UNRECURSE static long threshold(long n)
{
    if (n == 0)
        return 0;
    if (threshold(n - 1) > n / 2)
        return n / 3;
    return n;
}

UNRECURSE long branches(long n)
{
    long r;

    if (n <= 0)
        return 1;
    if (n % 2 == 0) {
        r = branches(n - 1) * 2;
    } else if (n % 5 == 0) {
        r = branches(n - 1) + 5;
    } else {
        branches(0);
        r = branches(n - 1) + 1;
    }
    if (branches(0) == 1)
        r = r % M;
    return r;
}

UNRECURSE static int parity(long n)
{
    if (n == 0)
        return 0;
    if (parity(n - 1))
        return 0;
    else
        return 1;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    long b = branches(n);

    printf("threshold(%ld) = %ld\n", n, threshold(n));
    printf("branches(%ld) = %ld\n", n, b);
    printf("parity(%ld) = %d\n", n, parity(n));
    return (int)(b % 7);
}
