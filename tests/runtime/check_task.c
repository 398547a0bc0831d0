/*
 * check_task.c - Check suite for runtime/task.c: queues of tasks, over
 * recursions the tool rewrote (task_subject.c, rewritten at build time;
 * its start_* functions use UNRECURSE_START).
 *
 * Test cases, by concern:
 *   results    a task's result is the direct call's: a frame per pending
 *              call (tk_depth, a million deep), a frame per activation
 *              (tk_addr), a void function writing through a pointer
 *              (tk_count, UNRECURSE_START_VOID).
 *   steps      a step is a call or a return: a call of depth N takes
 *              2(N + 1) steps; unrecurse_queue_run takes exactly the steps
 *              it is given while a task is unfinished, and says how many
 *              are left.
 *   order      round robin, a quantum of steps per turn: the calls of two
 *              tasks interleave three by three.
 *   cancel     a task cancelled deep in its recursion neither runs again
 *              nor writes its result, and its frames are freed (the
 *              memcheck run of this suite sees any leak); unfinished tasks
 *              freed with their queue; a task freed while the others run.
 *   nested     a task started from inside a task's function joins the
 *              round and finishes too.
 *   backtrace  unrecurse_backtrace from inside a task: the task's frames.
 *   cycles     a member of a cycle of two started as a task (its frame
 *              changes hands through a tail call): the direct call's
 *              result; a generator over a cycle whose members both yield:
 *              the values the direct call pushes.
 *   generators UNRECURSE_GEN: every value, in order, and the same values
 *              pushed to a callback when the function is called directly;
 *              with batch 1, the function runs only as far as the values
 *              taken need; freed early, deep down (memcheck: no leak);
 *              values yielded in a loop without a call are all kept; a
 *              value of the wrong size stops the program.
 *   errors     a task that exceeds the frame-memory limit: the handler
 *              runs, the task is cancelled, the others go on; a generator
 *              that does, left by a longjmp: freed, and later yields do
 *              not reach it.
 */
#define _GNU_SOURCE /* open_memstream */

#include "suite.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

extern int tk_trace[64];
extern int tk_traced;
long tk_depth(long n, int id);
long tk_addr(long n);
void tk_count(long n, long *out);
unrecurse_task *start_depth(unrecurse_queue *q, long *result, long n, int id);
unrecurse_task *start_addr(unrecurse_queue *q, long *result, long n);
unrecurse_task *start_count(unrecurse_queue *q, long n, long *out);
unrecurse_task *start_spawn(unrecurse_queue *q, long *result, long n, long *child);
extern long tk_calls;
void tk_down(long n);
unrecurse_gen *gen_down(long n);
unrecurse_gen *gen_burst(long n);
unrecurse_gen *gen_wrong_size(long n);
long tk_pong(long n);
void tk_ya(long n);
unrecurse_task *start_pong(unrecurse_queue *q, long *result, long n);
unrecurse_gen *gen_ya(long n);
extern void (*tk_bt_probe)(void);
unrecurse_task *start_bt(unrecurse_queue *q, long *result, long n);

static unrecurse_queue *q;

static void setup(void)
{
    q = unrecurse_queue_new();
    ck_assert_ptr_nonnull(q);
    tk_traced = 0;
}

static void teardown(void)
{
    unrecurse_queue_free(q);
}

/* Runs Q to the end; returns the calls of unrecurse_queue_run it took. */
static size_t run_all(size_t steps)
{
    size_t rounds = 1;
    while (unrecurse_queue_run(q, steps) > 0)
        rounds++;
    return rounds;
}

/* ---- results ---- */

START_TEST(test_result_frame_per_call)
{
    long r = -1;
    unrecurse_task *t = start_depth(q, &r, 1000000, 0);
    ck_assert_int_eq(unrecurse_task_done(t), 0); /* nothing runs at start */
    ck_assert_int_eq(r, -1);
    ck_assert_uint_gt(run_all(100000), 1);
    ck_assert_int_eq(unrecurse_task_done(t), 1);
    ck_assert_int_eq(r, 1000000);
    ck_assert_uint_eq(unrecurse_task_steps(t), 2 * (1000000 + 1));
}
END_TEST

START_TEST(test_result_frame_per_activation)
{
    long r = -1;
    unrecurse_task *t = start_addr(q, &r, 5000);
    run_all(777);
    ck_assert_int_eq(unrecurse_task_done(t), 1);
    ck_assert_int_eq(r, tk_addr(5000));
    ck_assert_uint_eq(unrecurse_task_steps(t), 2 * 5001);
}
END_TEST

START_TEST(test_result_void)
{
    long direct = 0, tasked = 0;
    tk_count(3000, &direct);
    unrecurse_task *t = start_count(q, 3000, &tasked);
    ck_assert_int_eq(tasked, 0);
    run_all(50);
    ck_assert_int_eq(unrecurse_task_done(t), 1);
    ck_assert_int_eq(tasked, direct);
}
END_TEST

/* ---- steps ---- */

START_TEST(test_exact_steps)
{
    long r = -1;
    unrecurse_task *t = start_depth(q, &r, 100, 0); /* 202 steps */
    ck_assert_uint_eq(unrecurse_queue_run(q, 10), 1);
    ck_assert_uint_eq(unrecurse_task_steps(t), 10);
    ck_assert_uint_eq(unrecurse_queue_run(q, 1), 1);
    ck_assert_uint_eq(unrecurse_task_steps(t), 11);
    ck_assert_uint_eq(unrecurse_queue_run(q, 190), 1);
    ck_assert_uint_eq(unrecurse_task_steps(t), 201);
    ck_assert_int_eq(r, -1);
    ck_assert_uint_eq(unrecurse_queue_run(q, 1000), 0); /* the last return */
    ck_assert_uint_eq(unrecurse_task_steps(t), 202);
    ck_assert_int_eq(r, 100);
    ck_assert_uint_eq(unrecurse_queue_run(q, 1000), 0); /* nothing left */
}
END_TEST

/* ---- order ---- */

/* Tasks 1 and 2, each tk_depth(5): 6 calls, 6 returns. With turns of 3
 * steps: 1's calls n=5,4,3, then 2's, then 1's n=2,1,0, then 2's; the
 * returns log nothing. */
START_TEST(test_round_robin)
{
    long a = -1, b = -1;
    static const int expected[] = {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2};
    unrecurse_queue_set_quantum(q, 3);
    unrecurse_task *ta = start_depth(q, &a, 5, 1);
    unrecurse_task *tb = start_depth(q, &b, 5, 2);
    ck_assert_uint_eq(unrecurse_queue_run(q, 1000), 0);
    ck_assert_int_eq(tk_traced, 12);
    for (int i = 0; i < 12; i++)
        ck_assert_msg(tk_trace[i] == expected[i], "call %d was task %d's, expected %d's", i,
                      tk_trace[i], expected[i]);
    ck_assert_int_eq(a, 5);
    ck_assert_int_eq(b, 5);
    ck_assert_uint_eq(unrecurse_task_steps(ta), 12);
    ck_assert_uint_eq(unrecurse_task_steps(tb), 12);
}
END_TEST

/* ---- cancel ---- */

START_TEST(test_cancel_deep)
{
    long r = -1, s = -1;
    unrecurse_task *t = start_depth(q, &r, 1000000, 0);
    unrecurse_task *u = start_depth(q, &s, 1000, 0);
    ck_assert_uint_eq(unrecurse_queue_run(q, 600000), 1); /* u is done */
    ck_assert_int_eq(s, 1000);
    ck_assert_uint_gt(unrecurse_task_steps(t), 590000);
    unrecurse_task_cancel(t);
    ck_assert_int_eq(unrecurse_task_done(t), 0);
    ck_assert_uint_eq(unrecurse_queue_run(q, 1000), 0);
    ck_assert_int_eq(r, -1);
    unrecurse_task_cancel(t); /* again: nothing */
    unrecurse_task_free(t);
    unrecurse_task_free(u);
}
END_TEST

START_TEST(test_free_unfinished)
{
    long r[4];
    for (int i = 0; i < 4; i++)
        start_depth(q, &r[i], 100000 * (i + 1), 0);
    ck_assert_uint_eq(unrecurse_queue_run(q, 50000), 4);
    /* teardown frees the queue: every task, mid-recursion */
}
END_TEST

START_TEST(test_free_while_others_run)
{
    long a = -1, b = -1, c = -1;
    unrecurse_queue_set_quantum(q, 10);
    unrecurse_task *ta = start_depth(q, &a, 500, 0);
    unrecurse_task *tb = start_depth(q, &b, 500, 0);
    unrecurse_task *tc = start_depth(q, &c, 500, 0);
    ck_assert_uint_eq(unrecurse_queue_run(q, 25), 3); /* turns of 10, 10, 5 */
    unrecurse_task_free(tb);
    ck_assert_uint_eq(unrecurse_queue_run(q, 100000), 0);
    ck_assert_int_eq(a, 500);
    ck_assert_int_eq(b, -1);
    ck_assert_int_eq(c, 500);
    ck_assert_uint_eq(unrecurse_task_steps(ta), 1002);
    ck_assert_uint_eq(unrecurse_task_steps(tc), 1002);
}
END_TEST

/* ---- nested ---- */

START_TEST(test_task_starts_task)
{
    long r = -1, child = -1;
    unrecurse_task *t = start_spawn(q, &r, 300, &child);
    ck_assert_uint_eq(unrecurse_queue_run(q, 300), 1); /* calls n = 300 .. 1 */
    ck_assert_uint_eq(unrecurse_queue_run(q, 1), 2);   /* n = 0 starts the child */
    ck_assert_uint_eq(unrecurse_queue_run(q, 100000), 0);
    ck_assert_int_eq(unrecurse_task_done(t), 1);
    ck_assert_int_eq(r, 300);
    ck_assert_int_eq(child, 40);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_limit_in_task)
{
    static long r, s;
    static unrecurse_task *t, *u;
    r = s = -1;
    unrecurse_set_limit((size_t)4 << 20);
    unrecurse_set_error_handler(catch_error, NULL);
    t = start_depth(q, &r, 10000000, 0);
    u = start_depth(q, &s, 10000, 0);
    if (!setjmp(caught.env)) {
        run_all(100000);
        ck_abort_msg("the limit was not reached");
    }
    ck_assert_int_eq(caught.err.status, UNRECURSE_ELIMIT);
    ck_assert_str_eq(caught.err.function, "tk_depth");
    ck_assert_int_eq(unrecurse_task_done(t), 0);
    ck_assert_uint_eq(run_all(100000), 1);
    ck_assert_int_eq(unrecurse_task_done(u), 1);
    ck_assert_int_eq(s, 10000);
    ck_assert_int_eq(r, -1);
}
END_TEST

static void collect_long(const void *value, size_t size, void *data)
{
    long **at = data;
    ck_assert_uint_eq(size, sizeof(long));
    *(*at)++ = *(const long *)value;
}

/* ---- backtrace ---- */

static char *bt_text;

static void bt_probe(void)
{
    size_t size;
    FILE *out = open_memstream(&bt_text, &size);
    unrecurse_backtrace(out);
    fclose(out);
}

/* From inside a task, the backtrace shows the task's frames: 1000 calls
 * waiting at tk_bt(n - 1), one running. */
START_TEST(test_backtrace_in_task)
{
    long r = -1;
    tk_bt_probe = bt_probe;
    start_bt(q, &r, 1000);
    run_all(100);
    ck_assert_int_eq(r, 1000);
    ck_assert_ptr_nonnull(bt_text);
    ck_assert_msg(!strncmp(bt_text,
                           "unrecurse: heap frames of the running task, innermost first:\n"
                           "  #0  tk_bt  (running)\n  #1  tk_bt  ",
                           97),
                  "the backtrace begins: %.200s", bt_text);
    ck_assert_msg(strstr(bt_text, "  tk_bt(n - 1)\n      ... 999 more frames: the frame above, "
                                  "999 more times ...\nunrecurse: 1,001 calls on heap frames, "
                                  "in 1 run\n"),
                  "the backtrace: %s", bt_text);
    ck_assert_msg(!strstr(bt_text, "this thread"), "the thread has no frames: %s", bt_text);
    free(bt_text);
}
END_TEST

/* ---- cycles ---- */

START_TEST(test_cycle_task)
{
    long r = -1, s = -1;
    unrecurse_queue_set_quantum(q, 5);
    unrecurse_task *t = start_pong(q, &r, 200001);
    unrecurse_task *u = start_pong(q, &s, 10);
    run_all(777);
    ck_assert_int_eq(unrecurse_task_done(t), 1);
    ck_assert_int_eq(unrecurse_task_done(u), 1);
    ck_assert_int_eq(r, tk_pong(200001));
    ck_assert_int_eq(s, tk_pong(10));
    ck_assert_uint_gt(unrecurse_task_steps(t), 200001);
}
END_TEST

START_TEST(test_cycle_generator)
{
    enum { N = 30001 };
    static long pushed[N];
    long v, i = 0, *at = pushed;
    unrecurse_yield_to(collect_long, &at);
    tk_ya(N);
    unrecurse_yield_to(NULL, NULL);
    unrecurse_gen *g = gen_ya(N);
    unrecurse_gen_set_batch(g, 3);
    while (unrecurse_gen_next(g, &v)) {
        EXPECT(i < at - pushed && v == pushed[i], "value %ld is %ld", i, v);
        i++;
    }
    ck_assert_int_eq(i, at - pushed);
    ck_assert_int_eq(i, N);
    unrecurse_gen_free(g);
}
END_TEST

/* ---- generators ---- */

/* The values tk_down(N) yields, in order, at V[0 .. 2N). */
static void expected_down(long n, long *v)
{
    for (long i = 0; i < n; i++) {
        v[i] = n - i;
        v[2 * n - 1 - i] = -(n - i);
    }
}

START_TEST(test_gen_pulls_all)
{
    enum { N = 20000 };
    static long want[2 * N], pushed[2 * N];
    long v, i = 0, *at = pushed;
    expected_down(N, want);
    unrecurse_gen *g = gen_down(N);
    while (unrecurse_gen_next(g, &v)) {
        ck_assert_int_lt(i, 2 * N);
        EXPECT(v == want[i], "value %ld is %ld, expected %ld", i, v, want[i]);
        i++;
    }
    ck_assert_int_eq(i, 2 * N);
    ck_assert_int_eq(unrecurse_gen_next(g, &v), 0); /* still done */
    unrecurse_gen_free(g);
    /* Called directly, the same values go to the callback. */
    unrecurse_yield_to(collect_long, &at);
    tk_down(N);
    unrecurse_yield_to(NULL, NULL);
    ck_assert_int_eq(at - pushed, 2 * N);
    ck_assert_int_eq(memcmp(pushed, want, sizeof want), 0);
}
END_TEST

/* Batch 1: the function runs only as far as the values taken need: to
 * its next call after each value. */
START_TEST(test_gen_lazy)
{
    long v;
    tk_calls = 0;
    unrecurse_gen *g = gen_down(1000000);
    ck_assert_int_eq(tk_calls, 0); /* nothing runs at the start */
    unrecurse_gen_set_batch(g, 1);
    for (long k = 1; k <= 10; k++) {
        ck_assert_int_eq(unrecurse_gen_next(g, &v), 1);
        ck_assert_int_eq(v, 1000000 - k + 1);
        ck_assert_int_eq(tk_calls, k); /* the call that yielded the value */
    }
    unrecurse_gen_free(g); /* early: its 10 frames freed (memcheck) */
}
END_TEST

/* Stopped deep down: the default batch, 100,000 deep, then freed. */
START_TEST(test_gen_free_deep)
{
    long v = 0;
    unrecurse_gen *g = gen_down(100000);
    for (long k = 0; k < 99999; k++)
        EXPECT(unrecurse_gen_next(g, &v) == 1, "no value %ld", k);
    ck_assert_int_eq(v, 2);
    unrecurse_gen_free(g);
}
END_TEST

START_TEST(test_gen_burst)
{
    long v, i = 0;
    unrecurse_gen *g = gen_burst(50);
    while (unrecurse_gen_next(g, &v)) {
        long n = 50 - i / 1000;
        EXPECT(v == n * 1000 + i % 1000, "value %ld is %ld", i, v);
        i++;
    }
    ck_assert_int_eq(i, 50 * 1000);
    unrecurse_gen_free(g);
}
END_TEST

START_TEST(test_gen_wrong_size)
{
    int v;
    unrecurse_gen *g = gen_wrong_size(3);
    unrecurse_gen_next(g, &v); /* a long yielded to an int generator: abort */
}
END_TEST

/* A generator past the limit: the handler leaves unrecurse_gen_next by a
 * longjmp; the generator can be freed, and a later yield outside any
 * generator goes to the thread's callback (none), not to it. */
START_TEST(test_gen_limit)
{
    static unrecurse_gen *g;
    static long v, values;
    values = 0;
    unrecurse_set_limit((size_t)1 << 20);
    unrecurse_set_error_handler(catch_error, NULL);
    g = gen_down(10000000);
    if (!setjmp(caught.env)) {
        while (unrecurse_gen_next(g, &v))
            values++;
        ck_abort_msg("the limit was not reached");
    }
    ck_assert_int_eq(caught.err.status, UNRECURSE_ELIMIT);
    ck_assert_int_gt(values, 0);
    ck_assert_int_eq(unrecurse_gen_next(g, &v), 1); /* what was kept, then done */
    unrecurse_gen_free(g);
    tk_down(3);
}
END_TEST

static Suite *task_suite(void)
{
    Suite *s = suite_create("task");
    TCase *tc = tcase_create("results");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_result_frame_per_call);
    tcase_add_test(tc, test_result_frame_per_activation);
    tcase_add_test(tc, test_result_void);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("steps");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_exact_steps);
    tcase_add_test(tc, test_round_robin);
    suite_add_tcase(s, tc);

    tc = tcase_create("cancel");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_cancel_deep);
    tcase_add_test(tc, test_free_unfinished);
    tcase_add_test(tc, test_free_while_others_run);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("nested");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_task_starts_task);
    suite_add_tcase(s, tc);

    tc = tcase_create("backtrace");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_backtrace_in_task);
    suite_add_tcase(s, tc);

    tc = tcase_create("cycles");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_cycle_task);
    tcase_add_test(tc, test_cycle_generator);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("generators");
    tcase_add_test(tc, test_gen_pulls_all);
    tcase_add_test(tc, test_gen_lazy);
    tcase_add_test(tc, test_gen_free_deep);
    tcase_add_test(tc, test_gen_burst);
    tcase_add_test_raise_signal(tc, test_gen_wrong_size, SIGABRT);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_limit_in_task);
    tcase_add_test(tc, test_gen_limit);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(task_suite());
}
