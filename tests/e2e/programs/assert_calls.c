/*
 * assert_calls.c - recursive calls inside assert(), as real code writes
 * them: `assert(check(n - 1));`. In GNU C, glibc's assert(X) expands to
 * `((void) sizeof ((X) ? 1 : 0), __extension__ ({ if (X) ; else
 * __assert_fail (...); }))`: the call is in a statement expression, where
 * it cannot be rewritten in place. Its value is discarded, so the tool
 * rewrites the statement as `{ (void) sizeof (...); { if (X) ; else ...; } }`.
 * The call in sizeof must not run; the one in the braces must run once.
 * A call count shows both, and the inner assert holds (a failure would
 * abort the rewritten program only).
 *
 * unrecurse-test: small=0,1,2,9 deep=1000000
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

static long calls;

UNRECURSE int check(long n)
{
    calls++;
    if (n <= 0)
        return 1;
    assert(check(n - 1));
    if (n % 1000 == 0)
        assert(check(3) > 0);
    else
        assert(n > 0);
    return (int)(n % 5 + 1);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    int r = check(n);
    printf("%d %ld\n", r, calls);
    return 0;
}
