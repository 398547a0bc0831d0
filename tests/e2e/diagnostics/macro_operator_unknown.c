// expect: 13:17: error: cannot tell which operator this is
/* An operator the tool cannot identify (a macro whose body is more than
 * one token) between operands that call the function: it might be lazy,
 * so the call cannot be hoisted. */
#include <unrecurse.h>

#define ANDNOT && !

UNRECURSE int f(int n)
{
    if (n <= 0)
        return 0;
    return n > 5 ANDNOT f(n - 1);
}
