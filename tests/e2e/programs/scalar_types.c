/*
 * scalar_types.c - parameters and results of many scalar types.
 *
 * char, unsigned short, int, unsigned long long, size_t, double, float,
 * _Bool and an enum, as parameters live across the recursive call and as
 * return types. harmonic() adds floating-point numbers after the call, in the
 * same order as the original, so the printed digits must match exactly.
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

enum colour { RED, GREEN, BLUE };

UNRECURSE static double harmonic(unsigned n, float scale)
{
    if (n == 0)
        return 0.0;
    return harmonic(n - 1, scale) + (double)scale / n;
}

UNRECURSE static unsigned char digits(unsigned long long x, char base, unsigned short salt)
{
    unsigned char below;

    if (x == 0)
        return (unsigned char)salt;
    below = digits(x / (unsigned long long)base, base, (unsigned short)(salt + 1));
    return (unsigned char)(below * 3 + x % (unsigned long long)base);
}

UNRECURSE static _Bool flip(size_t n, _Bool b)
{
    if (n == 0)
        return b;
    return !flip(n - 1, b);
}

UNRECURSE static enum colour cycle(int n, enum colour c)
{
    enum colour next;

    if (n == 0)
        return c;
    next = cycle(n - 1, c);
    if (next == BLUE)
        return RED;
    return (enum colour)(next + 1);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;

    printf("harmonic(%ld) = %.12f\n", n, harmonic((unsigned)n, 1.5f));
    printf("digits(%ld) = %u\n", n, (unsigned)digits((unsigned long long)n * 1234567ULL, 3, 9));
    printf("flip(%ld) = %d\n", n, (int)flip((size_t)n, 1));
    printf("cycle(%ld) = %d\n", n, (int)cycle((int)n, GREEN));
    return 0;
}
