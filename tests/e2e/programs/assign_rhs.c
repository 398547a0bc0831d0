/*
 * assign_rhs.c - recursive calls as the right-hand side of an assignment.
 *
 * To a local, to a struct member through a pointer parameter, and to an
 * element of a caller-owned array reached through a pointer parameter; the
 * left-hand sides are evaluated after the call returns.
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L

struct box {
    long last;
    long count;
};

UNRECURSE static long chain(long n, struct box *box, long *slots, long nslots)
{
    long r;
    long shallow = (n - 1) % 2; /* 0 or 1, below n: a shallow call */

    if (n == 0)
        return 1;
    r = chain(n - 1, box, slots, nslots);
    box->last = chain(0, box, slots, nslots) + r;
    box->count++;
    slots[n % nslots] = chain(shallow, box, slots, nslots);
    r = (r * 5 + n + slots[n % nslots]) % M;
    return r;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    long slots[8] = { 0 };
    struct box box = { 0, 0 };
    long r = chain(n, &box, slots, 8);
    long i;

    printf("chain(%ld) = %ld, last %ld, count %ld, slots", n, r, box.last, box.count);
    for (i = 0; i < 8; i++)
        printf(" %ld", slots[i]);
    printf("\n");
    return 0;
}
