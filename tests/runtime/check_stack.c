/*
 * check_stack.c - Check suite for runtime/stack.c, the per-thread frame
 * stack of libunrecurse.
 *
 * Test cases, by concern:
 *   core     frames pushed and popped across many chunk boundaries keep
 *            their place and their content; chunks are reused (the first
 *            chunk after the outermost pop, the spare at a boundary).
 *   limits   the frame-memory limit: the setter, UNRECURSE_LIMIT, how close
 *            to the limit a recursion gets.
 *   errors   handlers that longjmp out and leave the runtime usable, the
 *            default handler's message and abort, out of memory, the
 *            function named when even its first chunk (unrecurse_mark) is
 *            over the limit.
 *   threads  one stack per thread, working concurrently, freed at exit.
 *
 * Most tests link each frame to its caller's through unrecurse_frame, as
 * code that links its frames does (the runtime then counts the depth of a
 * failed push exactly, and a link overwritten shows). The tool's frames
 * have no link and are found from their sizes; test_depth_without_links
 * and test_pop_to_caller drive frames that way. A "harness" pushes frames of
 * pseudo-random sizes, fills each with a pattern derived from its sequence
 * number, and checks the whole frame when it is popped: a frame that moved
 * or was overwritten by a deeper one fails the check.
 *
 * The program is linked with --wrap for calloc, aligned_alloc and free
 * (see CMakeLists.txt). The wrappers count the runtime's live blocks, which
 * shows whether a thread's stack is freed when it exits and whether a path
 * calls the allocator at all, and can make allocations fail on demand.
 *
 * Tests must run in Check's fork mode (run_suite, suite.h): each gets a fresh
 * process, so a fresh main-thread stack, and some end in abort().
 */
#define _GNU_SOURCE

#include "suite.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- allocator wrappers ---------------------------------------------- */

/* The runtime allocates with calloc (its stacks) and aligned_alloc (its
 * chunks), which nothing else in this program calls; everything's frees,
 * Check's included, go through __wrap_free. So the wrappers keep the list
 * of the blocks the runtime holds, and free forgets only those. */
void *__real_calloc(size_t count, size_t size);
void *__real_aligned_alloc(size_t align, size_t size);
void __real_free(void *p);

enum { MAX_BLOCKS = 4096 };

static pthread_mutex_t blocks_lock = PTHREAD_MUTEX_INITIALIZER;
static void *block_list[MAX_BLOCKS]; /* the runtime's live blocks, NULL = free slot */
static size_t blocks_used;       /* slots at or past this one are all free */
static long live_blocks;         /* blocks the runtime holds now */
static long allocations;         /* blocks the runtime ever allocated */
static _Thread_local int fail_allocations; /* when set, allocations fail */

static void *remember(void *p)
{
    size_t i;

    if (!p)
        return NULL;
    pthread_mutex_lock(&blocks_lock);
    for (i = 0; i < MAX_BLOCKS && block_list[i]; i++)
        continue;
    if (i == MAX_BLOCKS)
        abort(); /* raise MAX_BLOCKS */
    block_list[i] = p;
    if (i == blocks_used)
        blocks_used++;
    live_blocks++;
    allocations++;
    pthread_mutex_unlock(&blocks_lock);
    return p;
}

void *__wrap_calloc(size_t count, size_t size)
{
    return fail_allocations ? NULL : remember(__real_calloc(count, size));
}

void *__wrap_aligned_alloc(size_t align, size_t size)
{
    return fail_allocations ? NULL : remember(__real_aligned_alloc(align, size));
}

void __wrap_free(void *p)
{
    size_t i;

    if (p) {
        pthread_mutex_lock(&blocks_lock);
        for (i = 0; i < blocks_used; i++) {
            if (block_list[i] == p) {
                block_list[i] = NULL;
                live_blocks--;
                break;
            }
        }
        pthread_mutex_unlock(&blocks_lock);
    }
    __real_free(p);
}

static long read_counter(const long *counter)
{
    long n;

    pthread_mutex_lock(&blocks_lock);
    n = *counter;
    pthread_mutex_unlock(&blocks_lock);
    return n;
}

/* The number of blocks the runtime holds now, in all threads. */
static long runtime_blocks(void)
{
    return read_counter(&live_blocks);
}

/* The number of blocks the runtime has allocated so far. */
static long runtime_allocations(void)
{
    return read_counter(&allocations);
}

/* ---- frames ----------------------------------------------------------- */

static const unrecurse_function fib_fn = {"fib", "fib.c", 0};

typedef struct frame_rec {
    unsigned char *frame;
    size_t size;
    uint32_t seq;
} frame_rec;

typedef struct harness {
    unrecurse_stack *s;
    char *bottom;     /* s->top when the harness started */
    frame_rec *recs;  /* the frames pushed, outermost first */
    size_t depth, cap;
    uint32_t seq;     /* sequence number of the next frame */
    uint64_t rng;
    size_t new_chunks; /* pushes that started a chunk */
} harness;

static uint64_t rng_next(uint64_t *state)
{
    /* xorshift64* */
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* A frame size from 8 to MAX, a multiple of 8. */
static size_t random_size(harness *h, size_t max)
{
    return 8 * (1 + (size_t)(rng_next(&h->rng) % (max / 8)));
}

static unsigned char pattern(uint32_t seq, size_t i)
{
    return (unsigned char)((seq * 2654435761u >> 13) ^ (i * 131) ^ (i >> 8));
}

static void harness_init(harness *h, uint64_t seed, size_t cap)
{
    h->s = unrecurse_stack_get();
    h->bottom = h->s->top;
    h->recs = malloc(cap * sizeof *h->recs);
    ck_assert_ptr_nonnull(h->recs);
    h->depth = 0;
    h->cap = cap;
    h->seq = 0;
    h->rng = seed ? seed : 1;
    h->new_chunks = 0;
}

static unrecurse_frame *harness_top(const harness *h)
{
    return h->depth ? (unrecurse_frame *)h->recs[h->depth - 1].frame : NULL;
}

static unsigned char *harness_push(harness *h, size_t size)
{
    unrecurse_frame *caller = harness_top(h);
    unsigned char *next = caller ? (unsigned char *)caller + h->recs[h->depth - 1].size
                                 : (unsigned char *)h->bottom;
    unsigned char *f;
    frame_rec *r;
    size_t i;

    EXPECT(h->depth < h->cap, "harness full");
    f = unrecurse_push(h->s, size, &fib_fn, caller);
    EXPECT(f != NULL, "push returned NULL");
    EXPECT((uintptr_t)f % 8 == 0, "frame %p not 8-byte aligned", (void *)f);
    /* Frames never overlap: each is right after the one below it, or at
     * the (16-byte aligned) base of a new chunk. */
    if (f != next) {
        EXPECT(f == (unsigned char *)h->s->base,
               "frame %zu at %p is neither after the frame below nor at a chunk base",
               h->depth, (void *)f);
        EXPECT((uintptr_t)f % 16 == 0, "chunk base %p not 16-byte aligned", (void *)f);
        h->new_chunks++;
    }
    EXPECT(h->s->top == (char *)f + size && h->s->top <= h->s->end,
           "top not after the new frame");

    ((unrecurse_frame *)f)->caller = caller;
    for (i = sizeof(unrecurse_frame); i < size; i++)
        f[i] = pattern(h->seq, i);
    r = &h->recs[h->depth++];
    r->frame = f;
    r->size = size;
    r->seq = h->seq++;
    return f;
}

/* Checks that frame I still holds what harness_push wrote in it. */
static void harness_check(const harness *h, size_t i)
{
    const frame_rec *r = &h->recs[i];
    const unrecurse_frame *caller = i ? (unrecurse_frame *)h->recs[i - 1].frame : NULL;
    size_t k;

    EXPECT(((unrecurse_frame *)r->frame)->caller == caller,
           "frame %zu: caller link overwritten", i);
    for (k = sizeof(unrecurse_frame); k < r->size; k++)
        EXPECT(r->frame[k] == pattern(r->seq, k),
               "frame %zu (size %zu): byte %zu overwritten", i, r->size, k);
}

static void harness_check_all(const harness *h)
{
    size_t i;

    for (i = 0; i < h->depth; i++)
        harness_check(h, i);
}

static void harness_pop(harness *h)
{
    frame_rec *r;

    EXPECT(h->depth > 0, "harness empty");
    harness_check(h, h->depth - 1);
    r = &h->recs[--h->depth];
    unrecurse_pop(h->s, r->frame);
    if (h->depth)
        EXPECT(h->s->top == (char *)h->recs[h->depth - 1].frame + h->recs[h->depth - 1].size,
               "pop of frame %zu: top not back after the frame below", h->depth);
    else
        EXPECT(h->s->top == (h->bottom ? h->bottom : h->s->base),
               "pop of the outermost frame: top not back at the bottom");
}

static void harness_fini(harness *h)
{
    while (h->depth)
        harness_pop(h);
    free(h->recs);
    h->recs = NULL;
}

/* Pushes COUNT frames of SIZE bytes for FN, each linked to the one before,
 * the first to CALLER. *PUSHED counts the frames pushed so far, so that it
 * is known after a handler longjmps out. Returns the last frame. */
static unrecurse_frame *push_chain(unrecurse_stack *s, size_t size, size_t count,
                                   const unrecurse_function *fn, unrecurse_frame *caller,
                                   volatile size_t *pushed)
{
    unrecurse_frame *f = caller;
    size_t i;

    for (i = 0; i < count; i++) {
        unrecurse_frame *g = unrecurse_push(s, size, fn, f);
        g->caller = f;
        f = g;
        *pushed = i + 1;
    }
    return f;
}

/* ---- core ------------------------------------------------------------- */

START_TEST(test_stack_get)
{
    unrecurse_stack *s;

    ck_assert_uint_eq(unrecurse_reserved(), 0);
    s = unrecurse_stack_get();
    ck_assert_ptr_nonnull(s);
    ck_assert_ptr_eq(unrecurse_stack_get(), s);
    ck_assert_ptr_null(s->chunk);
    ck_assert_ptr_null(s->spare);
    ck_assert_uint_eq(s->reserved, 0);
    ck_assert_uint_eq(s->limit, UNRECURSE_DEFAULT_LIMIT);
    ck_assert_ptr_null(s->handler);
}
END_TEST

/* Thousands of frames of mixed sizes across tens of chunks, then a random
 * walk up and down, every frame checked intact when popped. */
START_TEST(test_mixed_sizes)
{
    harness h;
    size_t step;

    harness_init(&h, 42, 20000);
    while (h.depth < 20000)
        harness_push(&h, random_size(&h, 4096));
    harness_check_all(&h);
    ck_assert_uint_ge(h.new_chunks, 30);

    for (step = 0; step < 200000; step++) {
        int up = rng_next(&h.rng) % 2;
        if (h.depth == 0 || (up && h.depth < h.cap))
            harness_push(&h, random_size(&h, 4096));
        else
            harness_pop(&h);
    }
    harness_check_all(&h);
    harness_fini(&h);
    ck_assert_ptr_eq(h.s->top, h.s->base);
}
END_TEST

/* Grow over many chunks and back: the first chunk stays, everything but
 * one spare chunk is freed, and the next run reuses memory without malloc. */
START_TEST(test_shrink_to_first_chunk)
{
    harness h;
    unsigned char *first;
    char *first_end;
    size_t first_reserved, peak;
    long allocated;

    harness_init(&h, 7, 100000);
    first = harness_push(&h, 64);
    first_end = h.s->end;
    first_reserved = unrecurse_reserved();
    ck_assert_uint_eq((uintptr_t)first % 16, 0);
    while (unrecurse_reserved() < ((size_t)8 << 20))
        harness_push(&h, random_size(&h, 4096));
    peak = unrecurse_reserved();
    ck_assert_uint_ge(h.new_chunks, 5);

    harness_fini(&h);
    ck_assert_ptr_eq(h.s->base, first);
    ck_assert_ptr_eq(h.s->top, first);
    ck_assert_ptr_eq(h.s->end, first_end);
    ck_assert_ptr_nonnull(h.s->spare);
    ck_assert_uint_lt(unrecurse_reserved(), peak);
    ck_assert_uint_le(unrecurse_reserved(), first_reserved + ((size_t)1 << 20) + 64);

    allocated = runtime_allocations();
    harness_init(&h, 8, 100000);
    ck_assert_ptr_eq(harness_push(&h, 64), first);
    while (h.s->base == (char *)first)
        harness_push(&h, 512);
    harness_fini(&h);
    /* The run reused the first chunk and the spare. */
    ck_assert_int_eq(runtime_allocations(), allocated);
}
END_TEST

/* A call path oscillating across a chunk boundary reuses the spare. */
START_TEST(test_spare_at_boundary)
{
    harness h;
    unsigned char *f;
    size_t reserved, i;
    long allocated;

    harness_init(&h, 3, 10000);
    do
        harness_push(&h, 64);
    while ((size_t)(h.s->end - h.s->top) >= 64);

    f = harness_push(&h, 64); /* the first frame of the second chunk */
    ck_assert_ptr_eq(f, h.s->base);
    harness_pop(&h);
    reserved = unrecurse_reserved();
    allocated = runtime_allocations();
    for (i = 0; i < 100000; i++) {
        EXPECT(harness_push(&h, 64) == f, "crossing %zu: not the spare chunk", i);
        harness_pop(&h);
    }
    ck_assert_uint_eq(unrecurse_reserved(), reserved);
    ck_assert_int_eq(runtime_allocations(), allocated);
    harness_fini(&h);
}
END_TEST

/* Frames bigger than any chunk get a chunk of their own; a frame that
 * fills the rest of a chunk exactly stays in that chunk. */
START_TEST(test_large_and_exact_frames)
{
    harness h;
    unsigned char *f;
    size_t rest;

    harness_init(&h, 5, 1000);
    harness_push(&h, 4000);
    harness_push(&h, (size_t)3 << 20);
    harness_push(&h, 8);
    harness_push(&h, (size_t)5 << 20);
    harness_push(&h, 24);
    rest = (size_t)(h.s->end - h.s->top);
    ck_assert_uint_ge(rest, 8);
    f = harness_push(&h, rest);
    ck_assert_ptr_eq(h.s->top, h.s->end);
    ck_assert_ptr_ne(f, h.s->base);
    ck_assert_ptr_eq(harness_push(&h, 8), h.s->base);
    harness_check_all(&h);
    harness_fini(&h);
}
END_TEST

/* ---- limits ------------------------------------------------------------ */

START_TEST(test_set_limit)
{
    ck_assert_uint_eq(unrecurse_set_limit(12345), UNRECURSE_DEFAULT_LIMIT);
    ck_assert_uint_eq(unrecurse_stack_get()->limit, 12345);
    ck_assert_uint_eq(unrecurse_set_limit(UNRECURSE_DEFAULT_LIMIT), 12345);
}
END_TEST

static void *read_limit(void *out)
{
    *(size_t *)out = unrecurse_stack_get()->limit;
    return NULL;
}

/* UNRECURSE_LIMIT is read when a thread's stack is created. */
START_TEST(test_env_limit)
{
    static const struct {
        const char *text;
        size_t limit;
    } cases[] = {
        {"12345", 12345},
        {"0", 0},
        {"64K", (size_t)64 << 10},
        {"64k", (size_t)64 << 10},
        {"3M", (size_t)3 << 20},
        {"2G", (size_t)2 << 30},
        {"1g", (size_t)1 << 30},
        {"1T", (size_t)1 << 40},
        {"2t", (size_t)2 << 40},
        {"64KiB", (size_t)64 << 10},
        {"3mib", (size_t)3 << 20},
        {"4096B", 4096},
        {"", UNRECURSE_DEFAULT_LIMIT},
        {"64MB", UNRECURSE_DEFAULT_LIMIT},
        {"1.5G", UNRECURSE_DEFAULT_LIMIT},
        {"0x1000000", UNRECURSE_DEFAULT_LIMIT},
        {"-1", UNRECURSE_DEFAULT_LIMIT},
        {"5KiBB", UNRECURSE_DEFAULT_LIMIT},
        {"5iB", UNRECURSE_DEFAULT_LIMIT},
        {"16777216T", UNRECURSE_DEFAULT_LIMIT},
        {"abc", UNRECURSE_DEFAULT_LIMIT},
        {"12X", UNRECURSE_DEFAULT_LIMIT},
        {"12KB", UNRECURSE_DEFAULT_LIMIT},
        {"-5", UNRECURSE_DEFAULT_LIMIT},
        {"+5", UNRECURSE_DEFAULT_LIMIT},
        {" 5", UNRECURSE_DEFAULT_LIMIT},
        {"5 ", UNRECURSE_DEFAULT_LIMIT},
        {"5K5", UNRECURSE_DEFAULT_LIMIT},
        {"K", UNRECURSE_DEFAULT_LIMIT},
        {"99999999999999999999999", UNRECURSE_DEFAULT_LIMIT},
        {"18014398509481984G", UNRECURSE_DEFAULT_LIMIT},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pthread_t t;
        size_t limit = 1;

        ck_assert_int_eq(setenv("UNRECURSE_LIMIT", cases[i].text, 1), 0);
        ck_assert_int_eq(pthread_create(&t, NULL, read_limit, &limit), 0);
        ck_assert_int_eq(pthread_join(t, NULL), 0);
        ck_assert_msg(limit == cases[i].limit, "UNRECURSE_LIMIT=\"%s\": limit %zu, want %zu",
                      cases[i].text, limit, cases[i].limit);
    }
    unsetenv("UNRECURSE_LIMIT");
}
END_TEST

/* The last chunk is cut to fit: a recursion gets within a frame and a
 * chunk header of the limit, and never over it. */
START_TEST(test_limit_reached_closely)
{
    const size_t limit = 300008;
    unrecurse_stack *s = unrecurse_stack_get();
    volatile size_t pushed = 0;

    unrecurse_set_limit(limit);
    unrecurse_set_error_handler(catch_error, NULL);
    if (setjmp(caught.env) == 0) {
        push_chain(s, 64, SIZE_MAX, &fib_fn, NULL, &pushed);
        ck_abort_msg("the limit was not enforced");
    }
    ck_assert_int_eq(caught.calls, 1);
    ck_assert_int_eq(caught.err.status, UNRECURSE_ELIMIT);
    ck_assert_uint_eq(caught.err.limit, limit);
    ck_assert_uint_le(caught.err.reserved, limit);
    ck_assert_uint_gt(caught.err.reserved, limit - 256);
    ck_assert_uint_ge(pushed * 64, limit - 16 * 256);
}
END_TEST

/* A limit below the first chunk size gives a first chunk of that size. */
START_TEST(test_small_limit)
{
    unrecurse_stack *s = unrecurse_stack_get();
    volatile size_t pushed = 0;

    unrecurse_set_limit(4096);
    unrecurse_set_error_handler(catch_error, NULL);
    if (setjmp(caught.env) == 0) {
        push_chain(s, 64, SIZE_MAX, &fib_fn, NULL, &pushed);
        ck_abort_msg("the limit was not enforced");
    }
    ck_assert_int_eq(caught.err.status, UNRECURSE_ELIMIT);
    ck_assert_uint_eq(caught.err.reserved, 4096);
    ck_assert_uint_ge(pushed, 4096 / 64 - 1);
    ck_assert_uint_eq(caught.err.depth, pushed + 1);
}
END_TEST

/* Lowering the limit below what is held frees nothing and fails the next
 * chunk, not the frames that still fit in the current one. */
START_TEST(test_lowered_limit)
{
    unrecurse_stack *s = unrecurse_stack_get();
    unrecurse_frame *volatile f;
    volatile size_t pushed = 0;
    size_t held;

    f = push_chain(s, 64, 10, &fib_fn, NULL, &pushed);
    held = unrecurse_reserved();
    ck_assert_uint_gt(held, 0);
    unrecurse_set_limit(1);
    unrecurse_set_error_handler(catch_error, NULL);
    if (setjmp(caught.env) == 0) {
        f = push_chain(s, 64, 10, &fib_fn, f, &pushed);
        ck_assert_uint_eq(unrecurse_reserved(), held);
        push_chain(s, 64, SIZE_MAX, &fib_fn, f, &pushed);
        ck_abort_msg("the limit was not enforced");
    }
    ck_assert_int_eq(caught.err.status, UNRECURSE_ELIMIT);
    ck_assert_uint_eq(caught.err.limit, 1);
    ck_assert_uint_eq(caught.err.reserved, held);
    ck_assert_uint_eq(caught.err.depth, 20 + pushed + 1);
}
END_TEST

/* ---- errors ------------------------------------------------------------ */

/* Runs a recursion into the limit and back out through the handler. */
static void run_into_limit(size_t *depth)
{
    unrecurse_stack *s = unrecurse_stack_get();
    volatile size_t pushed = 0;

    if (setjmp(caught.env) == 0) {
        push_chain(s, 48, SIZE_MAX, &fib_fn, NULL, &pushed);
        ck_abort_msg("the limit was not enforced");
    }
    *depth = pushed;
}

/* A handler longjmps out: it saw the right error, the stack is empty, no
 * memory is held beyond the first chunk and the spare, and a second run
 * behaves exactly like the first. */
START_TEST(test_longjmp_recovery)
{
    const size_t limit = (size_t)1 << 20;
    unrecurse_stack *s = unrecurse_stack_get();
    unrecurse_error first;
    size_t depth1, depth2, after;
    long blocks;
    harness h;

    unrecurse_set_limit(limit);
    unrecurse_set_error_handler(catch_error, NULL);
    run_into_limit(&depth1);
    first = caught.err;
    ck_assert_int_eq(first.status, UNRECURSE_ELIMIT);
    ck_assert_str_eq(first.function, "fib");
    ck_assert_uint_eq(first.depth, depth1 + 1);
    ck_assert_uint_eq(first.limit, limit);
    ck_assert_uint_eq(first.segment, 0);
    ck_assert_uint_le(first.reserved, limit);
    ck_assert_uint_ge(depth1 * 48, limit / 2);

    ck_assert_ptr_nonnull(s->chunk);
    ck_assert_ptr_eq(s->top, s->base);
    after = unrecurse_reserved();
    ck_assert_uint_lt(after, first.reserved);
    ck_assert_uint_le(after, (size_t)(64 + 128) << 10);
    blocks = runtime_blocks();

    run_into_limit(&depth2);
    ck_assert_int_eq(caught.calls, 2);
    ck_assert_uint_eq(depth2, depth1);
    ck_assert_uint_eq(caught.err.depth, first.depth);
    ck_assert_uint_eq(caught.err.reserved, first.reserved);
    ck_assert_uint_eq(unrecurse_reserved(), after);
    ck_assert_int_eq(runtime_blocks(), blocks);

    /* The stack is fully usable again. */
    harness_init(&h, 11, 2000);
    while (h.depth < 2000)
        harness_push(&h, random_size(&h, 256));
    harness_fini(&h);
    ck_assert_ptr_eq(s->top, s->base);
}
END_TEST

/* Frames without caller links (the tool's, which find their caller by its
 * size): the depth reported is the frame bytes in use over the frame size,
 * exact when every frame has the size of the one that failed. */
START_TEST(test_depth_without_links)
{
    unrecurse_stack *s = unrecurse_stack_get();
    volatile size_t pushed = 0;

    unrecurse_set_limit((size_t)256 << 10);
    unrecurse_set_error_handler(catch_error, NULL);
    if (setjmp(caught.env) == 0) {
        for (;;) {
            unrecurse_push(s, 24, &fib_fn, NULL);
            pushed++;
        }
    }
    ck_assert_uint_gt(pushed, 1000);
    ck_assert_str_eq(caught.err.function, "fib");
    ck_assert_uint_eq(caught.err.depth, pushed + 1);
    ck_assert_ptr_eq(s->top, s->base);
}
END_TEST

/* unrecurse_pop_to pops a frame and finds the one below it, across a
 * chunk boundary too. */
START_TEST(test_pop_to_caller)
{
    unrecurse_stack *s = unrecurse_stack_get();
    enum { N = 20000 };
    static char *frames[N];
    size_t i;

    for (i = 0; i < N; i++) {
        frames[i] = unrecurse_push(s, 40, &fib_fn, NULL);
        memset(frames[i], (int)(i & 0xff), 40);
    }
    for (i = N - 1; i > 0; i--) {
        char *below = unrecurse_pop_to(s, frames[i], 40);
        ck_assert_ptr_eq(below, frames[i - 1]);
        ck_assert_int_eq((unsigned char)below[39], (unsigned char)((i - 1) & 0xff));
    }
    unrecurse_pop(s, frames[0]);
    ck_assert_ptr_eq(s->top, s->base);
}
END_TEST

/* The depth is that of the failing run: a nested run (a rewritten function
 * called from a plain one called from a rewritten one) starts a new chain
 * of caller links. */
START_TEST(test_depth_of_nested_run)
{
    unrecurse_stack *s = unrecurse_stack_get();
    volatile size_t outer = 0, inner = 0;
    static const unrecurse_function ack_fn = {"ack", "ack.c", 0};

    unrecurse_set_limit((size_t)256 << 10);
    unrecurse_set_error_handler(catch_error, NULL);
    if (setjmp(caught.env) == 0) {
        push_chain(s, 64, 1000, &fib_fn, NULL, &outer);
        push_chain(s, 64, SIZE_MAX, &ack_fn, NULL, &inner);
        ck_abort_msg("the limit was not enforced");
    }
    ck_assert_uint_eq(outer, 1000);
    ck_assert_str_eq(caught.err.function, "ack");
    ck_assert_uint_eq(caught.err.depth, inner + 1);
    ck_assert_ptr_eq(s->top, s->base);
}
END_TEST

START_TEST(test_unknown_function)
{
    static const unrecurse_function nameless = {NULL, NULL, 0};
    unrecurse_stack *s = unrecurse_stack_get();
    volatile size_t pushed = 0;

    unrecurse_set_limit(0);
    unrecurse_set_error_handler(catch_error, NULL);
    if (setjmp(caught.env) == 0)
        push_chain(s, 8, 1, NULL, NULL, &pushed);
    ck_assert_str_eq(caught.err.function, "?");
    ck_assert_uint_eq(caught.err.depth, 1);
    if (setjmp(caught.env) == 0)
        push_chain(s, 8, 1, &nameless, NULL, &pushed);
    ck_assert_str_eq(caught.err.function, "?");
    ck_assert_int_eq(caught.calls, 2);
    ck_assert_uint_eq(pushed, 0);
}
END_TEST

/* A rewritten function's first call on a thread makes the first chunk in
 * unrecurse_mark, before any frame: under a limit too small for it, the
 * report names that function all the same. */
START_TEST(test_mark_names_function)
{
    unrecurse_stack *s = unrecurse_stack_get();

    unrecurse_set_limit(1);
    unrecurse_set_error_handler(catch_error, NULL);
    if (setjmp(caught.env) == 0) {
        unrecurse_mark(s, &fib_fn);
        ck_abort_msg("the limit was not enforced");
    }
    ck_assert_int_eq(caught.err.status, UNRECURSE_ELIMIT);
    ck_assert_str_eq(caught.err.function, "fib");
    ck_assert_uint_eq(caught.err.depth, 1);
    ck_assert_uint_eq(caught.err.segment, 0);
    ck_assert_ptr_null(s->chunk);

    unrecurse_set_limit(UNRECURSE_DEFAULT_LIMIT);
    ck_assert_ptr_eq(unrecurse_mark(s, &fib_fn), s->base);
    ck_assert_ptr_nonnull(s->chunk);
}
END_TEST

/* The allocator fails: at the first frame, then past a chunk boundary. */
START_TEST(test_out_of_memory)
{
    unrecurse_stack *s = unrecurse_stack_get();
    volatile size_t pushed = 0;
    unrecurse_frame *f;

    unrecurse_set_error_handler(catch_error, NULL);
    fail_allocations = 1;
    if (setjmp(caught.env) == 0)
        push_chain(s, 64, 1, &fib_fn, NULL, &pushed);
    fail_allocations = 0;
    ck_assert_int_eq(caught.err.status, UNRECURSE_ENOMEM);
    ck_assert_str_eq(caught.err.function, "fib");
    ck_assert_uint_eq(caught.err.depth, 1);
    ck_assert_uint_eq(caught.err.reserved, 0);
    ck_assert_uint_eq(caught.err.limit, UNRECURSE_DEFAULT_LIMIT);
    ck_assert_ptr_null(s->chunk);

    if (setjmp(caught.env) == 0) {
        f = push_chain(s, 64, 1, &fib_fn, NULL, &pushed);
        while ((size_t)(s->end - s->top) >= 64)
            f = push_chain(s, 64, 1, &fib_fn, f, &pushed);
        pushed = 0;
        fail_allocations = 1;
        push_chain(s, 64, 1, &fib_fn, f, &pushed);
    }
    fail_allocations = 0;
    ck_assert_int_eq(caught.calls, 2);
    ck_assert_int_eq(caught.err.status, UNRECURSE_ENOMEM);
    ck_assert_uint_eq(caught.err.depth, (size_t)(s->end - s->base) / 64 + 1);
    ck_assert_uint_eq(unrecurse_reserved(), caught.err.reserved);
    ck_assert_ptr_eq(s->top, s->base);
}
END_TEST

/* Frames too big for the limit even without a chunk header (no overflow
 * in the size computation), or too big for the allocator. */
START_TEST(test_huge_frame)
{
    unrecurse_stack *s = unrecurse_stack_get();

    unrecurse_set_error_handler(catch_error, NULL);
    if (setjmp(caught.env) == 0)
        unrecurse_push(s, (SIZE_MAX - 4096) & ~(size_t)7, &fib_fn, NULL);
    ck_assert_int_eq(caught.err.status, UNRECURSE_ELIMIT);
    unrecurse_set_limit(SIZE_MAX);
    if (setjmp(caught.env) == 0)
        unrecurse_push(s, SIZE_MAX & ~(size_t)7, &fib_fn, NULL);
    ck_assert_int_eq(caught.err.status, UNRECURSE_ELIMIT);
    if (setjmp(caught.env) == 0)
        unrecurse_push(s, SIZE_MAX / 4 & ~(size_t)7, &fib_fn, NULL);
    ck_assert_int_eq(caught.err.status, UNRECURSE_ENOMEM);
    ck_assert_int_eq(caught.calls, 3);
    ck_assert_uint_eq(unrecurse_reserved(), 0);
}
END_TEST

static void call_rewritten_code(const unrecurse_error *err, void *data)
{
    unrecurse_stack *s = unrecurse_stack_get();
    volatile size_t pushed = 0;
    unrecurse_frame *f = push_chain(s, 64, 100, &fib_fn, NULL, &pushed);

    while (f) {
        unrecurse_frame *caller = f->caller;
        unrecurse_pop(s, f);
        f = caller;
    }
    catch_error(err, data);
}

/* By the time a handler runs, the frames are gone: it may run rewritten
 * code (here, 100 frames) even though the limit was reached. */
START_TEST(test_handler_may_recurse)
{
    unrecurse_stack *s = unrecurse_stack_get();
    volatile size_t pushed = 0;

    unrecurse_set_limit((size_t)200 << 10);
    unrecurse_set_error_handler(call_rewritten_code, NULL);
    if (setjmp(caught.env) == 0)
        push_chain(s, 64, SIZE_MAX, &fib_fn, NULL, &pushed);
    ck_assert_int_eq(caught.calls, 1);
    ck_assert_ptr_eq(s->top, s->base);
}
END_TEST

static void ignore_error(const unrecurse_error *err, void *data)
{
    (void)err;
    (void)data;
}

START_TEST(test_set_error_handler)
{
    int data;
    unrecurse_stack *s = unrecurse_stack_get();

    ck_assert_ptr_null(unrecurse_set_error_handler(catch_error, &data));
    ck_assert_ptr_eq(s->handler_data, &data);
    ck_assert_ptr_eq(unrecurse_set_error_handler(ignore_error, NULL), catch_error);
    ck_assert_ptr_eq(unrecurse_set_error_handler(NULL, &data), ignore_error);
    ck_assert_ptr_null(s->handler);
    ck_assert_ptr_null(s->handler_data);
}
END_TEST

START_TEST(test_strerror)
{
    ck_assert_str_eq(unrecurse_strerror(UNRECURSE_OK), "success");
    ck_assert_str_eq(unrecurse_strerror(UNRECURSE_ELIMIT), "frame memory limit reached");
    ck_assert_str_eq(unrecurse_strerror(UNRECURSE_ENOMEM), "out of memory");
    ck_assert_str_eq(unrecurse_strerror((unrecurse_status)-99), "unknown error");
}
END_TEST

/* Runs BODY in a child process with stderr captured (and no core dump);
 * SHARED is a page of memory the child can write and the parent read. */
typedef struct child_result {
    int status;
    char err[1024];
} child_result;

static void run_child(void (*body)(volatile size_t *shared), volatile size_t *shared,
                      child_result *r)
{
    int fds[2];
    size_t len = 0;
    ssize_t n;
    pid_t pid;

    ck_assert_int_eq(pipe(fds), 0);
    fflush(NULL);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        body(shared);
        _exit(0);
    }
    close(fds[1]);
    while ((n = read(fds[0], r->err + len, sizeof r->err - 1 - len)) > 0)
        len += (size_t)n;
    r->err[len] = '\0';
    close(fds[0]);
    ck_assert_int_eq(waitpid(pid, &r->status, 0), pid);
}

static volatile size_t *shared_page(void)
{
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    ck_assert_ptr_ne(p, MAP_FAILED);
    return p;
}

static void expect_abort(const child_result *r, const char *message)
{
    ck_assert_msg(WIFSIGNALED(r->status) && WTERMSIG(r->status) == SIGABRT,
                  "child did not abort (status %#x)", r->status);
    ck_assert_str_eq(r->err, message);
}

static void recurse_into_limit(volatile size_t *depth)
{
    unrecurse_stack *s = unrecurse_stack_get();

    unrecurse_set_limit((size_t)256 << 10);
    push_chain(s, 64, SIZE_MAX, &fib_fn, NULL, depth);
}

START_TEST(test_default_handler_limit)
{
    volatile size_t *shared = shared_page();
    child_result r;
    char want[256];

    run_child(recurse_into_limit, shared, &r);
    ck_assert_uint_gt(shared[0], 1000);
    snprintf(want, sizeof want,
             "unrecurse: fib: frame memory limit of 262144 bytes reached at depth %zu"
             " (set UNRECURSE_LIMIT=BYTES to change it)\n",
             shared[0] + 1);
    expect_abort(&r, want);
    munmap((void *)shared, 4096);
}
END_TEST

static void recurse_out_of_memory(volatile size_t *depth)
{
    unrecurse_stack *s = unrecurse_stack_get();
    unrecurse_frame *f = push_chain(s, 64, 10, &fib_fn, NULL, depth);

    while ((size_t)(s->end - s->top) >= 64)
        f = push_chain(s, 64, 1, &fib_fn, f, depth);
    *depth = (size_t)(s->end - s->base) / 64;
    fail_allocations = 1;
    push_chain(s, 64, 1, &fib_fn, f, depth);
}

START_TEST(test_default_handler_nomem)
{
    volatile size_t *shared = shared_page();
    child_result r;
    char want[256];

    run_child(recurse_out_of_memory, shared, &r);
    snprintf(want, sizeof want, "unrecurse: fib: out of memory at depth %zu\n", shared[0] + 1);
    expect_abort(&r, want);
    munmap((void *)shared, 4096);
}
END_TEST

static void count_and_return(const unrecurse_error *err, void *data)
{
    (void)err;
    ((volatile size_t *)data)[1]++;
}

static void handler_returns(volatile size_t *shared)
{
    unrecurse_stack *s = unrecurse_stack_get();

    unrecurse_set_limit(0);
    unrecurse_set_error_handler(count_and_return, (void *)shared);
    push_chain(s, 8, 1, &fib_fn, NULL, shared);
}

/* A handler that returns ends in the default handler. */
START_TEST(test_handler_returns)
{
    volatile size_t *shared = shared_page();
    child_result r;

    run_child(handler_returns, shared, &r);
    ck_assert_uint_eq(shared[1], 1);
    expect_abort(&r, "unrecurse: fib: frame memory limit of 0 bytes reached at depth 1"
                     " (set UNRECURSE_LIMIT=BYTES to change it)\n");
    munmap((void *)shared, 4096);
}
END_TEST

static void create_without_memory(volatile size_t *shared)
{
    (void)shared;
    fail_allocations = 1;
    unrecurse_stack_get();
}

/* The stack itself cannot be allocated: no handler exists yet. */
START_TEST(test_stack_out_of_memory)
{
    volatile size_t *shared = shared_page();
    child_result r;

    run_child(create_without_memory, shared, &r);
    expect_abort(&r, "unrecurse: unrecurse_stack_get: out of memory at depth 0\n");
    munmap((void *)shared, 4096);
}
END_TEST

/* What UNRECURSE_LIMIT says, and what a malformed one makes the runtime
 * say on stderr: one line, once per process, however many threads. */
enum { LIMIT_OK, LIMIT_NOT_A_SIZE, LIMIT_EMPTY, LIMIT_TOO_LARGE };

static const struct limit_case {
    const char *text;
    int kind;
    size_t limit;
} limit_cases[] = {
    {"64MB", LIMIT_NOT_A_SIZE, UNRECURSE_DEFAULT_LIMIT},
    {"1.5G", LIMIT_NOT_A_SIZE, UNRECURSE_DEFAULT_LIMIT},
    {"0x1000000", LIMIT_NOT_A_SIZE, UNRECURSE_DEFAULT_LIMIT},
    {"-1", LIMIT_NOT_A_SIZE, UNRECURSE_DEFAULT_LIMIT},
    {"", LIMIT_EMPTY, UNRECURSE_DEFAULT_LIMIT},
    {"99999999999999999999999", LIMIT_TOO_LARGE, UNRECURSE_DEFAULT_LIMIT},
    {"16777216T", LIMIT_TOO_LARGE, UNRECURSE_DEFAULT_LIMIT},
    {"1T", LIMIT_OK, (size_t)1 << 40},
    {"64KiB", LIMIT_OK, (size_t)64 << 10},
    {"1", LIMIT_OK, 1},
};

static const struct limit_case *the_limit_case;

/* What the runtime says about C: nothing if it is well formed. */
static void limit_message(const struct limit_case *c, char *out, size_t size)
{
    char why[128];

    switch (c->kind) {
    case LIMIT_OK:
        out[0] = '\0';
        return;
    case LIMIT_NOT_A_SIZE:
        snprintf(why, sizeof why,
                 "is not a size (bytes, or a whole number followed by K, M, G or T: 64M, 1G)");
        break;
    case LIMIT_EMPTY:
        snprintf(why, sizeof why, "is empty");
        break;
    default:
        snprintf(why, sizeof why, "is more than %zu bytes", (size_t)SIZE_MAX);
        break;
    }
    snprintf(out, size, "unrecurse: UNRECURSE_LIMIT=\"%s\" %s; using the default limit of %zu"
             " bytes\n", c->text, why, (size_t)UNRECURSE_DEFAULT_LIMIT);
}

/* In the child: two stacks made under the case's UNRECURSE_LIMIT, the main
 * thread's and another thread's; their limits go to SHARED. */
static void make_two_stacks(volatile size_t *shared)
{
    pthread_t t;
    size_t limit = 0;

    setenv("UNRECURSE_LIMIT", the_limit_case->text, 1);
    shared[0] = unrecurse_stack_get()->limit;
    if (pthread_create(&t, NULL, read_limit, &limit) != 0 || pthread_join(t, NULL) != 0)
        _exit(3);
    shared[1] = limit;
}

START_TEST(test_env_limit_diagnostic)
{
    volatile size_t *shared = shared_page();
    size_t i;

    for (i = 0; i < sizeof limit_cases / sizeof limit_cases[0]; i++) {
        const struct limit_case *c = &limit_cases[i];
        char want[512];
        child_result r;

        limit_message(c, want, sizeof want);
        the_limit_case = c;
        run_child(make_two_stacks, shared, &r);
        ck_assert_msg(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0,
                      "UNRECURSE_LIMIT=\"%s\": child status %#x", c->text, r.status);
        ck_assert_str_eq(r.err, want);
        ck_assert_uint_eq(shared[0], c->limit);
        ck_assert_uint_eq(shared[1], c->limit);
    }
    munmap((void *)shared, 4096);
}
END_TEST

/* ---- threads ----------------------------------------------------------- */

enum { THREADS = 16, THREAD_DEPTH = 100000 };

typedef struct thread_job {
    int index;
    pthread_barrier_t *barrier;
    unrecurse_stack *stack;
    int ok;
} thread_job;

/* Runs concurrently with the others: a private limit and handler, then a
 * deep run with every frame checked. Check's asserts are not thread-safe:
 * a thread reports through job->ok. */
static void *thread_run(void *arg)
{
    thread_job *job = arg;
    harness h;
    size_t limit = UNRECURSE_DEFAULT_LIMIT - 4096 * (size_t)job->index;

    job->stack = unrecurse_stack_get();
    unrecurse_set_limit(limit);
    if (job->index % 2)
        unrecurse_set_error_handler(ignore_error, NULL);
    pthread_barrier_wait(job->barrier);
    if (job->stack->limit != limit || unrecurse_stack_get() != job->stack
        || (job->stack->handler != NULL) != (job->index % 2))
        return NULL;

    harness_init(&h, (uint64_t)job->index + 1, THREAD_DEPTH);
    while (h.depth < THREAD_DEPTH)
        harness_push(&h, random_size(&h, 128));
    harness_check_all(&h);
    harness_fini(&h);
    job->ok = h.s->top == h.s->base && unrecurse_reserved() > 0;
    return NULL;
}

START_TEST(test_threads_concurrently)
{
    pthread_barrier_t barrier;
    pthread_t threads[THREADS];
    thread_job jobs[THREADS];
    long blocks = runtime_blocks();
    int i, j;

    ck_assert_int_eq(pthread_barrier_init(&barrier, NULL, THREADS), 0);
    for (i = 0; i < THREADS; i++) {
        jobs[i] = (thread_job){i, &barrier, NULL, 0};
        ck_assert_int_eq(pthread_create(&threads[i], NULL, thread_run, &jobs[i]), 0);
    }
    for (i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
    pthread_barrier_destroy(&barrier);

    for (i = 0; i < THREADS; i++) {
        ck_assert_msg(jobs[i].ok, "thread %d failed", i);
        for (j = 0; j < i; j++)
            ck_assert_ptr_ne(jobs[i].stack, jobs[j].stack);
    }
    /* Every thread's stack and chunks were freed when it exited. */
    ck_assert_int_eq(runtime_blocks(), blocks);
    ck_assert_uint_eq(unrecurse_reserved(), 0);
}
END_TEST

static void *exit_with_live_frames(void *arg)
{
    volatile size_t pushed = 0;

    push_chain(unrecurse_stack_get(), 512, 10000, &fib_fn, NULL, &pushed);
    *(size_t *)arg = unrecurse_reserved();
    return NULL;
}

/* A thread that exits with frames on its stack frees them too. */
START_TEST(test_thread_exit_with_frames)
{
    long blocks = runtime_blocks();
    size_t reserved = 0;
    pthread_t t;

    ck_assert_int_eq(pthread_create(&t, NULL, exit_with_live_frames, &reserved), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_uint_ge(reserved, (size_t)512 * 10000);
    ck_assert_int_eq(runtime_blocks(), blocks);
}
END_TEST

/* ---- the suite ---------------------------------------------------------- */

static Suite *stack_suite(void)
{
    Suite *s = suite_create("stack");
    TCase *tc;

    tc = tcase_create("core");
    tcase_add_test(tc, test_stack_get);
    tcase_add_test(tc, test_mixed_sizes);
    tcase_add_test(tc, test_shrink_to_first_chunk);
    tcase_add_test(tc, test_spare_at_boundary);
    tcase_add_test(tc, test_large_and_exact_frames);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_test(tc, test_set_limit);
    tcase_add_test(tc, test_env_limit);
    tcase_add_test(tc, test_env_limit_diagnostic);
    tcase_add_test(tc, test_limit_reached_closely);
    tcase_add_test(tc, test_small_limit);
    tcase_add_test(tc, test_lowered_limit);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_longjmp_recovery);
    tcase_add_test(tc, test_depth_of_nested_run);
    tcase_add_test(tc, test_depth_without_links);
    tcase_add_test(tc, test_pop_to_caller);
    tcase_add_test(tc, test_unknown_function);
    tcase_add_test(tc, test_mark_names_function);
    tcase_add_test(tc, test_out_of_memory);
    tcase_add_test(tc, test_huge_frame);
    tcase_add_test(tc, test_handler_may_recurse);
    tcase_add_test(tc, test_set_error_handler);
    tcase_add_test(tc, test_strerror);
    tcase_add_test(tc, test_default_handler_limit);
    tcase_add_test(tc, test_default_handler_nomem);
    tcase_add_test(tc, test_handler_returns);
    tcase_add_test(tc, test_stack_out_of_memory);
    suite_add_tcase(s, tc);

    tc = tcase_create("threads");
    tcase_add_test(tc, test_threads_concurrently);
    tcase_add_test(tc, test_thread_exit_with_frames);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    /* The tests set the limits they need; a stray one would skew them. */
    unsetenv("UNRECURSE_LIMIT");
    return run_suite(stack_suite());
}
