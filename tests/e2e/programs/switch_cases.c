/*
 * switch_cases.c - recursive calls in a switch condition and in its cases.
 *
 * classify() switches on the result of its recursive call, with a case that
 * falls through into the next, a case with another (shallow) recursive call,
 * and a default. steps() switches on its argument and recurses from inside
 * several cases: as an initializer in a block, as a statement, in a return,
 * and just before a fall-through.
 *
 * unrecurse-test: small=0,1,2,3,4,5,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L

UNRECURSE static long classify(long n)
{
    long r = 0;

    if (n <= 0)
        return 1;
    switch (classify(n - 1) % 5) {
    case 0:
        r = 7;
        /* fall through */
    case 1:
        r += n;
        break;
    case 2:
        r = classify(n % 3 - 2) + 3;
        break;
    default:
        r = n * 2;
        break;
    }
    return (r + n) % M;
}

static long visited;

UNRECURSE static long steps(long n)
{
    long r = 0;
    int fell_through = 0;

    if (n <= 0)
        return 0;
    switch (n % 5) {
    case 0: {
        long below = steps(n - 1);
        r = below + 1;
        break;
    }
    case 1:
        steps(n - 1);
        r = n;
        break;
    case 2:
        return steps(n - 1) * 2 % M;
    case 3:
        r = steps(n - 1);
        fell_through = 1;
        /* fall through */
    case 4:
        if (!fell_through)
            r = steps(n - 1);
        r = (r + visited) % M;
        visited++;
        break;
    }
    return r;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    long s;

    printf("classify(%ld) = %ld\n", n, classify(n));
    s = steps(n);
    printf("steps(%ld) = %ld, visited %ld\n", n, s, visited);
    return 0;
}
