// expect: 11:5: error: variable 'p' must be kept in the heap frame, but its type is declared inside the function; move the type's declaration before the function
/* A local whose type is declared inside the function, live across the
 * recursive call: its frame field would need the type at file scope,
 * where the frame struct is declared. (The tool once wrote the field with
 * the local type's name: output that did not compile.) */
#include <unrecurse.h>

UNRECURSE long sum(long n)
{
    struct pair { long a, b; };
    struct pair p = {n, 2 * n};
    if (n <= 0)
        return 0;
    long rest = sum(n - 1);
    return rest + p.a + p.b;
}
