/* symptom: gcc -O1 -Wall warns "'f__t1' may be used uninitialized" [-Wmaybe-uninitialized] in the rewritten file (found before 3df3947, which initializes temporaries; f__t1 is still saved across the third call, where it is dead) */
/*
 * nested_argument_temporary.c - the result of an inner call, consumed as an
 * argument of the second call, was saved in the frame across the third call
 * and read uninitialized on the paths gcc could not exclude. (Only the
 * outer call goes more than one level down, so that the recursion is linear
 * and can run deep.)
 *
 * unrecurse-test: small=0,1,2,3,10 deep=1000000
 * unrecurse-also-cflags: -O1
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

UNRECURSE static long f(long d, long a)
{
    if (d <= 0)
        return a;
    return (f(d - 1, f(d > 1, 0)) + f(d > 2, a) + 1) % 1000003L;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 5;
    printf("%ld\n", f(n, 1));
    return 0;
}
