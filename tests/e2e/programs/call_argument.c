/*
 * call_argument.c - recursive calls as arguments of ordinary functions.
 *
 * The result of the recursive call is passed to a non-recursive function,
 * alone, next to other arguments, nested two calls deep, and into a function
 * that writes to a caller-owned buffer; none of these helpers prints.
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L

static long mix(long a, long b)
{
    return (a * 31 + b) % M;
}

static long twice(long a)
{
    return 2 * a % M;
}

struct log {
    long entries[16];
    long next;
};

static long record(struct log *log, long value)
{
    log->entries[log->next % 16] = value;
    log->next++;
    return value;
}

UNRECURSE static long blend(long n)
{
    if (n == 0)
        return 3;
    return mix(blend(n - 1), n);
}

UNRECURSE static long layers(long n)
{
    if (n == 0)
        return 1;
    return mix(twice(layers(n - 1)), twice(n));
}

UNRECURSE static long logged(struct log *log, long n)
{
    long v;

    if (n == 0)
        return 0;
    v = record(log, logged(log, n - 1) + n);
    return v % M;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    struct log log = { { 0 }, 0 };
    long i, v;

    printf("blend(%ld) = %ld\n", n, blend(n));
    printf("layers(%ld) = %ld\n", n, layers(n));
    v = logged(&log, n);
    printf("logged(%ld) = %ld, %ld entries:", n, v, log.next);
    for (i = 0; i < 16; i++)
        printf(" %ld", log.entries[i]);
    printf("\n");
    return 0;
}
