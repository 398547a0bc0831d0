/*
 * return_expr.c - recursive calls in return statements.
 *
 * weave(): two recursive calls in one return expression (the second one
 * shallow, so the depth stays linear), mixed with other operators.
 * sum_to(): a tail call, "return sum_to(n - 1, acc + n)".
 * zigzag(): returns from different branches of an if / else if / else, each
 * with a recursive call in a different expression.
 *
 * unrecurse-test: small=0,1,2,3,7,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L

UNRECURSE static long weave(long n)
{
    if (n <= 0)
        return 1;
    return (weave(n - 1) * 3 + weave(n % 2 - 1) + n) % M;
}

UNRECURSE static long sum_to(long n, long acc)
{
    if (n == 0)
        return acc;
    return sum_to(n - 1, (acc + n) % M);
}

UNRECURSE static long zigzag(long n)
{
    if (n <= 0)
        return 0;
    else if (n % 3 == 0)
        return zigzag(n - 1) - n % 10;
    else {
        return (n + 2 * zigzag(n - 1)) % M;
    }
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;

    printf("weave(%ld) = %ld\n", n, weave(n));
    printf("sum_to(%ld) = %ld\n", n, sum_to(n, 0));
    printf("zigzag(%ld) = %ld\n", n, zigzag(n));
    return 0;
}
