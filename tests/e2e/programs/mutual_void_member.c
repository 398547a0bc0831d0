/*
 * mutual_void_member.c - f (void) and g (long) call each other.
 *
 * unrecurse-test: small=0,1,2,10 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

static unsigned long count;

UNRECURSE static long g(long d);

UNRECURSE static void f(long d)
{
    if (d <= 0)
        return;
    count += (unsigned long)g(d - 1);
}

UNRECURSE static long g(long d)
{
    if (d <= 0)
        return 1;
    f(d - 1);
    return 2;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    f(n);
    printf("%lu\n", count);
    return 0;
}
