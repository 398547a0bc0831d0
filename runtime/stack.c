/*
 * stack.c - the per-thread frame stack that rewritten functions run on.
 *
 * A rewritten function keeps its activation records ("frames") on the heap
 * instead of the native stack. Frames are pushed and popped strictly LIFO,
 * so the natural store is a stack; it must also never move a frame once
 * pushed, because generated code (and user code, through pointers to
 * locals) holds pointers into frames. A single growing array would move on
 * reallocation, so the stack is a linked list of chunks instead:
 *
 *     first chunk          second chunk           current chunk
 *     +---------------+    +-----------------+    +-------------------+
 *     |hdr|f1|f2|...  |<---|hdr|fn|fn+1|...  |<---|hdr|fm|fm+1|  free  |
 *     +---------------+    +-----------------+    +-------------------+
 *                                                  ^base       ^top    ^end
 *
 * Each chunk starts with a small header (the chunk below, where the top of
 * that chunk was when we moved on, the chunk's size) followed by frame
 * space whose first byte, base, is 16-byte aligned. The hot paths are the
 * inline unrecurse_push and unrecurse_pop in unrecurse.h: a bump of `top`
 * and a compare. Only when a frame does not fit in the rest of the current
 * chunk, or when the first frame of a chunk is popped, do they call the two
 * slow paths in this file, which do O(1) work besides at most one malloc or
 * free.
 *
 * Chunks grow geometrically (64 KiB, doubling up to 1 MiB, and always big
 * enough for the frame at hand), so a deep recursion costs O(log) mallocs
 * at first and one malloc per MiB after that, with at most one partly-used
 * chunk's worth of slack. When a chunk is left, it is not freed but kept as
 * the spare (freeing the previous spare): a call path that oscillates
 * across a chunk boundary reuses it instead of calling malloc and free on
 * every crossing. Popping the outermost frame keeps the first chunk, so the
 * next run starts without calling malloc at all.
 *
 * Every byte held in chunks (in use or spare) is counted in `reserved` and
 * checked against a per-thread limit before a chunk is allocated, so that
 * a runaway recursion stops with a message naming the function and the
 * depth rather than exhausting the machine. The last chunk below the limit
 * is cut to fit, so the limit is reached to within a frame. The native
 * stack segments of nested runs (segment.c) count in `reserved` too. The
 * limit comes from UNRECURSE_LIMIT when a stack is created; a value that
 * cannot be read is reported on stderr, once per process, not ignored in
 * silence. Errors go to the thread's handler; see unrecurse__raise for
 * what a handler may do.
 *
 * Each thread has its own stack, found through a C11 _Thread_local pointer
 * (no lock anywhere), created on first use and freed with all its chunks by
 * a pthread key destructor when the thread exits. The main thread's stack
 * is left to the operating system at exit: freeing it from an atexit
 * handler could pull frames from under code still running during exit.
 */
#define _POSIX_C_SOURCE 200809L

#include "unrecurse.h"
#include "private.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>


/* Chunk sizes, header included: the first chunk, and the size at which
 * geometric growth stops (bigger frames still get a chunk of their own). */
#define UNRECURSE__FIRST_CHUNK ((size_t)64 << 10)
#define UNRECURSE__MAX_CHUNK ((size_t)1 << 20)

/* The largest frame for which header + frame can be computed without
 * overflow; anything bigger cannot be allocated anyway. */
#define UNRECURSE__MAX_FRAME (SIZE_MAX - UNRECURSE__HEADER - UNRECURSE__ALIGN)

static _Thread_local unrecurse_stack *unrecurse__this_thread;

static pthread_once_t unrecurse__key_once = PTHREAD_ONCE_INIT;
static pthread_key_t unrecurse__key;
static int unrecurse__key_ok;


/* Makes C the current chunk. Leaves top for the caller to set. */
static void unrecurse__enter(unrecurse_stack *s, unrecurse__chunk *c)
{
    s->chunk = c;
    s->base = unrecurse__base(c);
    s->end = (char *)c + c->size;
}

static void unrecurse__chunk_destroy(unrecurse_stack *s, unrecurse__chunk *c)
{
    s->reserved -= c->size;
    free(c);
}

/* ---- errors ---------------------------------------------------------- */

const char *unrecurse_strerror(unrecurse_status status)
{
    switch (status) {
    case UNRECURSE_OK:
        return "success";
    case UNRECURSE_ELIMIT:
        return "frame memory limit reached";
    case UNRECURSE_ENOMEM:
        return "out of memory";
    }
    return "unknown error";
}

/* Where ERR struck, for a message: "at depth D", in a nested run "at
 * depth D, in a nested run on native stack segment N", and without the
 * depth when no frame was there to count (a segment for a run that pushes
 * no frames). */
static const char *unrecurse__where(const unrecurse_error *err, char *buf, size_t size)
{
    if (err->depth == 0 && err->segment)
        snprintf(buf, size, "in a nested run on native stack segment %zu", err->segment);
    else if (err->segment)
        snprintf(buf, size, "at depth %zu, in a nested run on native stack segment %zu",
                 err->depth, err->segment);
    else
        snprintf(buf, size, "at depth %zu", err->depth);
    return buf;
}

/* The handler used when none is installed: one line on stderr, then abort.
 * The frames are left in place, so a debugger can still walk them in the
 * core dump. */
static _Noreturn void unrecurse__default_handler(const unrecurse_error *err)
{
    char where[128];

    switch (err->status) {
    case UNRECURSE_ELIMIT:
        fprintf(stderr,
                "unrecurse: %s: frame memory limit of %zu bytes reached %s"
                " (set UNRECURSE_LIMIT=BYTES to change it)\n",
                err->function, err->limit, unrecurse__where(err, where, sizeof where));
        break;
    case UNRECURSE_ENOMEM:
        fprintf(stderr, "unrecurse: %s: out of memory %s\n", err->function,
                unrecurse__where(err, where, sizeof where));
        break;
    default:
        fprintf(stderr, "unrecurse: %s: %s\n", err->function,
                unrecurse_strerror(err->status));
        break;
    }
    unrecurse__backtrace(stderr, 12, 1);
    abort();
}

/* Discards every frame on S: all runs on the stack are abandoned. Keeps the
 * first chunk (empty, current) and the chunk above it as the spare; frees
 * the rest. Costs one free per chunk. */
static void unrecurse__unwind(unrecurse_stack *s)
{
    if (!s->chunk)
        return;
    while (s->chunk->prev)
        unrecurse__pop_chunk(s);
    s->top = s->base;
    s->runs = NULL;
}

/* Bytes of frames on S now, over all its chunks in use. */
static size_t unrecurse__bytes_in_use(const unrecurse_stack *s)
{
    size_t bytes = 0;
    const unrecurse__chunk *c = s->chunk;
    const char *top = s->top;
    for (; c; top = c->prev_top, c = c->prev)
        bytes += (size_t)(top - unrecurse__base((unrecurse__chunk *)c));
    return bytes;
}

/* Reports that a frame of FN, FRAME_SIZE bytes, called from CALLER, cannot
 * be pushed on S. Never returns.
 *
 * S must be consistent when this is called: a handler may longjmp out.
 * Before a handler installed with unrecurse_set_error_handler runs, every
 * frame on S is discarded (unrecurse__unwind) and the thread leaves its
 * native stack segments for its own stack, where they are freed
 * (unrecurse__leave_segments): the handler's contract is to leave to a
 * point outside every rewritten call, where no frame and no segment is
 * live, and this way nothing the abandoned calls held stays reserved, and
 * the handler itself may call rewritten functions.
 *
 * With a CALLER (frames linked through unrecurse_frame) the depth counts
 * the frames of the failing run only, found through the links: O(depth),
 * but only on this path. Without one (the tool's frames) it is estimated
 * as the frame bytes in use over FRAME_SIZE. A FRAME_SIZE of 0 is a
 * segment for a nested run of FN (segment.c): the depth is that of the
 * frames below it, estimated with FN's frame size, and the segment the
 * one it would have been. If the handler returns, the default handler
 * reports the error and aborts. */
_Noreturn void unrecurse__raise(unrecurse_stack *s, unrecurse_status status,
                                const unrecurse_function *fn, const void *caller,
                                size_t frame_size)
{
    unrecurse_error err;
    const unrecurse_frame *f;

    err.status = status;
    err.function = fn && fn->name ? fn->name : "?";
    err.depth = frame_size ? 1 : 0;
    err.segment = unrecurse__segments() + !frame_size;
    for (f = caller; f; f = f->caller)
        err.depth++;
    if (!frame_size && fn)
        frame_size = fn->frame_size;
    if (!caller && frame_size)
        err.depth += unrecurse__bytes_in_use(s) / frame_size;
    err.limit = s->limit;
    err.reserved = s->reserved;
    if (s->task && s->handler) { /* a task's frames: the task cannot go on */
        unrecurse__task_failed(s->task);
        s = unrecurse_stack_get();
    } /* (the default handler aborts: the task's frames stay, for the backtrace) */
    if (s->handler) {
        unrecurse__unwind(s);
        unrecurse__leave_segments(&err);
    }
    unrecurse__handle(s, &err);
}

_Noreturn void unrecurse__handle(unrecurse_stack *s, const unrecurse_error *err)
{
    if (s->handler)
        s->handler(err, s->handler_data);
    unrecurse__default_handler(err);
}

/* ---- the slow paths of push and pop ----------------------------------- */

/* Allocates a chunk with room for a frame of SIZE bytes, counted in
 * s->reserved, or raises. Its size follows the geometric growth from the
 * current chunk, cut down to what the limit still allows. */
static unrecurse__chunk *unrecurse__chunk_create(unrecurse_stack *s, size_t size,
                                                 const unrecurse_function *fn,
                                                 const void *caller)
{
    size_t need, grow, bytes, avail;
    unrecurse__chunk *c;

    /* A frame too big to add a header to cannot fit under any limit:
     * saturating `need` makes the check below say so. */
    need = size <= UNRECURSE__MAX_FRAME ? UNRECURSE__HEADER + UNRECURSE__ROUND(size)
                                        : SIZE_MAX;
    avail = s->reserved < s->limit ? (s->limit - s->reserved) & ~(size_t)(UNRECURSE__ALIGN - 1)
                                   : 0;
    if (need > avail)
        unrecurse__raise(s, UNRECURSE_ELIMIT, fn, caller, size);

    if (!s->chunk)
        grow = UNRECURSE__FIRST_CHUNK;
    else if (s->chunk->size >= UNRECURSE__MAX_CHUNK / 2)
        grow = UNRECURSE__MAX_CHUNK;
    else
        grow = 2 * s->chunk->size;
    bytes = need > grow ? need : grow;
    if (bytes > avail)
        bytes = avail;

    /* aligned_alloc, not malloc: base must be 16-byte aligned even where
     * malloc only promises 8. Sizes are multiples of 16, as it requires. */
    c = aligned_alloc(UNRECURSE__ALIGN, bytes);
    if (!c)
        unrecurse__raise(s, UNRECURSE_ENOMEM, fn, caller, size);
    c->size = bytes;
    s->reserved += bytes;
    return c;
}

/* Called by unrecurse_push when the frame does not fit in the current
 * chunk (or there is none yet): pushes a chunk, the spare if it is big
 * enough or a new one, and the frame at its base. */
void *unrecurse__push_chunk(unrecurse_stack *s, size_t size,
                            const unrecurse_function *fn, const void *caller)
{
    unrecurse__chunk *c = s->spare;

    if (c && size <= c->size - UNRECURSE__HEADER) {
        s->spare = NULL;
    } else {
        if (c) {
            /* Too small for this frame: give its bytes back to the limit. */
            s->spare = NULL;
            unrecurse__chunk_destroy(s, c);
        }
        c = unrecurse__chunk_create(s, size, fn, caller);
    }
    c->prev = s->chunk;
    c->prev_top = s->top;
    unrecurse__enter(s, c);
    s->top = s->base + size;
    return s->base;
}

/* Called by unrecurse_pop when the frame popped is the first of the current
 * chunk: returns to the chunk below, where it was, and keeps the chunk left
 * as the spare. The first chunk is never left: it stays current, empty. */
void unrecurse__pop_chunk(unrecurse_stack *s)
{
    unrecurse__chunk *left = s->chunk;

    if (!left->prev) {
        s->top = s->base;
        return;
    }
    if (s->spare)
        unrecurse__chunk_destroy(s, s->spare);
    s->spare = left;
    unrecurse__enter(s, left->prev);
    s->top = left->prev_top;
}

/* ---- one stack per thread -------------------------------------------- */

/* What unrecurse__parse_limit makes of UNRECURSE_LIMIT. */
enum { LIMIT_OK, LIMIT_EMPTY, LIMIT_NOT_A_SIZE, LIMIT_TOO_LARGE };

/* Reads the unit of a size at *P: K, M, G or T (either case), which may be
 * followed by iB (KiB), or B alone. Advances *P past it; returns the shift
 * it stands for (0 for none and for B). */
static unsigned unrecurse__unit(const char **p)
{
    static const char units[] = "KMGT";
    const char *u = *p, *k = *u ? strchr(units, toupper((unsigned char)*u)) : NULL;

    if (!k) {
        if (*u == 'B')
            *p = u + 1;
        return 0;
    }
    u++;
    if ((u[0] == 'i' || u[0] == 'I') && (u[1] == 'B' || u[1] == 'b'))
        u += 2;
    *p = u;
    return 10 * (unsigned)(k - units + 1);
}

/* Parses UNRECURSE_LIMIT: decimal digits, optionally followed by a unit
 * (unrecurse__unit: 64K, 64KiB, 3M, 2G, 1T, binary multiples; 4096B).
 * Anything else is refused: signs, spaces, fractions, hexadecimal, and KB
 * or MB, which may mean 1000 or 1024. Sets *BYTES and returns LIMIT_OK,
 * or says what is wrong. */
static int unrecurse__parse_limit(const char *text, size_t *bytes)
{
    size_t n = 0;
    unsigned shift;
    int overflow = 0;
    const char *p = text;

    if (*p == '\0')
        return LIMIT_EMPTY;
    if (*p < '0' || *p > '9')
        return LIMIT_NOT_A_SIZE;
    for (; *p >= '0' && *p <= '9'; p++) {
        size_t digit = (size_t)(*p - '0');
        if (n > (SIZE_MAX - digit) / 10)
            overflow = 1;
        else
            n = n * 10 + digit;
    }
    shift = unrecurse__unit(&p);
    if (*p != '\0')
        return LIMIT_NOT_A_SIZE;
    if (overflow || n > SIZE_MAX >> shift)
        return LIMIT_TOO_LARGE;
    *bytes = n << shift;
    return LIMIT_OK;
}

/* Says on stderr that the environment variable NAME=TEXT is ignored, and
 * why (PARSED), once per process (SAID): every thread reads it, and a
 * program may have many. DEFAULT says what applies instead. */
static void unrecurse__refuse_size(atomic_flag *said, const char *name, const char *text,
                                   int parsed, const char *fallback)
{
    char why[128];

    if (atomic_flag_test_and_set(said))
        return;
    if (parsed == LIMIT_EMPTY)
        snprintf(why, sizeof why, "is empty");
    else if (parsed == LIMIT_TOO_LARGE)
        snprintf(why, sizeof why, "is more than %zu bytes", (size_t)SIZE_MAX);
    else
        snprintf(why, sizeof why,
                 "is not a size (bytes, or a whole number followed by K, M, G or T: 64M, 1G)");
    fprintf(stderr, "unrecurse: %s=\"%s\" %s; using %s\n", name, text, why, fallback);
}

/* A size from the environment variable NAME into *BYTES, if it is set and
 * valid (returns 1); else *BYTES is left as it is (returns 0). */
static int unrecurse__env_size(atomic_flag *said, const char *name, size_t *bytes,
                                const char *fallback)
{
    const char *env = getenv(name);
    int parsed;

    if (!env)
        return 0;
    parsed = unrecurse__parse_limit(env, bytes);
    if (parsed == LIMIT_OK)
        return 1;
    unrecurse__refuse_size(said, name, env, parsed, fallback);
    return 0;
}

static void unrecurse__stack_destroy(unrecurse_stack *s)
{
    unrecurse__chunk *c = s->chunk;

    while (c) {
        unrecurse__chunk *prev = c->prev;
        free(c);
        c = prev;
    }
    free(s->spare);
    free(s);
}

/* Destructor of the thread key: the thread is exiting. Clearing the pointer
 * lets a later key destructor that runs rewritten code create a new stack
 * (which pthread then destroys in its next round of destructors). */
static void unrecurse__thread_exit(void *stack)
{
    unrecurse__stack_destroy(stack);
    unrecurse__this_thread = NULL;
}

static void unrecurse__key_create(void)
{
    unrecurse__key_ok = pthread_key_create(&unrecurse__key, unrecurse__thread_exit) == 0;
}

/* Creates the calling thread's stack. Should the key be unavailable, the
 * stack works all the same but is not freed when the thread exits. */
static unrecurse_stack *unrecurse__stack_create(void)
{
    unrecurse_stack *s = calloc(1, sizeof *s);

    if (!s) {
        unrecurse_error err = {UNRECURSE_ENOMEM, "unrecurse_stack_get", 0,
                               UNRECURSE_DEFAULT_LIMIT, 0, 0};
        unrecurse__default_handler(&err);
    }
    static atomic_flag said_limit = ATOMIC_FLAG_INIT, said_budget = ATOMIC_FLAG_INIT;
    char fallback[64];
    size_t budget = 0;

    snprintf(fallback, sizeof fallback, "the default limit of %zu bytes",
             (size_t)UNRECURSE_DEFAULT_LIMIT);
    s->limit = UNRECURSE_DEFAULT_LIMIT;
    unrecurse__env_size(&said_limit, "UNRECURSE_LIMIT", &s->limit, fallback);
    unrecurse__native_init(s, unrecurse__env_size(&said_budget, "UNRECURSE_NATIVE_BUDGET", &budget,
                                                  "the default native budget")
                                  ? &budget
                                  : NULL);

    pthread_once(&unrecurse__key_once, unrecurse__key_create);
    if (unrecurse__key_ok)
        pthread_setspecific(unrecurse__key, s);
    unrecurse__this_thread = s;
    return s;
}

unrecurse_stack *unrecurse__stack_peek(void)
{
    return unrecurse__this_thread;
}

unrecurse_stack *unrecurse_stack_get(void)
{
    unrecurse_stack *s = unrecurse__this_thread;

    return s ? s : unrecurse__stack_create();
}

size_t unrecurse_set_limit(size_t bytes)
{
    unrecurse_stack *s = unrecurse_stack_get();
    size_t old = s->limit;

    s->limit = bytes;
    return old;
}

unrecurse_error_fn unrecurse_set_error_handler(unrecurse_error_fn fn, void *data)
{
    unrecurse_stack *s = unrecurse_stack_get();
    unrecurse_error_fn old = s->handler;

    s->handler = fn;
    s->handler_data = fn ? data : NULL;
    return old;
}

size_t unrecurse_reserved(void)
{
    unrecurse_stack *s = unrecurse__this_thread;

    return s ? s->reserved : 0;
}
