/*
 * for_headers.c - a recursive call in a for statement's declaration (run
 * once, before the loop), and locals declared in a for header that live
 * across a call in the body.
 *
 * unrecurse-test: small=0,1,2,5,10 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>
UNRECURSE static long g(long n)
{
    long s = 0;
    if (n <= 0) return 1;
    for (long i = g(n - 1) % 3, j = 0; i < 3; i++, j++)
        s += i + j;
    for (long k = 0; k < 2; k++) {
        long t = g(k == 0 ? 0 : -1) % 5;
        s += t * k;
    }
    return s % 1000003;
}
int main(int argc, char **argv) { long n = argc > 1 ? atol(argv[1]) : 5; printf("%ld\n", g(n)); return 0; }
