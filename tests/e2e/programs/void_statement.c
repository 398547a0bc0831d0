/*
 * void_statement.c - recursive calls as expression statements.
 *
 * walk() is a void function that works before and after its recursive call
 * (its parameters are live across the call) and returns early with a bare
 * "return;". visit() is a non-void function whose recursive call is a plain
 * statement, its result discarded.
 *
 * unrecurse-test: small=0,1,2,5,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

struct stats {
    unsigned long long hash;
    long calls;
};

UNRECURSE static void walk(struct stats *s, long n)
{
    if (n == 0)
        return;
    s->calls++;
    s->hash = s->hash * 3 + (unsigned long long)n;
    walk(s, n - 1);
    s->hash ^= (unsigned long long)n << 3;
}

static long visits;

UNRECURSE long visit(long n)
{
    visits++;
    if (n > 0)
        visit(n - 1);
    return n * 2;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    struct stats s = { 7, 0 };
    long r;

    walk(&s, n);
    printf("walk: %ld calls, hash %llu\n", s.calls, s.hash);
    r = visit(n);
    printf("visit: %ld, %ld visits\n", r, visits);
    return 0;
}
