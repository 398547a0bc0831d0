// expect: 11:5: error: computed goto
/* A computed goto (GNU labels as values): its targets cannot be resumed. */
#include <unrecurse.h>

UNRECURSE long jumpy(long n)
{
    void *target = &&done;
    long r = 0;
    if (n > 0)
        r = jumpy(n - 1) + 1;
    goto *target;
done:
    return r;
}
