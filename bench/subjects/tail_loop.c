/*
 * tail_loop.c - tail recursion: a loop written as a function calling itself.
 *
 * loop(n, acc) returns loop(n - 1, acc + n) unchanged, so no call has
 * anything left to do when its callee returns. gcc -O2 turns that into a
 * jump; unrecurse reuses the caller's frame; either way it must run in
 * constant memory for any n. (The xor with a shifted n keeps gcc from
 * replacing the whole loop by a closed formula.)
 *
 * usage: tail_loop N [input]     (N iterations; constant depth 1)
 */
#include <unrecurse.h>

#include "bench.h"

UNRECURSE unsigned long loop(unsigned long n, unsigned long acc)
{
    if (n == 0)
        return acc;
    return loop(n - 1, acc + (n ^ (n >> 3)));
}

int main(int argc, char **argv)
{
    struct bench_run run;
    unsigned long value;

    bench_init(&run, argc, argv, 0, 4000000000L);
    if (run.input_only) {
        printf("tail_loop: no input\n");
        return 0;
    }
    bench_start(&run, &run);
    value = loop((unsigned long)run.size, 0);
    bench_stop(&run, 1);
    printf("loop(%ld) = %lu\n", run.size, value);
    return 0;
}
