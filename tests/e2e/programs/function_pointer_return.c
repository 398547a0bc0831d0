/*
 * function_pointer_return.c - rewritten functions that return a pointer
 * to a function, declared without a typedef: `long (*pick(long n))(long)`.
 * The declarator holds a parameter list of its own, `(long)`, whose
 * parameter the tool once took for one of pick's: its output did not
 * compile. Also on a cycle of two functions.
 *
 * unrecurse-test: small=0,1,2,9 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

static long inc(long x) { return x + 1; }
static long dec(long x) { return x - 1; }
static long dbl(long x) { return 2 * x; }

UNRECURSE long (*pick(long n, long (*seed)(long)))(long)
{
    if (n <= 0)
        return seed;
    long (*next)(long) = pick(n - 1, seed);
    return next == inc ? (n % 3 ? dec : dbl) : next == dec ? inc : dec;
}

UNRECURSE static long (*odd(long n))(long);

UNRECURSE static long (*even(long n))(long)
{
    return n <= 0 ? inc : odd(n - 1);
}

UNRECURSE static long (*odd(long n))(long)
{
    return n <= 0 ? dec : even(n - 1);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    printf("%ld %ld\n", pick(n, inc)(10), pick(n, dbl)(7));
    printf("%ld %ld\n", even(n)(10), odd(n)(10));
    return 0;
}
