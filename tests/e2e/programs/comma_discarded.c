/*
 * comma_discarded.c - a recursive call whose value the comma operator
 * discards, `(walk(n - 1), n)`, and one cast to void inside an expression.
 * Nothing may be left in the call's place that compilers call a value
 * computed and not used: the tool once left the result's temporary there,
 * and -Wall -Wextra warned (-Wunused-value).
 *
 * unrecurse-test: small=0,1,2,9 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

static unsigned long calls;

UNRECURSE long walk(long n)
{
    calls++;
    if (n <= 0)
        return 1;
    long x = (walk(n - 1), n % 7);
    long y = n % 5 == 0 ? ((void)walk(n % 3), 1) : 2;
    return (x + y + 1) % 1000003;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    long r = walk(n);
    printf("%ld %lu\n", r, calls);
    return 0;
}
