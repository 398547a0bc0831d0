/*
 * void_member_value.c - a call to a void member of a cycle inside an
 * expression (the left of a comma), followed by another call in the same
 * statement: the void call has no result to keep across the second call
 * (the tool once crashed on this, found by tests/random --mutual).
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

static long sink;

UNRECURSE static void v(long n);

UNRECURSE static long w(long n)
{
    if (n <= 0)
        return 1;
    return ((v(n - 1), 2) + w(n - 1)) % 1000003;
}

UNRECURSE static void v(long n)
{
    if (n > 0 && n % 1000 == 0)
        sink += w(0);
    sink += n % 3;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    long r = w(n);
    printf("w %ld sink %ld\n", r, sink);
    return 0;
}
