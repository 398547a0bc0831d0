// expect: 13:5: error: variable 'count' must live in the heap frame
/* A variable a macro declares, whose address is taken and kept across a
 * recursive call: it must live in the frame, which means changing its
 * declaration, and that is the macro's text. */
#include <unrecurse.h>

#define DECLARE_COUNTER(name) long name = 0

UNRECURSE long walk(long n)
{
    if (n <= 0)
        return 0;
    DECLARE_COUNTER(count);
    long *p = &count;
    *p += walk(n - 1);
    return *p + 1;
}
