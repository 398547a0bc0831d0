/*
 * check_segment.c - Check suite for runtime/segment.c, the nested runs that
 * move to fresh native stack segments on the heap when the native stack
 * runs low.
 *
 * Test cases, by concern:
 *   core     unrecurse_run_on_segment calls its function with its argument
 *            on another stack and comes back; segments nest, each restoring
 *            the bound of the one below; a deep chain of native calls that
 *            moves to a new segment whenever the stack runs low (what
 *            generated code does) gets far deeper than its thread's stack,
 *            every level's locals intact, every segment freed.
 *   limits   unrecurse_native_low: not low at the top of a stack, low near
 *            its bound and only there, in a thread's stack, in the main
 *            thread's and in a segment; the margin of a small stack.
 *   errors   no memory for a segment: the handler sees UNRECURSE_ENOMEM and
 *            nothing changed; the default handler aborts.
 *
 * The program is linked with --wrap for malloc and free (see
 * CMakeLists.txt): the wrappers count the segments (the only blocks of
 * SEGMENT_MIN bytes or more anything here mallocs: chunks of frames come
 * from aligned_alloc, thread stacks from mmap) and can make their
 * allocation fail. They also tell valgrind that a segment is a stack
 * (VALGRIND_STACK_REGISTER, which segment.c does not call), for the
 * runtime.segment.memcheck test: without it, memcheck takes the runs on a
 * segment for reads and writes outside any stack frame.
 *
 * Tests run in Check's fork mode (run_suite, suite.h): each gets a fresh
 * process, so a fresh main-thread stack, and one ends in abort().
 */
#define _GNU_SOURCE

#include "suite.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined __has_include
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef VALGRIND_STACK_REGISTER /* no valgrind here: nothing to tell it */
#define VALGRIND_STACK_REGISTER(low, high) 0u
#define VALGRIND_STACK_DEREGISTER(id) ((void)(id))
#endif

/* ---- allocator wrappers ---------------------------------------------- */

/* A malloc this big is a segment (segment.c's are 256 KiB). */
#define SEGMENT_MIN ((size_t)128 << 10)

void *__real_malloc(size_t size);
void __real_free(void *p);

enum { MAX_SEGMENTS = 256 };

static pthread_mutex_t segments_lock = PTHREAD_MUTEX_INITIALIZER;
static void *segment_list[MAX_SEGMENTS]; /* live segments, NULL = free slot */
static unsigned segment_stack_ids[MAX_SEGMENTS]; /* valgrind's ids for them */
static long live_segments;   /* segments allocated and not freed */
static long segments_made;   /* segments ever allocated */
static int fail_segments;    /* when set, segment allocations fail */

void *__wrap_malloc(size_t size)
{
    void *p;
    size_t i;

    if (size < SEGMENT_MIN)
        return __real_malloc(size);
    if (fail_segments)
        return NULL;
    p = __real_malloc(size);
    if (!p)
        return NULL;
    pthread_mutex_lock(&segments_lock);
    for (i = 0; i < MAX_SEGMENTS && segment_list[i]; i++)
        continue;
    if (i == MAX_SEGMENTS)
        abort(); /* raise MAX_SEGMENTS */
    segment_list[i] = p;
    segment_stack_ids[i] = VALGRIND_STACK_REGISTER(p, (char *)p + size);
    live_segments++;
    segments_made++;
    pthread_mutex_unlock(&segments_lock);
    return p;
}

void __wrap_free(void *p)
{
    size_t i;

    if (p) {
        pthread_mutex_lock(&segments_lock);
        for (i = 0; i < MAX_SEGMENTS; i++) {
            if (segment_list[i] == p) {
                segment_list[i] = NULL;
                VALGRIND_STACK_DEREGISTER(segment_stack_ids[i]);
                live_segments--;
                break;
            }
        }
        pthread_mutex_unlock(&segments_lock);
    }
    __real_free(p);
}

/* ---- stacks ------------------------------------------------------------- */

/* The calling thread's native stack: [*low, *low + *size). */
static void thread_stack(char **low, size_t *size)
{
    pthread_attr_t attr;
    void *addr;

    ck_assert_int_eq(pthread_getattr_np(pthread_self(), &attr), 0);
    ck_assert_int_eq(pthread_attr_getstack(&attr, &addr, size), 0);
    pthread_attr_destroy(&attr);
    *low = addr;
}

/* Addresses of locals are kept as integers: a pointer to a local kept
 * beyond its function is what gcc's -Wdangling-pointer warns about. */
static uintptr_t address(const volatile void *p)
{
    return (uintptr_t)p;
}

static int on_stack(uintptr_t p, const char *low, size_t size)
{
    return p >= (uintptr_t)low && p < (uintptr_t)low + size;
}

/* Runs FN(ARG) in a new thread with a native stack of STACK bytes, and
 * waits for it. Check's assertions work from the thread (fork mode: they
 * end the test's process). */
static void in_thread(size_t stack, void *(*fn)(void *), void *arg)
{
    pthread_attr_t attr;
    pthread_t t;

    ck_assert_int_eq(pthread_attr_init(&attr), 0);
    ck_assert_int_eq(pthread_attr_setstacksize(&attr, stack), 0);
    ck_assert_int_eq(pthread_create(&t, &attr, fn, arg), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    pthread_attr_destroy(&attr);
}

/* ---- core ------------------------------------------------------------- */

typedef struct probe {
    int calls;
    long value;           /* what the function was given, then doubled */
    uintptr_t local;      /* the address of a local of the function */
    char *native_low;     /* s->native_low while it ran */
    int low;              /* unrecurse_native_low while it ran */
} probe;

static void record(void *arg)
{
    probe *p = arg;
    char here;

    p->calls++;
    p->value *= 2;
    p->local = address(&here);
    p->native_low = unrecurse_stack_get()->native_low;
    p->low = unrecurse_native_low(unrecurse_stack_get());
}

/* The function runs once, with its argument, on a stack that is not the
 * thread's, with a bound of its own that is not low; the thread's bound
 * is back afterwards, and the segment freed. */
START_TEST(test_runs_with_argument)
{
    unrecurse_stack *s = unrecurse_stack_get();
    char *low_before = s->native_low;
    probe p = {0, 21, 0, NULL, 1};
    char *stack_low;
    size_t stack_size;

    thread_stack(&stack_low, &stack_size);
    unrecurse_run_on_segment(s, record, &p);
    ck_assert_int_eq(p.calls, 1);
    ck_assert_int_eq(p.value, 42);
    ck_assert_msg(!on_stack(p.local, stack_low, stack_size),
                  "the function ran on the thread's own stack");
    ck_assert_ptr_ne(p.native_low, low_before);
    ck_assert_uint_lt(address(p.native_low), p.local);
    ck_assert_int_eq(p.low, 0);
    ck_assert_ptr_eq(s->native_low, low_before);
    ck_assert_int_eq(segments_made, 1);
    ck_assert_int_eq(live_segments, 0);
}
END_TEST

/* Segments within segments: each level runs on a stack of its own, sees a
 * bound of its own, and gives the level below its bound back. */
typedef struct nest {
    int level, levels;
    uintptr_t local[4];
    char *native_low[4];
} nest;

static void nest_level(void *arg)
{
    nest *n = arg;
    unrecurse_stack *s = unrecurse_stack_get();
    char here;
    int level = n->level;

    n->local[level] = address(&here);
    n->native_low[level] = s->native_low;
    EXPECT(!unrecurse_native_low(s), "level %d: low at the top of its segment", level);
    if (level + 1 < n->levels) {
        n->level = level + 1;
        unrecurse_run_on_segment(s, nest_level, n);
        EXPECT(s->native_low == n->native_low[level],
               "level %d: bound not restored after the segment above", level);
        /* This level's segment and those below it. */
        EXPECT(live_segments == level + 1, "level %d: %ld segments live, expected %d",
               level, live_segments, level + 1);
    }
}

START_TEST(test_nested_segments)
{
    unrecurse_stack *s = unrecurse_stack_get();
    char *low_before = s->native_low;
    nest n;
    int i, j;

    memset(&n, 0, sizeof n);
    n.levels = 4;
    unrecurse_run_on_segment(s, nest_level, &n);
    for (i = 0; i < 4; i++) {
        ck_assert_uint_ne(n.local[i], 0);
        for (j = 0; j < i; j++) {
            /* Each segment is SEGMENT_MIN bytes or more, and they are all
             * live at once: no two levels' locals are that close. */
            uintptr_t a = n.local[i], b = n.local[j];
            ck_assert_msg((size_t)(a > b ? a - b : b - a) >= SEGMENT_MIN / 2,
                          "levels %d and %d on one stack", j, i);
            ck_assert_ptr_ne(n.native_low[i], n.native_low[j]);
        }
    }
    ck_assert_ptr_eq(s->native_low, low_before);
    ck_assert_int_eq(segments_made, 4);
    ck_assert_int_eq(live_segments, 0);
}
END_TEST

/* A chain of native calls, LEVEL_BYTES of stack each, that checks the stack
 * when entered and moves to a new segment when it is low, as a rewritten
 * function does when called from outside its state machine. Each level
 * fills its buffer, and checks it once the levels above have returned. */
enum { LEVEL_BYTES = 2048 };

typedef struct chain {
    long level, levels;
    unsigned long sum;    /* of the levels, added on the way back */
    long moves;           /* levels that moved to a new segment */
} chain;

static void chain_level(void *arg);

static void chain_call(chain *c)
{
    unrecurse_stack *s = unrecurse_stack_get();

    if (unrecurse_native_low(s)) {
        c->moves++;
        unrecurse_run_on_segment(s, chain_level, c);
    } else {
        chain_level(c);
    }
}

static void chain_level(void *arg)
{
    chain *c = arg;
    volatile unsigned char buf[LEVEL_BYTES];
    long level = c->level, i;

    for (i = 0; i < LEVEL_BYTES; i++)
        buf[i] = (unsigned char)(level * 7 + i);
    if (level + 1 < c->levels) {
        c->level = level + 1;
        chain_call(c);
    }
    for (i = 0; i < LEVEL_BYTES; i++)
        EXPECT(buf[i] == (unsigned char)(level * 7 + i),
               "level %ld: byte %ld of its locals overwritten", level, i);
    c->sum += (unsigned long)level;
}

static void *deep_chain(void *arg)
{
    chain *c = arg;
    unrecurse_stack *s = unrecurse_stack_get();
    char *low_before = s->native_low;

    ck_assert_ptr_nonnull(low_before);
    c->level = 0;
    chain_call(c);
    ck_assert_ptr_eq(s->native_low, low_before);
    return NULL;
}

/* 4000 levels of 2 KiB, 8 MiB of native stack in all, from a thread with
 * 256 KiB: about one segment per hundred levels. */
START_TEST(test_deep_chain)
{
    chain c = {0, 4000, 0, 0};

    in_thread((size_t)256 << 10, deep_chain, &c);
    ck_assert_uint_eq(c.sum, 3999UL * 4000 / 2);
    ck_assert_int_ge(c.moves, 4000L * LEVEL_BYTES / (256 << 10));
    ck_assert_int_le(c.moves, 4000L * LEVEL_BYTES / (128 << 10));
    ck_assert_int_eq(segments_made, c.moves);
    ck_assert_int_eq(live_segments, 0);
}
END_TEST

/* ---- limits ----------------------------------------------------------- */

/* Where a descent turned low: the address of a local of the first level
 * that saw the stack low, and of the level before it, which did not. */
typedef struct descent {
    uintptr_t first_low, last_not_low;
} descent;

/* Recurses about 512 bytes of stack a level until the stack is low (not
 * inlined into itself, which would make the levels bigger). */
__attribute__((noinline)) static void descend_until_low(const unrecurse_stack *s, descent *d)
{
    volatile char buf[512];

    buf[0] = 1;
    if (unrecurse_native_low(s)) {
        d->first_low = address(buf);
        return;
    }
    d->last_not_low = address(buf);
    descend_until_low(s, d);
    buf[1] = buf[0]; /* no tail call: this level keeps its frame */
}

typedef struct bound {
    char *low;          /* the thread's stack */
    size_t size;
    char *native_low;   /* its bound */
    descent d;
} bound;

static void *find_bound(void *arg)
{
    bound *b = arg;
    unrecurse_stack *s = unrecurse_stack_get();

    thread_stack(&b->low, &b->size);
    b->native_low = s->native_low;
    b->d.first_low = b->d.last_not_low = 0;
    EXPECT(!unrecurse_native_low(s), "low at the top of the thread's stack");
    descend_until_low(s, &b->d);
    return NULL;
}

/* In a thread of 256 KiB: the bound is inside its stack, in its lowest
 * half; the stack is not low above it and low below it, and reaching it
 * leaves stack to spare. */
START_TEST(test_low_near_bound)
{
    bound b;

    in_thread((size_t)256 << 10, find_bound, &b);
    ck_assert_msg(on_stack(address(b.native_low), b.low, b.size / 2),
                  "bound not in the lower half");
    ck_assert_uint_gt(address(b.native_low), address(b.low));
    ck_assert_uint_ne(b.d.last_not_low, 0);
    ck_assert_uint_lt(b.d.first_low, address(b.native_low));
    ck_assert_uint_ge(b.d.last_not_low, address(b.native_low));
    /* One level apart: it turned low as soon as it went below the bound. */
    ck_assert_uint_lt(b.d.last_not_low - b.d.first_low, 2048);
    ck_assert_uint_gt(b.d.first_low, address(b.low));
}
END_TEST

/* A stack smaller than two margins keeps half of itself for the code
 * between two checks. */
START_TEST(test_small_stack_margin)
{
    bound b;

    in_thread((size_t)48 << 10, find_bound, &b);
    ck_assert_ptr_eq(b.native_low, b.low + b.size / 2);
    ck_assert_uint_lt(b.d.first_low, address(b.native_low));
    ck_assert_uint_gt(b.d.first_low, address(b.low));
}
END_TEST

/* The main thread has a bound too, in its stack, below where its code
 * runs now. (Not descended to: the main thread's stack is as large as
 * ulimit -s, unlimited perhaps.) */
START_TEST(test_main_thread_bound)
{
    unrecurse_stack *s = unrecurse_stack_get();
    volatile char here = 0;
    char *low;
    size_t size;

    thread_stack(&low, &size);
    ck_assert_ptr_nonnull(s->native_low);
    ck_assert_msg(on_stack(address(s->native_low), low, size), "bound not in the stack");
    ck_assert_uint_lt(address(s->native_low), address(&here));
    ck_assert_int_eq(unrecurse_native_low(s), 0);
}
END_TEST

/* In a segment, the bound is the segment's: low after most of it is used,
 * not before. */
typedef struct in_segment {
    uintptr_t top;
    descent d;
} in_segment;

static void segment_descend(void *arg)
{
    in_segment *g = arg;
    volatile char here = 0;

    g->top = address(&here);
    descend_until_low(unrecurse_stack_get(), &g->d);
}

START_TEST(test_segment_bound)
{
    unrecurse_stack *s = unrecurse_stack_get();
    in_segment g = {0, {0, 0}};
    size_t used;

    unrecurse_run_on_segment(s, segment_descend, &g);
    used = g.top - g.d.first_low;
    ck_assert_uint_ge(used, SEGMENT_MIN / 2);
    ck_assert_uint_lt(used, 2 * SEGMENT_MIN);
    ck_assert_int_eq(live_segments, 0);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

/* No memory for a segment: the handler is told, the function is not
 * called, the bound is unchanged and a later run works. */
START_TEST(test_segment_out_of_memory)
{
    unrecurse_stack *s = unrecurse_stack_get();
    char *low_before = s->native_low;
    static probe p;

    p.calls = 0;
    p.value = 1;
    unrecurse_set_error_handler(catch_error, NULL);
    fail_segments = 1;
    if (setjmp(caught.env) == 0) {
        unrecurse_run_on_segment(s, record, &p);
        ck_abort_msg("no error raised");
    }
    fail_segments = 0;
    ck_assert_int_eq(caught.calls, 1);
    ck_assert_int_eq(caught.err.status, UNRECURSE_ENOMEM);
    ck_assert_int_eq(p.calls, 0);
    ck_assert_ptr_eq(s->native_low, low_before);
    ck_assert_int_eq(live_segments, 0);

    unrecurse_run_on_segment(s, record, &p);
    ck_assert_int_eq(p.calls, 1);
    ck_assert_int_eq(p.value, 2);
    ck_assert_int_eq(live_segments, 0);
}
END_TEST

/* Without a handler, no memory for a segment aborts. */
START_TEST(test_segment_out_of_memory_aborts)
{
    probe p = {0, 1, 0, NULL, 0};

    fail_segments = 1;
    unrecurse_run_on_segment(unrecurse_stack_get(), record, &p);
}
END_TEST

/* ---- the suite ---------------------------------------------------------- */

static Suite *segment_suite(void)
{
    Suite *s = suite_create("segment");
    TCase *tc;

    tc = tcase_create("core");
    tcase_add_test(tc, test_runs_with_argument);
    tcase_add_test(tc, test_nested_segments);
    tcase_add_test(tc, test_deep_chain);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_test(tc, test_low_near_bound);
    tcase_add_test(tc, test_small_stack_margin);
    tcase_add_test(tc, test_main_thread_bound);
    tcase_add_test(tc, test_segment_bound);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_segment_out_of_memory);
    tcase_add_test_raise_signal(tc, test_segment_out_of_memory_aborts, SIGABRT);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(segment_suite());
}
