/*
 * for_header_saved.c - two locals declared together in a for header, one
 * of them live across the call in the body: both are hoisted together and
 * the header keeps one expression.
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
    for (long i = 0, j = 3; i < 2; i++, j--) {
        s += g(i == 0 ? n - 1 : 0) % 7;
        s += i;
    }
    return s % 1000003;
}
int main(int argc, char **argv) { long n = argc > 1 ? atol(argv[1]) : 5; printf("%ld\n", g(n)); return 0; }
