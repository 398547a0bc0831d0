/* --list on legacy code: a recursive function, a cycle of two, one that
 * cannot be rewritten, recursion through a function pointer, and a
 * function that is not recursive. */
#include <setjmp.h>
#include <unrecurse.h>

static jmp_buf env;

long count(long n)
{
    return n <= 0 ? 0 : 1 + count(n - 1);
}

int odd(unsigned n);

UNRECURSE int even(unsigned n)
{
    return n == 0 ? 1 : odd(n - 1);
}

int odd(unsigned n)
{
    return n == 0 ? 0 : even(n - 1);
}

int escape(int n)
{
    if (n == 0)
        longjmp(env, 1);
    return escape(n - 1);
}

int (*hook)(int);

int through_pointer(int n)
{
    hook = through_pointer;
    return n <= 0 ? 0 : through_pointer(n - 1);
}

int plain(int n)
{
    return n + 1;
}
