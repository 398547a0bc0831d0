/*
 * array_parameters.c - parameters declared with array and function types:
 * `long a[]`, `long a[4]`, `long a[static 2]`, `long a[const 4]`, a
 * variable-length `long a[n]`, `const long a[][2]`, a typedef'd array, an
 * array of function pointers, `long op(long)` and a typedef'd function
 * type. C adjusts each to a pointer, and so must the frame field: the tool
 * once copied the declared type, and its output did not compile.
 *
 * unrecurse-test: small=0,1,2,9 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

typedef long vec[4];
typedef long step_fn(long);

static long twice(long x) { return 2 * x % 11; }
static long third(long x) { return x / 3 + 1; }

UNRECURSE long open_array(long n, long a[])
{
    if (n <= 0)
        return a[0];
    return (a[n % 4] + open_array(n - 1, a)) % 1000003;
}

UNRECURSE long sized(long n, long a[4])
{
    if (n <= 0)
        return a[1];
    a++; /* a pointer, so it can move */
    a--;
    return (a[n % 4] * 3 + sized(n - 1, a)) % 1000003;
}

UNRECURSE long with_static(long n, long a[static 2])
{
    if (n <= 0)
        return a[1];
    return (a[n % 2] + with_static(n - 1, a)) % 1000003;
}

UNRECURSE long with_const(long n, long a[const 4])
{
    if (n <= 0)
        return a[2];
    return (a[n % 4] + 5 + with_const(n - 1, a)) % 1000003;
}

UNRECURSE long variable(long n, long m, long a[m])
{
    if (n <= 0)
        return a[m - 1];
    return (a[n % m] + variable(n - 1, m, a)) % 1000003;
}

UNRECURSE long rows(long n, const long a[][2])
{
    if (n <= 0)
        return a[1][1];
    return (a[n % 3][n % 2] + rows(n - 1, a)) % 1000003;
}

UNRECURSE long named(long n, vec v)
{
    if (n <= 0)
        return v[3];
    return (v[n % 4] + 7 + named(n - 1, v)) % 1000003;
}

UNRECURSE long table(long n, long (*ops[2])(long))
{
    if (n <= 0)
        return ops[0](5);
    return (ops[n % 2](n) + table(n - 1, ops)) % 1000003;
}

UNRECURSE long function(long n, long op(long))
{
    if (n <= 0)
        return op(1);
    return (op(n) + function(n - 1, op)) % 1000003;
}

UNRECURSE long named_function(long n, step_fn op)
{
    if (n <= 0)
        return op(2);
    return (op(n) + 1 + named_function(n - 1, op)) % 1000003;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    long a[4] = {3, 1, 4, 1};
    long grid[3][2] = {{5, 9}, {2, 6}, {5, 3}};
    long (*ops[2])(long) = {twice, third};
    printf("%ld %ld %ld %ld\n", open_array(n, a), sized(n, a), with_static(n, a),
           with_const(n, a));
    printf("%ld %ld %ld\n", variable(n, 3, a), rows(n, grid), named(n, a));
    printf("%ld %ld %ld\n", table(n, ops), function(n, twice), named_function(n, third));
    return 0;
}
