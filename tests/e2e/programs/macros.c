/*
 * macros.c - macros in a rewritten function that the rewrite keeps as
 * they are: object-like and function-like macros around (not containing)
 * the recursive calls, a macro that reads a native local, a statement macro,
 * and a macro-defined constant in a loop condition with a call.
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L
#define SQ(x) ((x) * (x) % M)
#define TWICE_N (2 * n)
#define BUMP(v) \
    do {        \
        (v)++;  \
    } while (0)
#define LIMIT 3

UNRECURSE static long shaped(long n)
{
    long r, k = 0;
    if (n <= 0)
        return 1;
    r = shaped(n - 1);
    r = SQ(r) + TWICE_N;
    BUMP(k);
    while (k < LIMIT && (n % 5 == 0 ? shaped(0) : 0) >= 0)
        BUMP(k);
    return (r + k) % M;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    printf("shaped %ld\n", shaped(n));
    return 0;
}
