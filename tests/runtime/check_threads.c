/*
 * check_threads.c - Check suite for the runtime under threads: several
 * threads at once, each deep in a chain of nested runs on native stack
 * segments (runtime/segment.c), with frames on its frame stack
 * (runtime/stack.c) on the way.
 *
 * Test cases, by concern:
 *   threads  THREADS threads with 256 KiB stacks each run a chain 70,000
 *            levels deep, at the same time: some 15 MiB of native stack, 70
 *            segments, and a frame per level. Every level's locals and
 *            frame are intact on the way back, each thread's bytes held
 *            count its own segments, and go back down when it is done.
 *   errors   the same, where every other thread runs under a limit that
 *            stops its chain, and its handler longjmps out, round after
 *            round, while the other threads' chains run on unaffected.
 *
 * A level is what a rewritten function entered from outside its state
 * machine does: check the native stack, move to a new segment when it is
 * low (unrecurse_run_on_segment), push a frame, call the next level, pop.
 * Check's assertions are not thread-safe: the threads report through
 * their `run`, which the test's main thread checks.
 *
 * With -DUNRECURSE_SANITIZE=thread (or address) the suite is also built
 * and run with ThreadSanitizer (AddressSanitizer), against a runtime built
 * with it: runtime.threads.tsan (.asan). They fail unless segment.c
 * announces its stack switches to the sanitizer: ThreadSanitizer aborts
 * on a call stack of 64Ki frames, AddressSanitizer overflows the stack
 * with its fake frames (detect_stack_use_after_return, set below).
 */
#define _GNU_SOURCE

#include "suite.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

/* 70,000 levels: a call stack deeper than ThreadSanitizer can record
 * (64Ki frames) unless it is told that each segment is a stack, a fiber,
 * of its own. */
enum {
    THREADS = 4,
    LEVELS = 70000,
    LEVEL_BYTES = 128,    /* of native stack, per level, at least */
    FRAME_BYTES = 64,     /* of frame, per level */
    ROUNDS = 3
};

#define SEGMENT_SIZE ((size_t)256 << 10) /* segment.c's */

#ifdef UNRECURSE__ASAN
/* AddressSanitizer's options, read when it starts: locals in fake frames
 * off the native stack, to catch their use after return, which only works
 * across segments if it knows of them. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_stack_use_after_return=1";
}
#endif
#define THREAD_STACK ((size_t)256 << 10)

static const unrecurse_function level_fn = {"level", "check_threads.c", FRAME_BYTES};

/* One thread's chain, and what it found. */
typedef struct run {
    int index;
    pthread_barrier_t *barrier;
    size_t limit;         /* its frame-memory limit: one that stops it, or 0 */
    long level;           /* the level being entered */
    unsigned long sum;    /* of the levels, added on the way back */
    long moves;           /* levels that moved to a new segment */
    size_t deepest;       /* unrecurse_reserved() at the deepest level */
    long broken;          /* levels whose locals or frame were overwritten */
    unsigned long sums;   /* chains run to the end, summed correctly */
    int caught;           /* errors its handler caught */
    unrecurse_error err;  /* the last one */
    size_t held[ROUNDS];  /* unrecurse_reserved() after each round */
    int native_low_back;  /* its bound was restored after every round */
    jmp_buf env;
} run;

static unsigned char pattern(const run *r, long level, long i)
{
    return (unsigned char)(r->index * 31 + level * 7 + i);
}

static void level(void *arg);

static void enter_level(run *r)
{
    enter_nested(level, r, &level_fn, &r->moves);
}

static void level(void *arg)
{
    run *r = arg;
    unrecurse_stack *s = unrecurse_stack_get();
    volatile unsigned char buf[LEVEL_BYTES];
    long lv = r->level, i;
    unsigned char *frame = unrecurse_push(s, FRAME_BYTES, &level_fn, NULL);

    for (i = 0; i < LEVEL_BYTES; i++)
        buf[i] = pattern(r, lv, i);
    for (i = 0; i < FRAME_BYTES; i++)
        frame[i] = pattern(r, lv, i + 1);
    if (lv + 1 < LEVELS) {
        r->level = lv + 1;
        enter_level(r);
    } else {
        r->deepest = unrecurse_reserved();
    }
    for (i = 0; i < LEVEL_BYTES; i++)
        if (buf[i] != pattern(r, lv, i))
            break;
    if (i < LEVEL_BYTES)
        r->broken++;
    for (i = 0; i < FRAME_BYTES; i++)
        if (frame[i] != pattern(r, lv, i + 1))
            break;
    if (i < FRAME_BYTES)
        r->broken++;
    unrecurse_pop(s, frame);
    r->sum += (unsigned long)lv;
}

/* Runs one chain from level 0; counts it in r->sums if it summed right. */
static void run_chain(run *r)
{
    r->level = 0;
    r->sum = 0;
    enter_level(r);
    if (r->sum == (unsigned long)(LEVELS - 1) * LEVELS / 2)
        r->sums++;
}

static void catch_in_run(const unrecurse_error *err, void *data)
{
    run *r = data;

    r->err = *err;
    r->caught++;
    longjmp(r->env, 1);
}

/* A thread: ROUNDS chains, under r->limit if set (each then stopped by
 * it, and caught), started at the same time as the others'. */
static void *thread_main(void *arg)
{
    run *r = arg;
    unrecurse_stack *s = unrecurse_stack_get();
    char *native_low = s->native_low;
    volatile int round;

    unrecurse_set_error_handler(catch_in_run, r);
    r->native_low_back = 1;
    pthread_barrier_wait(r->barrier);
    for (round = 0; round < ROUNDS; round++) {
        if (r->limit)
            unrecurse_set_limit(r->limit);
        if (setjmp(r->env) == 0)
            run_chain(r);
        r->held[round] = unrecurse_reserved();
        if (s->native_low != native_low)
            r->native_low_back = 0;
    }
    return NULL;
}

/* Starts THREADS threads on RUNS, every other one under LIMIT (0: none),
 * and waits for them. */
static void run_threads(run *runs, size_t limit)
{
    pthread_barrier_t barrier;
    pthread_attr_t attr;
    pthread_t threads[THREADS];
    int i;

    ck_assert_int_eq(pthread_barrier_init(&barrier, NULL, THREADS), 0);
    ck_assert_int_eq(pthread_attr_init(&attr), 0);
    ck_assert_int_eq(pthread_attr_setstacksize(&attr, THREAD_STACK), 0);
    for (i = 0; i < THREADS; i++) {
        memset(&runs[i], 0, sizeof runs[i]);
        runs[i].index = i;
        runs[i].barrier = &barrier;
        runs[i].limit = i % 2 ? limit : 0;
        ck_assert_int_eq(pthread_create(&threads[i], &attr, thread_main, &runs[i]), 0);
    }
    for (i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
    pthread_attr_destroy(&attr);
    pthread_barrier_destroy(&barrier);
}

/* A chain that ran to the end, every round: intact, its segments counted
 * while held and freed after. */
static void check_completed(const run *r)
{
    int round;

    ck_assert_msg(r->caught == 0, "thread %d: error in %s", r->index, r->err.function);
    ck_assert_uint_eq(r->sums, ROUNDS);
    ck_assert_int_eq(r->broken, 0);
    ck_assert_int_ge(r->moves, ROUNDS * ((long)LEVELS * LEVEL_BYTES / (long)SEGMENT_SIZE));
    ck_assert_uint_ge(r->deepest, (size_t)(r->moves / ROUNDS) * SEGMENT_SIZE
                                      + (size_t)LEVELS * FRAME_BYTES);
    for (round = 0; round < ROUNDS; round++)
        ck_assert_uint_lt(r->held[round], (size_t)2 << 20);
    ck_assert(r->native_low_back);
}

/* ---- threads ----------------------------------------------------------- */

START_TEST(test_threads_deep_in_segments)
{
    run runs[THREADS];
    int i;

    run_threads(runs, 0);
    for (i = 0; i < THREADS; i++)
        check_completed(&runs[i]);
}
END_TEST

/* ---- errors ------------------------------------------------------------ */

/* Every other thread's chains are stopped by a limit of 4 MiB, deep in
 * segments, and its handler longjmps out: each round the same error, the
 * same bytes held after it, no segment kept. The others run to the end. */
START_TEST(test_threads_errors_while_others_run)
{
    const size_t limit = (size_t)4 << 20;
    run runs[THREADS];
    int i, round;

    run_threads(runs, limit);
    for (i = 0; i < THREADS; i++) {
        const run *r = &runs[i];
        if (i % 2 == 0) {
            check_completed(r);
            continue;
        }
        ck_assert_int_eq(r->caught, ROUNDS);
        ck_assert_uint_eq(r->sums, 0);
        ck_assert_int_eq(r->broken, 0);
        ck_assert_int_eq(r->err.status, UNRECURSE_ELIMIT);
        ck_assert_str_eq(r->err.function, "level");
        ck_assert_uint_eq(r->err.limit, limit);
        ck_assert_uint_ge(r->err.segment, 8);
        ck_assert_uint_gt(r->err.depth, 1000);
        for (round = 0; round < ROUNDS; round++)
            ck_assert_uint_eq(r->held[round], r->held[0]);
        ck_assert_uint_lt(r->held[0], (size_t)2 << 20);
        ck_assert(r->native_low_back);
    }
}
END_TEST

/* ---- the suite ---------------------------------------------------------- */

static Suite *threads_suite(void)
{
    Suite *s = suite_create("threads");
    TCase *tc;

    tc = tcase_create("threads");
    tcase_add_test(tc, test_threads_deep_in_segments);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_threads_errors_while_others_run);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    /* The tests set the limits they need; a stray one would skew them. */
    unsetenv("UNRECURSE_LIMIT");
    return run_suite(threads_suite());
}
