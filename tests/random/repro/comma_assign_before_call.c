/* symptom: wrong output (rewritten prints 4 for 3, native 22): a variable assigned in the left operand of a comma, before a recursive call in the right one, was not saved across the call (found before 4c2ad9f/4df21a5, which fix it) */
/*
 * comma_assign_before_call.c - `a = (q = a * 3, f(...))`: q is written before
 * the call and read after it, so it lives across the call; the tool took
 * the assignment for one after the call and did not save q.
 *
 * unrecurse-test: small=0,1,2,3,10 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

UNRECURSE static unsigned long f(unsigned long a, long d)
{
    unsigned long q = 0;
    if (d <= 0)
        return a;
    a = (q = a * 3, f(a + 1, d - 1));
    return (a + q) % 1000003UL;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 3;
    printf("%lu\n", f(1, n));
    return 0;
}
