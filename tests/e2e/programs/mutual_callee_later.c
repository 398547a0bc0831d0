/*
 * mutual_callee_later.c - a cycle member whose callee is defined later in
 * the file: the result of the first call f1(d - 1) must be saved across
 * the second call of the same statement, f1(d > 0), which re-enters f0 (whose
 * activations share the cycle's engine and so its temporaries). The
 * analysis once judged what f1 returns before it had read f1, took it for
 * void, and did not save the result (found by the random tester).
 *
 * unrecurse-test: small=0,1,2,3,9 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

UNRECURSE unsigned long f1(long d);

UNRECURSE unsigned long f0(long d)
{
    if (d < 0)
        return 3;
    return f1(d - 1) * 10 + f1(d > 0);
}

UNRECURSE unsigned long f1(long d)
{
    if (d < 0)
        return 1;
    return f0(d - 1) % 1000003 + 2;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    printf("%lu\n", f0(n));
    return 0;
}
