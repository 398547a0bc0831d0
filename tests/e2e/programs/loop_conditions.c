/*
 * loop_conditions.c - recursive calls in while, do-while and for conditions
 * and in a for increment, with break and continue keeping their meaning
 * (continue in a do-while or for goes to the condition or increment).
 *
 * Each loop makes one deep call per level, so the depth is linear.
 *
 * unrecurse-test: small=0,1,2,3,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L

static long visits;

UNRECURSE static long in_while(long n)
{
    long acc = 0;
    int i = 0;
    while (i < 3 && n > 0 && in_while(i == 0 ? n - 1 : 0) >= 0) {
        i++;
        visits++;
        if (i == 2)
            continue;
        acc = (acc + n * i) % M;
    }
    return (acc + i) % M;
}

UNRECURSE static long in_do(long n)
{
    long acc = 1;
    int rounds = 0;
    do {
        rounds++;
        if (rounds == 2)
            continue;
        acc = (acc * 3 + n) % M;
        if (rounds > 4)
            break;
    } while (n > 0 && in_do(rounds == 1 ? n - 1 : 0) % 5 != 4 && rounds < 3);
    return (acc + rounds) % M;
}

UNRECURSE static long in_for(long n)
{
    long acc = 0;
    long j;
    for (j = 0; j < (n > 0 ? 2 : 0); j += 1 + (j == 0 ? in_for(n - 1) % 2 : 0)) {
        visits++;
        if (j == 1)
            continue;
        acc = (acc + j + n) % M;
    }
    return (acc + j) % M;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    printf("while %ld\n", in_while(n));
    printf("do %ld\n", in_do(n));
    printf("for %ld\n", in_for(n));
    printf("visits %ld\n", visits);
    return 0;
}
