// expect: 10:9: error: setjmp
/* setjmp() in a rewritten function: a later longjmp could not restore the heap frames. */
#include <setjmp.h>
#include <unrecurse.h>

static jmp_buf recovery;

UNRECURSE long guarded(long n)
{
    if (setjmp(recovery) != 0)
        return -1;
    if (n == 0)
        return 0;
    return guarded(n - 1) + 1;
}
