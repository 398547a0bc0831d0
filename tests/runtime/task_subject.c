/* task_subject.c - recursions started as tasks, for check_task.c: the
 * tool rewrites this file at build time (see CMakeLists.txt). */
#include <unrecurse.h>

/* The calls made, in order: the id of the task's function per call. */
int tk_trace[64];
int tk_traced;

static void tk_log(int id)
{
    if (tk_traced < 64)
        tk_trace[tk_traced++] = id;
}

/* A frame per pending call. */
UNRECURSE long tk_depth(long n, int id)
{
    if (id)
        tk_log(id);
    if (n == 0)
        return 0;
    return 1 + tk_depth(n - 1, id);
}

/* A frame per activation: a local's address is taken. */
static void tk_touch(long *p) { *p *= 3; }
UNRECURSE long tk_addr(long n)
{
    long here = n;
    tk_touch(&here);
    if (n == 0)
        return here;
    return tk_addr(n - 1) + here % 7;
}

/* Void, with a pointer parameter. */
UNRECURSE void tk_count(long n, long *out)
{
    if (n == 0)
        return;
    *out += n % 5;
    tk_count(n - 1, out);
    *out += 1;
}

/* Starts a task of tk_depth at its bottom: a task started from inside a
 * task's function. */
UNRECURSE long tk_spawn(unrecurse_queue *q, long n, long *child)
{
    if (n == 0) {
        UNRECURSE_START(q, child, tk_depth(40, 0));
        return 0;
    }
    return 1 + tk_spawn(q, n - 1, child);
}

/* What the suite starts: UNRECURSE_START is used here, where the tool
 * sees it. */
unrecurse_task *start_depth(unrecurse_queue *q, long *result, long n, int id)
{
    return UNRECURSE_START(q, result, tk_depth(n, id));
}

unrecurse_task *start_addr(unrecurse_queue *q, long *result, long n)
{
    return UNRECURSE_START(q, result, tk_addr(n));
}

unrecurse_task *start_count(unrecurse_queue *q, long n, long *out)
{
    return UNRECURSE_START_VOID(q, tk_count(n, out));
}

unrecurse_task *start_spawn(unrecurse_queue *q, long *result, long n, long *child)
{
    return UNRECURSE_START(q, result, tk_spawn(q, n, child));
}

/* Generators. tk_down(n) yields n, n-1, .., 1, then -1, .., -n: a value
 * before and one after each recursive call. */
long tk_calls;
UNRECURSE void tk_down(long n)
{
    tk_calls++;
    if (n == 0)
        return;
    UNRECURSE_YIELD(n);
    tk_down(n - 1);
    UNRECURSE_YIELD(-n);
}

/* 1000 values in a loop, without a call between them, then a call. */
UNRECURSE void tk_burst(long n)
{
    long i;
    if (n == 0)
        return;
    for (i = 0; i < 1000; i++)
        UNRECURSE_YIELD(n * 1000 + i);
    tk_burst(n - 1);
}

unrecurse_gen *gen_down(long n)
{
    return UNRECURSE_GEN(long, tk_down(n));
}

unrecurse_gen *gen_burst(long n)
{
    return UNRECURSE_GEN(long, tk_burst(n));
}

unrecurse_gen *gen_wrong_size(long n)
{
    return UNRECURSE_GEN(int, tk_down(n));
}

/* A cycle: tk_ping waits on tk_pong, which tail-calls tk_ping; and a
 * generator over a cycle, whose two members yield. */
UNRECURSE long tk_pong(long n);
UNRECURSE long tk_ping(long n)
{
    if (n <= 0)
        return 0;
    return tk_pong(n - 1) + n % 7;
}
UNRECURSE long tk_pong(long n)
{
    if (n <= 0)
        return 1;
    return tk_ping(n - 1);
}

UNRECURSE void tk_yb(long n);
UNRECURSE void tk_ya(long n)
{
    if (n <= 0)
        return;
    UNRECURSE_YIELD(n);
    tk_yb(n - 1);
}
UNRECURSE void tk_yb(long n)
{
    if (n <= 0)
        return;
    tk_ya(n - 1);
    UNRECURSE_YIELD(-n);
}

unrecurse_task *start_pong(unrecurse_queue *q, long *result, long n)
{
    return UNRECURSE_START(q, result, tk_pong(n));
}

unrecurse_gen *gen_ya(long n)
{
    return UNRECURSE_GEN(long, tk_ya(n));
}

/* Calls tk_bt_probe at its bottom: a backtrace from inside a task. */
void (*tk_bt_probe)(void);
UNRECURSE long tk_bt(long n)
{
    if (n == 0) {
        tk_bt_probe();
        return 0;
    }
    return 1 + tk_bt(n - 1);
}

unrecurse_task *start_bt(unrecurse_queue *q, long *result, long n)
{
    return UNRECURSE_START(q, result, tk_bt(n));
}
