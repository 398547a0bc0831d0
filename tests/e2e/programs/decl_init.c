/*
 * decl_init.c - recursive calls as initializers of declarations.
 *
 * A plain "long rest = f(n - 1);", a const local initialized by a call, a
 * declaration with two declarators where the first is initialized by the
 * call and the second uses it, and a declaration in a nested block.
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L

UNRECURSE long depth_sum(long n)
{
    if (n == 0)
        return 0;
    long rest = depth_sum(n - 1);
    const long again = rest % 17;
    return (rest + again + n) % M;
}

UNRECURSE static long pairs(long n)
{
    if (n <= 0)
        return 1;
    long a = pairs(n - 1), b = a * 2 + n;
    if (n % 2 == 0) {
        long c = (a + b) % M;
        return c;
    }
    return (b - a) % M;
}

UNRECURSE static unsigned blocky(unsigned n)
{
    unsigned r = n;
    if (n > 0) {
        unsigned inner = blocky(n - 1);
        r = (inner * 7u + n) % 65521u;
    }
    return r;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;

    printf("depth_sum(%ld) = %ld\n", n, depth_sum(n));
    printf("pairs(%ld) = %ld\n", n, pairs(n));
    printf("blocky(%ld) = %u\n", n, blocky((unsigned)n));
    return 0;
}
