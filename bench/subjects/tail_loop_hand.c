/*
 * tail_loop_hand.c - tail_loop.c converted by hand.
 *
 * A tail call needs no frame: a careful programmer writes it as a loop,
 * assigning the new arguments to the parameters. There is no stack at all.
 *
 * usage: tail_loop_hand N [input]
 */
#include "bench.h"

static unsigned long loop(unsigned long n, unsigned long acc)
{
    while (n != 0) {
        acc = acc + (n ^ (n >> 3));
        n = n - 1;
    }
    return acc;
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
