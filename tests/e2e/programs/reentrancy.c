/*
 * reentrancy.c - rewritten functions entered again from code that was not
 * rewritten: a plain helper that calls back into a rewritten function, and
 * recursion through a function pointer (the tool warns: such calls run
 * natively, as nested runs). Every level here crosses native code, so deep
 * inputs rely on nested runs moving to fresh native stack segments.
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

UNRECURSE static long down(long n);

/* Not rewritten: an ordinary native function in the cycle. */
static long helper(long n)
{
    long r = down(n - 1);
    return r * 3 % 1000003;
}

UNRECURSE static long down(long n)
{
    if (n <= 0)
        return 1;
    if (n % 2)
        return helper(n) + 1;
    return down(n - 1) + 2;
}

static long (*step)(long);

UNRECURSE static long pointer_walk(long n)
{
    if (n <= 0)
        return 0;
    return (step(n - 1) + n) % 1000003;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    step = pointer_walk;
    printf("down %ld\n", down(n));
    printf("pointer %ld\n", pointer_walk(n));
    return 0;
}
