/* symptom: gcc -O1/-O2 -Wall warns "'acc' may be used uninitialized" [-Wmaybe-uninitialized] in the rewritten file (open at 4c10b28, fixed by ad5bc6b: the test passes there and fails at 4c10b28) */
/*
 * dead_local_saved.c - acc is dead across both calls of the if statement
 * (the next statement overwrites it), and the tool does not save it across
 * the first one, yet saves it across the second, which is reached right after
 * resuming from the first: on that path the saved value is the C local as the
 * callee left it, an indeterminate value. The kill in the enclosing block is
 * not seen from the call nested in the if.
 *
 * The declarations the tool moves to the top of the function also carry the
 * wrong #line: gcc's "'acc' was declared here" points past the function.
 *
 * unrecurse-test: small=0,1,2,10 deep=1000000
 * unrecurse-also-cflags: -O1
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

UNRECURSE static unsigned long f(long d, unsigned long a)
{
    if (d <= 0)
        return a * 129UL;
    unsigned long acc = a;
    if (f(d - 1, a) > 5)
        (void)f(0, a);
    acc = f(0, a);
    return (acc + 1) % 1000003UL;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    printf("%lu\n", f(n, 5));
    return 0;
}
