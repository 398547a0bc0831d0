/*
 * fib.c - tree recursion: two recursive calls in one return expression.
 *
 * The naive Fibonacci function is the classic example of tree recursion:
 * fib(n - 1) + fib(n - 2) suspends the frame twice, once for each call, and
 * adds the results when both have returned. Its depth is only n, but the
 * number of calls grows like 1.6^n, so this sample shows that the rewritten
 * function computes the same values (and what a heap frame costs), not that
 * it goes deep: see the other samples for that.
 *
 * usage: fib N          prints fib(N), 0 <= N <= 50
 *
 * unrecurse-test: small=0,1,2,10,25 deep=none (exponential: fib(n) makes about 1.6^n calls, so a depth of 10^6 is out of reach)
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

UNRECURSE static long fib(long n)
{
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
    long n = 30;
    if (argc > 1)
        n = strtol(argv[1], NULL, 10);
    if (n < 0 || n > 50) {
        fprintf(stderr, "usage: fib N   (0 <= N <= 50)\n");
        return 2;
    }
    printf("fib(%ld) = %ld\n", n, fib(n));
    return 0;
}
