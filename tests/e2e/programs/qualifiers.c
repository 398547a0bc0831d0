/*
 * qualifiers.c - const and volatile parameters and locals.
 *
 * cv() has a const parameter, a volatile one and a const pointer to const
 * char, all live across the recursive call, and a const local initialized by
 * the call.
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L

UNRECURSE static long cv(const long n, volatile long k, const char *const name)
{
    if (n == 0)
        return k + name[0];
    k = (k * 3 + n) % M;
    const long below = cv(n - 1, k + 1, name);
    volatile long after = k;
    return (below + after + name[n % 9]) % M;
}

int main(int argc, char **argv)
{
    const long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    static const char text[] = "qualified"; /* 9 characters */

    printf("cv(%ld) = %ld\n", n, cv(n, 5, text));
    return 0;
}
