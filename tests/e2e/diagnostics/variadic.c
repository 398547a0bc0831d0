// expect: 6:16: error: variadic
/* A variadic function cannot be rewritten: its va_list lives in the native frame. */
#include <stdarg.h>
#include <unrecurse.h>

UNRECURSE long total(int count, ...)
{
    if (count == 0)
        return 0;
    return 1 + total(count - 1);
}
