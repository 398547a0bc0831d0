// expect: 13:16: error: recursive call to 'depth' with 0 arguments, but it has 2 parameters (it has no prototype); pass one argument per parameter
/* A call with fewer arguments than the parameters of a function without a
 * prototype (C accepts it; it is undefined only if it runs). The rewrite
 * assigns each parameter an argument: the tool once wrote the assignment
 * from a temporary it never declared (exit 0, output that did not
 * compile). With more arguments, the extra ones would not be evaluated. */
#include <unrecurse.h>

UNRECURSE int depth(n, unused)
int n, unused;
{
    if (n < 0)
        return depth(); /* never runs */
    if (n == 0)
        return 0;
    return 1 + depth(n - 1, unused);
}
