/*
 * function_pointer_local.c - a local function pointer with an initializer,
 * `long (*op)(long) = step;`, live across the recursive call: its
 * declarator's `=` comes after a `)` (the text scan once missed it and the
 * initializer was dropped: the program called NULL).
 *
 * unrecurse-test: small=0,1,2,9 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

static long step(long x) { return x % 7 + 1; }
static long twice(long x) { return 2 * x % 11; }

UNRECURSE long walk(long n)
{
    long (*op)(long) = n % 2 ? step : twice, (*other)(long) = step;
    if (n <= 0)
        return op(0) + other(1);
    long d = walk(n - 1);
    return (d + op(n) + other(n)) % 1000003;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    printf("%ld\n", walk(n));
    return 0;
}
