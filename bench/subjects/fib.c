/*
 * fib.c - tree recursion with tiny frames: fib(n) = fib(n-1) + fib(n-2).
 *
 * Two recursive calls in one return expression, almost no work per call:
 * this subject measures the bare cost of a call and a return, so it is the
 * one where a heap frame's overhead shows most. The depth is only n.
 *
 * usage: fib N [input]
 */
#include <unrecurse.h>

#include "bench.h"

UNRECURSE long fib(long n)
{
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
    struct bench_run run;
    long value;

    bench_init(&run, argc, argv, 0, 90);
    if (run.input_only) {
        printf("fib: no input\n");
        return 0;
    }
    bench_start(&run, &run);
    value = fib(run.size);
    bench_stop(&run, run.size);
    printf("fib(%ld) = %ld\n", run.size, value);
    return 0;
}
