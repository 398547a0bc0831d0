/*
 * unevaluated_calls.c - recursive calls in operands C never evaluates:
 * the type of a declaration (`__typeof__(f(n - 1)) x`) and the argument
 * of __builtin_constant_p. They must not run (the call count shows it),
 * and a variable whose type is spelled with __typeof__ is declared with
 * the type it stands for.
 *
 * unrecurse-test: small=0,1,2,9 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

static long calls;

UNRECURSE long f(long n)
{
    calls++;
    if (n <= 0)
        return 0;
    __typeof__(f(n - 1)) x = n % 3;
    long c = __builtin_constant_p(f(n - 1)) ? 5 : 7;
    long d = f(n - 1);
    return (d + x + c + (long)sizeof(f(n - 2))) % 1000003;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    long r = f(n);
    printf("%ld %ld\n", r, calls);
    return 0;
}
