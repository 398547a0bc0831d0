/*
 * ping.c - one half of a recursion cycle across two files (pong.c is the
 * other). Each file is rewritten on its own; a call from one to the other
 * is a nested run, which moves to a fresh native stack segment when the
 * native stack runs low, so the cycle goes as deep as the heap allows.
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include "pingpong.h"

UNRECURSE long ping(long n, long acc)
{
    if (n <= 0)
        return acc;
    long r = pong(n - 1, (acc * 7 + n) % 1000003);
    return (r + 1) % 1000003;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    printf("ping %ld\n", ping(n, 1));
    return 0;
}
