/* symptom: the tool's warning names garbage ("'f' is on a recursion cycle through '\xc1Y\xcc...'"): use after free of the unmarked function's name, freed by function_fini before the warning is built (analyze.c select_functions; valgrind: invalid read; fixed in 292936e) */
/*
 * cycle_warning_use_after_free.c - f is marked, helper is not, and they
 * call each other. The warning about the partly marked cycle is right; the
 * name in it is read from freed memory.
 *
 * unrecurse-test: small=0,1,2,10 deep=1000000
 * unrecurse-warning: 'f' is on a recursion cycle through 'helper', which is not marked
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

static long helper(long d);

UNRECURSE static long f(long d)
{
    if (d <= 0)
        return 0;
    return helper(d - 1) + 1;
}

static long helper(long d)
{
    return f(d) * 2 % 1000003L;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    printf("%ld\n", f(n));
    return 0;
}
