// expect: 12:5: error: variable 'c_i' is declared by a macro and must be kept across a recursive call
/* A loop macro that declares its own counter: the counter lives across
 * the recursive call in the body, so it must be saved in the frame, but
 * its declaration is the macro's text. */
#include <unrecurse.h>

#define each_below(c, n) for (int c##_i = 0; c##_i < (n); c##_i++)

UNRECURSE int walk(int n)
{
    int s = 1;
    each_below(c, n) {
        s += walk(n - 1 - c_i);
    }
    return s;
}
