/*
 * macro_operators.c - operators spelled by macros: `AND` for &&, `OR` for
 * ||, `THEN` for the comma operator, and `ADDR(x)` for &x. The rewrite must
 * tell them from the AST and the macros' definitions, not from the text:
 * a lazy operator taken for a strict one runs calls the original never
 * makes (the call count shows it), and an address taken through a macro
 * must keep the local in the frame (*p must still be this level's value).
 *
 * unrecurse-test: small=0,1,2,3,7,30 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

#define AND &&
#define OR ||
#define THEN ,
#define ADDR(x) (&(x))

static long calls;

/* One recursive call per level, chosen by n % 3, through three lazy
 * operators each of which skips its call two times out of three. */
UNRECURSE long walk(long n)
{
    calls++;
    if (n <= 0)
        return 0;
    long a = n % 3 == 0 AND walk(n - 3) >= 0;
    long b = n % 3 != 1 OR walk(n - 1) >= 0;
    long c = (calls++ THEN n % 3 == 2 ? walk(n - 2) % 1000 : 0);
    return a + b + c + 1;
}

UNRECURSE long addr(long n)
{
    long local = n;
    long *p = ADDR(local);
    if (n <= 0)
        return 0;
    long below = addr(n - 1);
    return (*p + below) % 1000003;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    long w = walk(n);
    printf("walk %ld calls %ld\n", w, calls);
    printf("addr %ld\n", addr(n));
    return 0;
}
