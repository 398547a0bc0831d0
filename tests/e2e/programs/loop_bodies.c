/*
 * loop_bodies.c - recursive calls inside the bodies of for, while and
 * do-while loops, next to break and continue.
 *
 * In each loop only one iteration makes the deep call (the others recurse
 * with 0), so the depth stays linear while every iteration suspends the frame
 * in the middle of a loop. Locals declared in a loop body are used after the
 * call.
 *
 * unrecurse-test: small=0,1,2,3,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L

UNRECURSE static long in_for(long n)
{
    long total = n;
    int i;

    if (n <= 0)
        return 1;
    for (i = 0; i < 4; i++) {
        long arg = 0;
        long sub;

        if (i == 2)
            continue;
        if (i == 1)
            arg = n - 1;
        sub = in_for(arg);
        total = (total * 31 + sub + i) % M;
        if (n % 7 == 0 && i == 1)
            break;
    }
    return total;
}

UNRECURSE static long in_while(long n)
{
    long total = 0;
    int k = 3;

    if (n <= 0)
        return 2;
    while (k > 0) {
        long next = k == 3 ? n - 1 : 0;
        long sub = in_while(next);
        total = (total + sub * k) % M;
        k--;
    }
    return (total + n) % M;
}

UNRECURSE static long in_do(long n)
{
    long total = 1;
    long k = 0;

    if (n <= 0)
        return 3;
    do {
        if (k == 0) {
            total = (total + in_do(n - 1)) % M;
        } else {
            in_do(0);
            total = total * 2 % M;
        }
        k++;
    } while (k < 3);
    return total;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;

    printf("in_for(%ld) = %ld\n", n, in_for(n));
    printf("in_while(%ld) = %ld\n", n, in_while(n));
    printf("in_do(%ld) = %ld\n", n, in_do(n));
    return 0;
}
