/*
 * ackermann_hand.c - ackermann.c converted to an explicit stack by hand.
 *
 * The classic conversion: tail calls become assignments to m and n, and the
 * one non-tail call, ack(m, n - 1) inside ack(m - 1, ...), leaves behind a
 * frame holding only m - 1, the first argument of the call still to make.
 * When a value comes back, the top frame supplies m and the value becomes n.
 * The frames form a growable array of longs that doubles when full.
 *
 * usage: ackermann_hand N [input]
 */
#include "bench.h"

static long ack(long m, long n)
{
    long *pending = NULL; /* first arguments of the outer calls still to make */
    size_t count = 0, capacity = 0;

    for (;;) {
        if (m == 0) {
            n = n + 1;
            if (count == 0)
                break;
            m = pending[--count];
        } else if (n == 0) {
            m = m - 1;
            n = 1;
        } else {
            if (count == capacity) {
                long *grown;

                capacity = capacity ? 2 * capacity : 64;
                grown = realloc(pending, capacity * sizeof *grown);
                if (grown == NULL) {
                    fprintf(stderr, "ackermann_hand: out of memory\n");
                    exit(1);
                }
                pending = grown;
            }
            pending[count++] = m - 1;
            n = n - 1;
        }
    }
    free(pending);
    return n;
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
