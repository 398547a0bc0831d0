/*
 * fib_hand.c - fib.c converted to an explicit stack by hand.
 *
 * The way a careful programmer removes recursion: a growable array of small
 * frames, one per call that is waiting for a callee, each holding what that
 * call needs when it resumes (its argument, the result of its first call)
 * and a state saying where it resumes. The current call's argument and the
 * value being returned stay in locals, so they live in registers; a call
 * that needs no frame (a leaf) does not get one. The array only grows
 * (doubling), so frames move on growth and are addressed by index.
 *
 * usage: fib_hand N [input]
 */
#include "bench.h"

struct fib_frame {
    long n;      /* the argument of the waiting call */
    long first;  /* fib(n - 1), once it is known */
    int state;   /* 1: waiting for fib(n - 1), 2: waiting for fib(n - 2) */
};

struct fib_stack {
    struct fib_frame *frames;
    size_t count, capacity;
};

/* Makes room for one more frame, doubling the array when it is full. */
static struct fib_frame *fib_push(struct fib_stack *s)
{
    if (s->count == s->capacity) {
        size_t capacity = s->capacity ? 2 * s->capacity : 64;
        struct fib_frame *frames = realloc(s->frames, capacity * sizeof *frames);

        if (frames == NULL) {
            fprintf(stderr, "fib_hand: out of memory\n");
            exit(1);
        }
        s->frames = frames;
        s->capacity = capacity;
    }
    return &s->frames[s->count++];
}

static long fib(long n)
{
    struct fib_stack s = {NULL, 0, 0};
    long ret;

    for (;;) {
        /* Call fib(n): descend along fib(n - 1) until a leaf. */
        while (n >= 2) {
            struct fib_frame *f = fib_push(&s);

            f->n = n;
            f->state = 1;
            n = n - 1;
        }
        ret = n;
        /* Return ret to the waiting calls until one has a call to make. */
        for (;;) {
            struct fib_frame *f;

            if (s.count == 0) {
                free(s.frames);
                return ret;
            }
            f = &s.frames[s.count - 1];
            if (f->state == 1) {
                f->first = ret;
                f->state = 2;
                n = f->n - 2;
                break;
            }
            ret = f->first + ret;
            s.count--;
        }
    }
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
