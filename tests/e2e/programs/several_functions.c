/*
 * several_functions.c - several annotated functions in one file, next to code
 * the tool must leave alone.
 *
 * Two independent annotated recursive functions, one static and one extern;
 * a recursive function that is not annotated (it stays natively recursive:
 * it is only called shallow); an annotated function called from main through
 * a function pointer and passed as a callback, which works because the
 * rewritten function keeps its name and signature.
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L

UNRECURSE static long up(long n)
{
    if (n == 0)
        return 1;
    return (up(n - 1) * 2 + 1) % M;
}

UNRECURSE long down(long n)
{
    long r;

    if (n == 0)
        return 0;
    r = down(n - 1);
    return (r + n * n) % M;
}

/* Not annotated: left as it is, natively recursive. */
static long gcd(long a, long b)
{
    if (b == 0)
        return a;
    return gcd(b, a % b);
}

static long apply(long (*f)(long), long n)
{
    return f(n);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    long (*fp)(long) = up;
    long a = fp(n);
    long b = apply(down, n);

    printf("up(%ld) = %ld, down(%ld) = %ld, gcd = %ld\n", n, a, n, b, gcd(a, b));
    return 0;
}
