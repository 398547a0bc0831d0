/*
 * compound_assign.c - recursive calls on the right of compound assignments.
 *
 * "acc += f(n - 1)" and friends: the left-hand side is a local, a parameter,
 * or a struct member through a pointer. (The product stays odd so that it
 * never collapses to 0 modulo 2^64.)
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L

struct totals {
    unsigned long long product;
    long calls;
};

UNRECURSE static long accumulate(long n, struct totals *t)
{
    long acc = n;

    if (n == 0)
        return 1;
    acc += accumulate(n - 1, t);
    acc %= M;
    t->product *= (unsigned long long)accumulate(0, t) * 2 + (unsigned long long)(n % 3) * 2 + 1;
    t->calls++;
    n ^= accumulate(0, t);
    return (acc * 3 + n) % M;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    struct totals t = { 1, 0 };
    long r = accumulate(n, &t);

    printf("accumulate(%ld) = %ld, product %llu, %ld calls\n", n, r, t.product, t.calls);
    return 0;
}
