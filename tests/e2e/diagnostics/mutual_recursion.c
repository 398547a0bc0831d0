// expect: 7:15: error: mutual recursion is not supported yet
/* Mutual recursion between two annotated functions: not supported yet. */
#include <unrecurse.h>

UNRECURSE int is_odd(long n);

UNRECURSE int is_even(long n)
{
    if (n == 0)
        return 1;
    return is_odd(n - 1);
}

UNRECURSE int is_odd(long n)
{
    if (n == 0)
        return 0;
    return is_even(n - 1);
}
