/*
 * mutual_recursion.c - cycles of several annotated functions: is_even and
 * is_odd (mutual tail calls, constant frame memory), an expression parser
 * whose two functions have different signatures and return types (one a
 * struct), and a call from the cycle to another rewritten function, which
 * runs as a nested run.
 *
 * unrecurse-test: small=0,1,2,3,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

struct acc { long sum; int count; };

UNRECURSE static int is_odd(unsigned long n);

UNRECURSE static int is_even(unsigned long n)
{
    if (n == 0)
        return 1;
    return is_odd(n - 1);
}

UNRECURSE static int is_odd(unsigned long n)
{
    if (n == 0)
        return 0;
    return is_even(n - 1);
}

UNRECURSE long expr_a(const char **p);
UNRECURSE static struct acc term_b(const char **p, int depth);

static void walk_c(int n, long *out);

UNRECURSE long expr_a(const char **p)
{
    struct acc a = term_b(p, 0);
    if (**p == '+') {
        (*p)++;
        return a.sum + expr_a(p);
    }
    return a.sum * 2 + a.count;
}

UNRECURSE static struct acc term_b(const char **p, int depth)
{
    struct acc r = {0, depth};
    if (**p == '(') {
        (*p)++;
        r.sum = expr_a(p) % 1000003;
        long extra = 0;
        walk_c(3, &extra);
        r.sum += extra;
        if (**p == ')') (*p)++;
        return r;
    }
    while (**p >= '0' && **p <= '9') { r.sum = r.sum * 10 + (**p - '0'); (*p)++; }
    return r;
}

UNRECURSE static void walk_c(int n, long *out)
{
    if (n <= 0) return;
    *out += n;
    walk_c(n - 1, out);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    printf("%d %d\n", is_even((unsigned long)n), is_odd((unsigned long)n * 3));
    char *s = malloc((size_t)n * 4 + 16), *q = s;
    for (long i = 0; i < n; i++) { *q++ = '('; *q++ = '1'; *q++ = '+'; }
    *q++ = '7';
    for (long i = 0; i < n; i++) *q++ = ')';
    *q = 0;
    const char *p = s;
    printf("%ld\n", expr_a(&p));
    free(s);
    return 0;
}
