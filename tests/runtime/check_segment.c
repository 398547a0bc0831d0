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
 *            every level's locals intact, every segment freed. A segment
 *            is counted in the thread's reserved bytes while it is held.
 *   limits   unrecurse_native_low: not low at the top of a stack, low near
 *            its bound and only there, in a thread's stack, in the main
 *            thread's and in a segment; the margin of a small stack.
 *   native   the native budget (native first): a thread's bound before
 *            and after its first call, the default budget (a quarter of
 *            the stack), unrecurse_set_native_budget (0: heap frames only;
 *            a budget bigger than the stack is cut to keep the floor), the
 *            environment's UNRECURSE_NATIVE_BUDGET, the bound inside a
 *            nested run's segment and after it.
 *   errors   segments count against the frame-memory limit: a runaway chain
 *            stops at it, and the report names the function, the segment
 *            and the depth of the frames below. No memory for a segment:
 *            the handler sees UNRECURSE_ENOMEM and nothing changed; the
 *            default handler aborts. A handler that
 *            longjmps out of a run deep in segments (a frame over the limit,
 *            a segment that cannot be had) runs on the thread's own stack,
 *            may run deep chains itself, and leaves no segment held and the
 *            thread's bound restored: the next deep run works.
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

/* A malloc this big is a segment (segment.c's are SEGMENT_SIZE). */
#define SEGMENT_MIN ((size_t)128 << 10)
#define SEGMENT_SIZE ((size_t)256 << 10)

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

/* Where unrecurse_native_low looks, in a function with the local LOCAL:
 * at a local, or under AddressSanitizer at the frame (unrecurse.h). */
#ifdef UNRECURSE__ASAN
#define CHECKED_ADDRESS(local) ((uintptr_t)__builtin_frame_address(0))
#else
#define CHECKED_ADDRESS(local) address(local)
#endif

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
    size_t reserved;      /* unrecurse_reserved() while it ran */
} probe;

/* The function runs on segments report, as a rewritten function would. */
static const unrecurse_function record_fn = {"record", "check_segment.c", 0};

static void record(void *arg)
{
    probe *p = arg;
    char here;

    p->calls++;
    p->value *= 2;
    p->local = address(&here);
    p->native_low = unrecurse_stack_get()->native_low;
    p->low = unrecurse_native_low(unrecurse_stack_get());
    p->reserved = unrecurse_reserved();
}

/* The function runs once, with its argument, on a stack that is not the
 * thread's, with a bound of its own that is not low; the thread's bound
 * is back afterwards, and the segment freed. The segment is counted in
 * the thread's reserved bytes while it is held. */
START_TEST(test_runs_with_argument)
{
    unrecurse_stack *s = unrecurse_stack_get();
    char *low_before = s->native_low;
    size_t reserved = unrecurse_reserved();
    probe p = {0, 21, 0, NULL, 1, 0};
    char *stack_low;
    size_t stack_size;

    thread_stack(&stack_low, &stack_size);
    unrecurse_run_on_segment(s, record, &p, &record_fn);
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
    ck_assert_uint_eq(p.reserved, reserved + SEGMENT_SIZE);
    ck_assert_uint_eq(unrecurse_reserved(), reserved);
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
        unrecurse_run_on_segment(s, nest_level, n, NULL);
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
    unrecurse_run_on_segment(s, nest_level, &n, NULL);
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

/* An error a chain can make on the way down (see fail_chain). */
enum { FAIL_NONE, FAIL_FRAME, FAIL_SEGMENT };

typedef struct chain {
    long level, levels;
    unsigned long sum;    /* of the levels, added on the way back */
    long moves;           /* levels that moved to a new segment */
    long fail_at;         /* the level that makes the error FAIL */
    int fail;             /* FAIL_NONE, or the error to make */
} chain;

static const unrecurse_function chain_fn = {"chain", "check_segment.c", 0};

static void chain_level(void *arg);
static void fail_chain(chain *c);

static void chain_call(chain *c)
{
    enter_nested(chain_level, c, &chain_fn, &c->moves);
}

static void chain_level(void *arg)
{
    chain *c = arg;
    volatile unsigned char buf[LEVEL_BYTES];
    long level = c->level, i;

    for (i = 0; i < LEVEL_BYTES; i++)
        buf[i] = (unsigned char)(level * 7 + i);
    if (c->fail != FAIL_NONE && level == c->fail_at)
        fail_chain(c);
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
    chain c = {0, 4000, 0, 0, 0, FAIL_NONE};

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
        d->first_low = CHECKED_ADDRESS(buf);
        return;
    }
    d->last_not_low = CHECKED_ADDRESS(buf);
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
 * between two checks. (ThreadSanitizer gives a thread more stack than it
 * asks for: the margin is then the usual 32 KiB.) */
START_TEST(test_small_stack_margin)
{
    bound b;

    in_thread((size_t)48 << 10, find_bound, &b);
    if (b.size < (size_t)64 << 10)
        ck_assert_ptr_eq(b.native_low, b.low + b.size / 2);
    else
        ck_assert_ptr_eq(b.native_low, b.low + ((size_t)32 << 10));
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

    unrecurse_run_on_segment(s, segment_descend, &g, NULL);
    used = g.top - g.d.first_low;
    ck_assert_uint_ge(used, SEGMENT_MIN / 2);
    ck_assert_uint_lt(used, 2 * SEGMENT_MIN);
    ck_assert_int_eq(live_segments, 0);
}
END_TEST

/* ---- native ------------------------------------------------------------ */

/* What segment.c keeps free below the bound: the segment margin and the
 * floor above it. */
#define NATIVE_KEPT ((size_t)48 << 10)

typedef struct native_probe {
    uintptr_t before;     /* unrecurse__native_bound before the first call */
    int deep;             /* unrecurse_native_confirm at the top */
    uintptr_t bound;      /* the bound after it */
    size_t budget;        /* the thread's budget after it */
    char *top;            /* the top of the thread's stack */
    size_t size;
} native_probe;

static void *first_call(void *arg)
{
    native_probe *p = arg;
    char *low;

    p->before = unrecurse__native_bound;
    p->deep = unrecurse_native_confirm();
    p->bound = unrecurse__native_bound;
    p->budget = unrecurse_stack_get()->native_budget;
    thread_stack(&low, &p->size);
    p->top = low + p->size;
    return NULL;
}

/* A new thread's bound sends every call to the slow path until the first
 * call sets it: a quarter of the stack below its top, not deep there. */
START_TEST(test_native_first_call)
{
    native_probe p;

    in_thread((size_t)1 << 20, first_call, &p);
    ck_assert_uint_eq(p.before, UINTPTR_MAX);
    ck_assert_int_eq(p.deep, 0);
    ck_assert_uint_eq(p.budget, p.size / 4);
    ck_assert_uint_eq(p.bound, (uintptr_t)p.top - p.size / 4);
}
END_TEST

/* The default is capped: a 64 MiB stack gets UNRECURSE_DEFAULT_NATIVE_BUDGET. */
START_TEST(test_native_budget_cap)
{
    native_probe p;

    in_thread((size_t)64 << 20, first_call, &p);
    ck_assert_uint_eq(p.budget, UNRECURSE_DEFAULT_NATIVE_BUDGET);
    ck_assert_uint_eq(p.bound, (uintptr_t)p.top - UNRECURSE_DEFAULT_NATIVE_BUDGET);
}
END_TEST

/* From the environment, read when the thread's stack is made. */
START_TEST(test_native_budget_environment)
{
    native_probe p;

    ck_assert_int_eq(setenv("UNRECURSE_NATIVE_BUDGET", "100K", 1), 0);
    in_thread((size_t)1 << 20, first_call, &p);
    ck_assert_uint_eq(p.budget, (size_t)100 << 10);
    ck_assert_uint_eq(p.bound, (uintptr_t)p.top - ((size_t)100 << 10));
}
END_TEST

static void *set_budgets(void *arg)
{
    native_probe *p = arg;
    char *low;
    size_t size;

    thread_stack(&low, &size);
    (void)unrecurse_native_confirm();
    ck_assert_uint_eq(unrecurse_set_native_budget(64 << 10), size / 4);
    ck_assert_uint_eq(unrecurse__native_bound, (uintptr_t)(low + size) - (64 << 10));
    ck_assert_int_eq(unrecurse_native_confirm(), 0);
    /* 0: every call deep, wherever it is made. */
    ck_assert_uint_eq(unrecurse_set_native_budget(0), 64 << 10);
    ck_assert_uint_eq(unrecurse__native_bound, (uintptr_t)(low + size));
    ck_assert(unrecurse_native_over());
    ck_assert_int_eq(unrecurse_native_confirm(), 1);
    /* More than the stack: cut to leave NATIVE_KEPT free. */
    unrecurse_set_native_budget(SIZE_MAX);
    ck_assert_uint_eq(unrecurse__native_bound, (uintptr_t)low + NATIVE_KEPT);
    (void)p;
    return NULL;
}

START_TEST(test_native_budget_set)
{
    in_thread((size_t)1 << 20, set_budgets, NULL);
}
END_TEST

typedef struct segment_bound {
    uintptr_t bound, local;
} segment_bound;

static void read_bound(void *arg)
{
    segment_bound *b = arg;
    char here;

    b->bound = unrecurse__native_bound;
    b->local = address(&here);
}

/* On a segment the bound is at most a quarter of the segment below its
 * top, and the thread's own comes back after. */
START_TEST(test_native_bound_on_segment)
{
    unrecurse_stack *s = unrecurse_stack_get();
    segment_bound b;
    uintptr_t before;

    (void)unrecurse_native_confirm();
    before = unrecurse__native_bound;
    unrecurse_run_on_segment(s, read_bound, &b, NULL);
    ck_assert_uint_lt(b.bound, b.local);
    ck_assert_uint_le(b.local - b.bound, SEGMENT_SIZE / 4);
    ck_assert_uint_ge(b.local - b.bound, SEGMENT_SIZE / 4 - 4096);
    ck_assert_uint_eq(unrecurse__native_bound, before);
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
        unrecurse_run_on_segment(s, record, &p, &record_fn);
        ck_abort_msg("no error raised");
    }
    fail_segments = 0;
    ck_assert_int_eq(caught.calls, 1);
    ck_assert_int_eq(caught.err.status, UNRECURSE_ENOMEM);
    ck_assert_str_eq(caught.err.function, "record");
    ck_assert_uint_eq(caught.err.depth, 0);
    ck_assert_uint_eq(caught.err.segment, 1);
    ck_assert_uint_eq(unrecurse_reserved(), 0);
    ck_assert_int_eq(p.calls, 0);
    ck_assert_ptr_eq(s->native_low, low_before);
    ck_assert_int_eq(live_segments, 0);

    unrecurse_run_on_segment(s, record, &p, &record_fn);
    ck_assert_int_eq(p.calls, 1);
    ck_assert_int_eq(p.value, 2);
    ck_assert_int_eq(live_segments, 0);
}
END_TEST

/* Without a handler, no memory for a segment aborts. */
START_TEST(test_segment_out_of_memory_aborts)
{
    probe p = {0, 1, 0, NULL, 0, 0};

    fail_segments = 1;
    unrecurse_run_on_segment(unrecurse_stack_get(), record, &p, &record_fn);
}
END_TEST

/* The error a chain makes at level c->fail_at: a frame beyond the
 * frame-memory limit (raised right here, deep in the segments), or no
 * memory for segments from here on (raised at the next move). */
static void fail_chain(chain *c)
{
    if (c->fail == FAIL_FRAME) {
        unrecurse_set_limit(unrecurse_reserved());
        unrecurse_push(unrecurse_stack_get(), (size_t)2 << 20, &chain_fn, NULL);
        ck_abort_msg("level %ld: a frame beyond the limit was pushed", c->level);
    }
    fail_segments = 1;
}

/* A chain that fails deep in its segments, ROUNDS times over, each time
 * caught by a handler that longjmps back to the thread's function; then a
 * chain that does not fail. */
enum { ROUNDS = 3 };

typedef struct recovery {
    int fail;                 /* FAIL_FRAME or FAIL_SEGMENT */
    int chain_in_handler;     /* the handler runs a deep chain before it longjmps */
    chain c;                  /* the chain of the round at hand */
    uintptr_t handler_local;  /* the address of a local of the handler */
    chain in_handler;         /* the chain the handler ran */
} recovery;

/* Records where it runs, runs a chain if asked, then longjmps out. */
static void catch_after_chain(const unrecurse_error *err, void *data)
{
    volatile char here = 0;
    recovery *r = data;

    r->handler_local = address(&here);
    if (r->chain_in_handler) {
        unrecurse_set_limit(UNRECURSE_DEFAULT_LIMIT); /* fail_chain lowered it */
        r->in_handler = (chain){0, 4000, 0, 0, 0, FAIL_NONE};
        chain_call(&r->in_handler);
    }
    catch_error(err, data);
}

static void *recover_from_chains(void *arg)
{
    recovery *r = arg;
    unrecurse_stack *s = unrecurse_stack_get();
    char *native_low = s->native_low, *low;
    size_t size;
    int round;

    thread_stack(&low, &size);
    unrecurse_set_error_handler(catch_after_chain, r);
    for (round = 0; round < ROUNDS; round++) {
        r->c = (chain){0, 4000, 0, 0, 3000, r->fail};
        if (setjmp(caught.env) == 0) {
            chain_call(&r->c);
            ck_abort_msg("round %d: no error raised", round);
        }
        fail_segments = 0;
        unrecurse_set_limit(UNRECURSE_DEFAULT_LIMIT);
        ck_assert_int_eq(caught.calls, round + 1);
        ck_assert_int_eq(caught.err.status,
                         r->fail == FAIL_FRAME ? UNRECURSE_ELIMIT : UNRECURSE_ENOMEM);
        ck_assert_str_eq(caught.err.function, "chain");
        /* It failed deep in its segments (a frame on the last one, or the
         * next one), and they are all freed. */
        ck_assert_int_ge(r->c.moves, 10);
        ck_assert_uint_eq(caught.err.segment, (size_t)r->c.moves);
        ck_assert_uint_eq(caught.err.depth, r->fail == FAIL_FRAME ? 1 : 0);
        ck_assert_int_eq(live_segments, 0);
        ck_assert_uint_eq(unrecurse_reserved(), 0);
        ck_assert_ptr_eq(s->native_low, native_low);
        ck_assert_msg(on_stack(r->handler_local, low, size),
                      "round %d: the handler ran off the thread's stack", round);
        if (r->chain_in_handler)
            ck_assert_uint_eq(r->in_handler.sum, 3999UL * 4000 / 2);
    }

    r->c = (chain){0, 4000, 0, 0, 0, FAIL_NONE};
    chain_call(&r->c);
    ck_assert_uint_eq(r->c.sum, 3999UL * 4000 / 2);
    ck_assert_int_ge(r->c.moves, 4000L * LEVEL_BYTES / (256 << 10));
    ck_assert_int_eq(live_segments, 0);
    ck_assert_ptr_eq(s->native_low, native_low);
    return NULL;
}

/* A chain with no end in sight and no frame to push, under a limit of
 * 4 MiB: the limit stops it when the segments fill it. */
static void *run_into_segment_limit(void *arg)
{
    chain *c = arg;

    unrecurse_set_limit((size_t)4 << 20);
    unrecurse_set_error_handler(catch_error, NULL);
    if (setjmp(caught.env) == 0) {
        chain_call(c);
        ck_abort_msg("the limit was not enforced: %ld segments", c->moves);
    }
    return NULL;
}

/* Segments count against the frame-memory limit: a runaway chain of
 * nested runs (8 MiB of native stack) stops at the segment that would
 * exceed 4 MiB, the 17th, with the function named; all are freed. */
START_TEST(test_segments_stop_at_limit)
{
    static chain c;

    c = (chain){0, 4000, 0, 0, 0, FAIL_NONE};
    in_thread((size_t)256 << 10, run_into_segment_limit, &c);
    ck_assert_int_eq(caught.calls, 1);
    ck_assert_int_eq(caught.err.status, UNRECURSE_ELIMIT);
    ck_assert_str_eq(caught.err.function, "chain");
    ck_assert_uint_eq(caught.err.depth, 0);
    ck_assert_uint_eq(caught.err.segment, 17);
    ck_assert_uint_eq(caught.err.limit, (size_t)4 << 20);
    ck_assert_uint_eq(caught.err.reserved, 16 * SEGMENT_SIZE);
    ck_assert_int_eq(segments_made, 16);
    ck_assert_int_eq(live_segments, 0);
}
END_TEST

/* A segment over the limit, for a run below 1000 frames of 64 bytes: the
 * report estimates the depth from the function's frame size, as it does
 * for the tool's frames, and gives the segment it would have been. */
START_TEST(test_segment_depth_from_frames)
{
    static const unrecurse_function framed_fn = {"framed", "check_segment.c", 64};
    unrecurse_stack *s = unrecurse_stack_get();
    probe p = {0, 1, 0, NULL, 0, 0};
    int i;

    for (i = 0; i < 1000; i++)
        unrecurse_push(s, 64, &framed_fn, NULL);
    unrecurse_set_limit(unrecurse_reserved() + SEGMENT_SIZE - 1);
    unrecurse_set_error_handler(catch_error, NULL);
    if (setjmp(caught.env) == 0) {
        unrecurse_run_on_segment(s, record, &p, &framed_fn);
        ck_abort_msg("the limit was not enforced");
    }
    ck_assert_int_eq(caught.err.status, UNRECURSE_ELIMIT);
    ck_assert_str_eq(caught.err.function, "framed");
    ck_assert_uint_eq(caught.err.depth, 1000);
    ck_assert_uint_eq(caught.err.segment, 1);
    ck_assert_int_eq(p.calls, 0);
    ck_assert_int_eq(segments_made, 0);
}
END_TEST

/* Runs recover_from_chains in a thread of 256 KiB (with a bound left
 * wrong, a deep run overflows it), with chains that fail with FAIL. */
static void run_recovery(recovery *r, int fail, int chain_in_handler)
{
    memset(r, 0, sizeof *r);
    r->fail = fail;
    r->chain_in_handler = chain_in_handler;
    in_thread((size_t)256 << 10, recover_from_chains, r);
    ck_assert_int_eq(caught.calls, ROUNDS);
    ck_assert_int_eq(live_segments, 0);
}

/* A handler longjmps out of a run deep in segments: the handler runs on
 * the thread's own stack, every segment is freed, the thread's bound is
 * back, and the next deep run moves to segments again. */
START_TEST(test_longjmp_out_of_segments)
{
    recovery r;

    run_recovery(&r, FAIL_FRAME, 0);
    ck_assert_str_eq(caught.err.function, "chain");
}
END_TEST

/* The same when the error is a segment that cannot be allocated. */
START_TEST(test_longjmp_out_of_segment_failure)
{
    recovery r;

    run_recovery(&r, FAIL_SEGMENT, 0);
    ck_assert_int_eq(caught.err.status, UNRECURSE_ENOMEM);
}
END_TEST

/* The handler itself runs a deep chain, on segments of its own, before it
 * longjmps: it starts from a thread with no segments. */
START_TEST(test_handler_runs_deep_chain)
{
    recovery r;

    run_recovery(&r, FAIL_FRAME, 1);
    ck_assert_int_ge(r.in_handler.moves, 4000L * LEVEL_BYTES / (256 << 10));
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

    tc = tcase_create("native");
    tcase_add_test(tc, test_native_first_call);
    tcase_add_test(tc, test_native_budget_cap);
    tcase_add_test(tc, test_native_budget_environment);
    tcase_add_test(tc, test_native_budget_set);
    tcase_add_test(tc, test_native_bound_on_segment);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_segment_out_of_memory);
    tcase_add_test_raise_signal(tc, test_segment_out_of_memory_aborts, SIGABRT);
    tcase_add_test(tc, test_segments_stop_at_limit);
    tcase_add_test(tc, test_segment_depth_from_frames);
    tcase_add_test(tc, test_longjmp_out_of_segments);
    tcase_add_test(tc, test_longjmp_out_of_segment_failure);
    tcase_add_test(tc, test_handler_runs_deep_chain);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(segment_suite());
}
