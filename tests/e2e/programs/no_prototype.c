/*
 * no_prototype.c - recursive functions defined without a prototype: with
 * empty parentheses, `long down()`, and old style, `long walk(n, k) long
 * n; long k; {...}`. libclang calls such a function variadic, and the
 * tool once rejected it for that ("its va_list lives on the native
 * stack"): it has no va_list, and is rewritten like any other.
 *
 * unrecurse-test: small=0,1,2,9 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

static long left;

UNRECURSE long down()
{
    if (left-- <= 0)
        return 0;
    return (1 + down()) % 1000003;
}

UNRECURSE long walk(n, k)
long n;
long k;
{
    if (n <= 0)
        return k;
    return (walk(n - 1, k + n % 7) + 1) % 1000003;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    left = n;
    printf("%ld %ld\n", down(), walk(n, 3));
    return 0;
}
