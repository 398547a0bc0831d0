/*
 * pointer_walk.c - the runtime's errors, seen from a rewritten program
 * (errors.sh runs it): a recursion that goes through a function pointer on
 * every other level, so that a deep walk is a deep chain of nested runs on
 * native stack segments, with frames in between: both count against the
 * frame-memory limit, and a walk 10^6 deep needs some 20 MiB of frames and
 * as much of segments.
 *
 * usage: pointer_walk N               walk N levels deep; print N
 *        pointer_walk N recover R     R times: walk N levels deep under a
 *                                     frame-memory limit of 4 MiB, which
 *                                     stops it, and longjmp out of the error
 *                                     handler; then walk N deep without it.
 *                                     Prints what each round's handler saw
 *                                     and the bytes held after it.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unrecurse.h>

static long (*step)(long);

/* A frame of 32 bytes on odd levels (a, b and c outlive the call), a
 * nested run on even ones. */
UNRECURSE static long walk(long n)
{
    if (n <= 0)
        return 0;
    if (n % 2) {
        long a = n * 3, b = n / 2, c = n % 7;
        return walk(n - 1) + 1 + (a - n * 3) + (b - n / 2) + (c - n % 7);
    }
    return step(n - 1) + 1;
}

static jmp_buf recovery;
static unrecurse_error seen;

static void catch_error(const unrecurse_error *err, void *data)
{
    (void)data;
    seen = *err;
    longjmp(recovery, 1);
}

static int recover(long n, int rounds)
{
    volatile int round;

    unrecurse_set_error_handler(catch_error, NULL);
    for (round = 1; round <= rounds; round++) {
        unrecurse_set_limit((size_t)4 << 20);
        if (setjmp(recovery) == 0) {
            walk(n);
            printf("round %d: no error\n", round);
            return 1;
        }
        printf("round %d: %s: %s, depth %zu, segment %zu, %zu bytes held; then %zu\n",
               round, seen.function, unrecurse_strerror(seen.status), seen.depth,
               seen.segment, seen.reserved, unrecurse_reserved());
    }
    unrecurse_set_limit(UNRECURSE_DEFAULT_LIMIT);
    printf("%ld\n", walk(n));
    printf("held %zu\n", unrecurse_reserved());
    return 0;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;

    step = walk;
    if (argc > 3 && strcmp(argv[2], "recover") == 0)
        return recover(n, atoi(argv[3]));
    printf("%ld\n", walk(n));
    return 0;
}
