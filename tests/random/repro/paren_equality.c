/* symptom: clang -Wall warns "equality comparison with extraneous parentheses" [-Wparentheses-equality] in the rewritten file (found before 3df3947, which fixes it) */
/*
 * paren_equality.c - a parenthesized comparison as the condition of a lazy
 * operator. A condition written `(x == 3UL) ? ... : ...` becomes `if ((x == 3UL))` in
 * the lowering of the lazy operator; clang warns about the double parentheses.
 *
 * unrecurse-test: small=0,1,2,10 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

UNRECURSE static unsigned long f(unsigned long x, long d)
{
    if (d <= 0)
        return x;
    unsigned long r = (x == 4UL) && f(x + 1, d - 1) != 0;
    while ((x == 5UL) && f(x, 0) == 7UL)
        x++;
    r += (x == 6UL) || f(x + 2, 0) == 1UL;
    return r + ((x == 3UL) ? f(x + 1, d - 1) : f(x + 2, d - 1) % 1000003UL);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    printf("%lu\n", f(1, n));
    return 0;
}
