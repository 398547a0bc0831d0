// expect: 9:15: error: alloca
/* alloca() in a rewritten function: the memory would belong to the wrapper's native frame. */
#include <alloca.h>
#include <string.h>
#include <unrecurse.h>

UNRECURSE long scribble(long n)
{
    char *p = alloca((size_t)n + 1);
    memset(p, 'x', (size_t)n + 1);
    if (n == 0)
        return p[0];
    return p[0] + scribble(n - 1);
}
