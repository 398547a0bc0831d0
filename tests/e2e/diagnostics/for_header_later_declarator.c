// expect: 10:36: error: recursive call to 'f' in a later declarator of a for header
/* A call in a later declarator of a for header would run before the
 * earlier declarator it may read: rejected, with how to write it. */
#include <unrecurse.h>

UNRECURSE int f(int n)
{
    if (n <= 0)
        return 0;
    for (int i = f(n - 1), j = i + f(n - 2); i < j; i++)
        return i;
    return n;
}
