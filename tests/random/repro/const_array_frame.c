/* symptom: gcc -Wall warns "passing argument 1 of 'memcpy' discards 'const' qualifier" [-Wdiscarded-array-qualifiers], clang [-Wincompatible-pointer-types-discards-qualifiers], in the rewritten file (found before 3df3947, which fixes it) */
/*
 * const_array_frame.c - a const local array kept in the frame. Its
 * initializer was copied into a const-qualified frame field with memcpy.
 *
 * unrecurse-test: small=0,1,2,10 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

UNRECURSE static unsigned long f(unsigned long x, long d)
{
    const unsigned long a[2] = {x, 2};
    if (d <= 0)
        return x;
    return (a[0] + f(x + a[1], d - 1)) % 1000003UL;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    printf("%lu\n", f(1, n));
    return 0;
}
