/*
 * lazy_operators.c - recursive calls under &&, ||, ?: and the comma operator,
 * which must run exactly as often as in the original: a trace of the
 * calls made shows any difference.
 *
 * unrecurse-test: small=0,1,2,5,10,17 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

static int trace[64]; static int nt;
static int note(int v) { if (nt < 64) trace[nt++] = v; return v; }

UNRECURSE long f(long n)
{
    if (n <= 0) return 1;
    long a = n % 3 == 0 ? f(n - 1) + 1 : f(n - 2) * 2 % 1000003;
    int b = (n % 2 && f(n - 1) > 3) || (note((int)n) && f(n - 2) % 2);
    long c = (note(1), f(n - 1) % 7);
    return (a + b + c) % 1000003;
}

/* The deep one. Not `1 + g(n - 1)`: gcc -O2 turns that into a loop, and
 * the original would then not overflow its stack at the deep size. */
UNRECURSE long g(long n)
{
    return n <= 0 ? 0 : (1 + 3 * g(n - 1)) % 1000003;
}

UNRECURSE int ack(int m, int n)
{
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    printf("%ld\n", f(n < 18 ? n : 18));
    for (int i = 0; i < nt; i++) printf("%d ", trace[i]);
    printf("\n%ld %d\n", g(n), ack(2, 3));
    return 0;
}
