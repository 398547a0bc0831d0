/* Golden test: fib.c with --heap-only: every call on heap frames.
 * unrecurse-args: --heap-only
 * Tree recursion, two recursive calls in one return expression.
 * The code around the annotated function must come out unchanged. */
#include <unrecurse.h>

#define FIB_LIMIT 90 /* fib(91) overflows a 64-bit long */

UNRECURSE long fib(long n)
{
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

/* Not annotated: left as it is. */
long fib_checked(long n)
{
    return n >= 0 && n <= FIB_LIMIT ? fib(n) : -1;
}
