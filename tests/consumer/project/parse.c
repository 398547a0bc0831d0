/* parse.c - the depth of nested brackets, recursively: "((()))" is 3. */
#include "nest.h"

#ifndef NEST_MARK
#define NEST_MARK 1
#endif

long nest_depth(const char **p)
{
    long best = 0;

    while (**p == '(') {
        long d;
        (*p)++;
        d = nest_depth(p);
        if (**p == ')')
            (*p)++;
        if (d + NEST_WEIGHT > best)
            best = d + NEST_WEIGHT;
    }
    return best * NEST_MARK / NEST_MARK;
}
