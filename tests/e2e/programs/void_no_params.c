/*
 * void_no_params.c - recursive functions that take no parameter (their
 * state in globals), returning void and int: called directly, started as
 * tasks, and pulled as a generator. Their packed arguments hold nothing,
 * which once left a variable unused in the generated code (a warning).
 *
 * usage: void_no_params N
 *
 * unrecurse-test: small=0,1,2,10,1000 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

static long left, done;

UNRECURSE static void walk(void)
{
    if (left-- > 0) {
        walk();
        done += left % 3;
    }
}

UNRECURSE static int count(void)
{
    if (left-- > 0)
        return (count() + 1) % 1000;
    return 0;
}

UNRECURSE static void yield_down(void)
{
    long here = left--;
    if (here > 0) {
        UNRECURSE_YIELD(here);
        yield_down();
    }
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10, v, sum = 0;
    unrecurse_queue *q = unrecurse_queue_new();
    int c = -1;

    left = n;
    walk();
    printf("walk: %ld\n", done);
    left = n;
    done = 0;
    UNRECURSE_START_VOID(q, walk());
    unrecurse_queue_run(q, (size_t)-1);
    printf("walk as a task: %ld\n", done);
    left = n;
    UNRECURSE_START(q, &c, count());
    while (unrecurse_queue_run(q, 1000) > 0)
        ;
    printf("count as a task: %d\n", c);
    left = n;
    unrecurse_gen *g = UNRECURSE_GEN(long, yield_down());
    while (unrecurse_gen_next(g, &v))
        sum = (sum * 7 + v) % 1000003;
    unrecurse_gen_free(g);
    printf("yielded: %ld\n", sum);
    unrecurse_queue_free(q);
    return 0;
}
