/*
 * skip_unsupported.c - legacy code with a cycle the rewrite cannot take (a
 * variadic function) next to ones it can: with --skip-unsupported, --all
 * rewrites what it can and leaves the variadic cycle native, with one
 * warning, instead of failing on the whole file.
 *
 * unrecurse-args: --all --skip-unsupported
 * unrecurse-warning: 'sum' is left as it is (--skip-unsupported): variadic function 'sum' cannot be rewritten
 * unrecurse-test: small=0,1,2,9 deep=1000000
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static long sum(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    long s = n > 0 ? va_arg(ap, int) + sum(n - 1, 1, 1) : 0;
    va_end(ap);
    return s;
}

/* Work after the call, so that gcc cannot turn the recursion into a loop. */
static long depth(long n)
{
    if (n <= 0)
        return 0;
    long d = depth(n - 1);
    return d + 1 + (d % 7 == 3);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    printf("%ld %ld\n", sum(5, 2, 2, 2, 2, 2), depth(n));
    return 0;
}
