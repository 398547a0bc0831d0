// expect: 12:22: error: inside a macro expansion
/* A recursive call written through a macro: the macro may evaluate its
 * argument twice (or not at all), so the call cannot be hoisted safely. */
#include <unrecurse.h>

#define TWICE(x) ((x) + (x))

UNRECURSE long twice_down(long n)
{
    if (n <= 0)
        return 0;
    return 1 + TWICE(twice_down(n - 1)) % 7;
}
