/*
 * ackermann.c - Ackermann's function A(2, n) = 2n + 3.
 *
 * A recursive call nested in the argument of another, ack(m - 1, ack(m, n - 1)),
 * and two tail calls (the outer call and ack(m - 1, 1)): gcc -O2 turns the
 * tail calls into jumps, and unrecurse reuses the frame for them, so only
 * the inner calls ack(m, n - 1) stack up. A(2, n) makes about 2n^2 calls;
 * the deepest level it reaches, counting only those waiting inner calls, is
 * 2n + 1 (n calls of ack(2, k) wait while ack(1, 2n + 1) unwinds), which is
 * also the size of the explicit stack in ackermann_hand.c.
 *
 * usage: ackermann N [input]     (computes A(2, N))
 */
#include <unrecurse.h>

#include "bench.h"

UNRECURSE long ack(long m, long n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

int main(int argc, char **argv)
{
    struct bench_run run;
    long value;

    bench_init(&run, argc, argv, 0, 1000000000);
    if (run.input_only) {
        printf("ackermann: no input\n");
        return 0;
    }
    bench_start(&run, &run);
    value = ack(2, run.size);
    bench_stop(&run, 2 * run.size + 1);
    printf("A(2, %ld) = %ld\n", run.size, value);
    return 0;
}
