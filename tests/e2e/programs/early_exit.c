/*
 * early_exit.c - an ordinary function that never returns, called from deep
 * inside the recursion.
 *
 * search() walks down a generated sequence and, at the level where it finds
 * what it looks for, prints and calls exit() with a status of its own: the
 * output printed so far and the exit status must be the same as natively.
 * When nothing is found it returns normally and main prints that.
 *
 * unrecurse-test: small=0,1,2,10,100,1000 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

static void found(long depth, unsigned long long value)
{
    printf("found %llu at depth %ld\n", value, depth);
    exit((int)(value % 5) + 3);
}

UNRECURSE static long search(long depth, long limit, unsigned long long state)
{
    long below;

    if (depth == limit)
        return -1;
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    if (limit > 50 && depth == limit - 17)
        found(depth, state >> 40);
    below = search(depth + 1, limit, state);
    /* Not `below + ...`: gcc -O2 would turn that into a loop, and the
     * original would then not overflow its stack at the deep size. */
    return (below * 3 + (long)(state % 2)) % 1000003;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;

    printf("searching %ld levels\n", n);
    printf("search returned %ld\n", search(0, n, 1));
    return 0;
}
