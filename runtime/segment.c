/*
 * segment.c - nested runs on fresh native stack segments.
 *
 * Inside one rewritten function, or one cycle of them, a recursive call is
 * a jump and costs no native stack. A rewritten function called from
 * somewhere else is a native call that starts a nested run: from code that
 * was not rewritten, through a function pointer, or from a rewritten
 * function in another file (a cycle that spans files). A deep chain of such
 * calls would overflow the native stack again, a few hundred bytes per
 * crossing. So each rewritten function checks, when it is entered, how much
 * native stack is left (one comparison with s->native_low); when it is
 * nearly used up, the run moves to a fresh segment of SEGMENT_SIZE bytes
 * allocated on the heap (with ucontext) and comes back when it returns.
 * Native stack is then bounded by heap memory too. The cost is one malloc
 * and two context switches per segment, paid once per SEGMENT_SIZE of
 * native stack, not per call.
 *
 * Segments are memory the thread holds for its runs, like chunks of
 * frames: each is counted in s->reserved and checked against the same
 * limit before it is allocated. A runaway recursion that goes through
 * function pointers, and so through nested runs that may push no frame at
 * all, stops at the limit with a report naming the function entered and
 * how many segments deep it was.
 *
 * Leaving on an error. An error handler installed with
 * unrecurse_set_error_handler may longjmp out, to a recovery point outside
 * every rewritten call: on the thread's own stack, below every segment. A
 * longjmp from a segment would jump over the code that frees the segments
 * and restores the thread's bound, so the handler does not run where the
 * error was raised: unrecurse__leave_segments switches back to where the
 * outermost segment was entered, on the thread's own stack, as if its
 * function had returned, and there the segments are freed, the bound is
 * restored and the handler runs (unrecurse__handle). Whatever the handler
 * does then, longjmp, exit or call rewritten functions, it does from a
 * thread that holds no segment. The default handler, which aborts, runs
 * where the error was raised, so that a debugger sees the whole run.
 *
 * Sanitizers are told of every switch, or they take a run on a segment
 * for a wild stack pointer and keep one shadow call stack across all the
 * segments of a thread (ThreadSanitizer aborts when it reaches 64Ki frames):
 * AddressSanitizer through __sanitizer_start_switch_fiber and
 * __sanitizer_finish_switch_fiber, ThreadSanitizer with a fiber per
 * segment (__tsan_create_fiber, __tsan_switch_to_fiber). That is why a
 * segment ends with an explicit setcontext rather than through uc_link:
 * the switch back must be announced first. Without a sanitizer the hooks
 * compile to nothing.
 */
#define _GNU_SOURCE
#include "private.h"

#include <pthread.h>
#include <stdlib.h>
#include <ucontext.h>

/* Built with ThreadSanitizer? (UNRECURSE__ASAN, in unrecurse.h, says
 * whether with AddressSanitizer.) */
#if defined(__SANITIZE_THREAD__)
#define SEGMENT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SEGMENT_TSAN 1
#endif
#endif
#ifdef UNRECURSE__ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef SEGMENT_TSAN
#include <sanitizer/tsan_interface.h>
#endif

enum {
    SEGMENT_SIZE = 256 * 1024,  /* native stack of one segment */
    SEGMENT_MARGIN = 32 * 1024, /* left for the code between two checks */
    NATIVE_FLOOR = 16 * 1024    /* between the native bound and the switch
                                 * to a new segment, at least */
};

/* One run on a segment, in unrecurse_run_on_segment's frame: on the stack
 * it was called on, the thread's own or the segment below. The calls of a
 * thread make a list, innermost first, through `outer`. */
typedef struct segment_call {
    void (*fn)(void *);
    void *arg;
    char *segment;               /* its native stack, SEGMENT_SIZE bytes */
    struct segment_call *outer;  /* the call whose segment it started on */
    ucontext_t back;             /* where it returns to */
    int failed;                  /* an error left the segments: see above */
    unrecurse_error error;       /* that error, for the handler */
#ifdef UNRECURSE__ASAN
    void *fake_stack;            /* ASan's, of the stack it left */
    const void *back_bottom;     /* the stack it left */
    size_t back_size;
#endif
#ifdef SEGMENT_TSAN
    void *fiber;                 /* TSan's, for the segment */
    void *back_fiber;            /* TSan's, of the stack it left */
#endif
} segment_call;

/* The thread's innermost run on a segment, NULL when it is on its own
 * stack. makecontext passes only ints, so a new segment's entry finds its
 * call here too. */
static _Thread_local segment_call *unrecurse__segment_call;

_Thread_local uintptr_t unrecurse__native_bound = UINTPTR_MAX;

/* The native bound: NATIVE_BUDGET below the top of the native stack the
 * thread is on (its own, or the segment of its innermost nested run), and
 * never below NATIVE_FLOOR above the switch to a new segment. */
static void unrecurse__native_refresh(const unrecurse_stack *s)
{
    const segment_call *c = unrecurse__segment_call;
    uintptr_t top, floor;
    size_t budget = s->native_budget;

    if (c) {
        top = (uintptr_t)(c->segment + SEGMENT_SIZE);
        floor = (uintptr_t)(c->segment + SEGMENT_MARGIN) + NATIVE_FLOOR;
        if (budget > SEGMENT_SIZE / 4)
            budget = SEGMENT_SIZE / 4;
    } else if (s->native_top && s->native_low) {
        top = (uintptr_t)s->native_top;
        floor = (uintptr_t)s->native_low + NATIVE_FLOOR;
    } else { /* the stack is unknown: heap frames only */
        unrecurse__native_bound = UINTPTR_MAX - 1;
        return;
    }
    if (floor >= top)
        unrecurse__native_bound = top;
    else
        unrecurse__native_bound = budget < top - floor ? top - budget : floor;
}

void unrecurse__native_init(unrecurse_stack *s, const size_t *budget)
{
    pthread_attr_t attr;
    void *addr;
    size_t size;

    s->native_low = NULL; /* unknown: never switch */
    s->native_top = NULL;
    s->native_budget = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
            size_t margin = SEGMENT_MARGIN < size / 2 ? SEGMENT_MARGIN : size / 2;
            s->native_low = (char *)addr + margin;
            s->native_top = (char *)addr + size;
            s->native_budget = size / 4 < UNRECURSE_DEFAULT_NATIVE_BUDGET
                                   ? size / 4
                                   : UNRECURSE_DEFAULT_NATIVE_BUDGET;
        }
        pthread_attr_destroy(&attr);
    }
    if (budget)
        s->native_budget = *budget;
    unrecurse__native_refresh(s);
}

int unrecurse_native_confirm(void)
{
    if (unrecurse__native_bound == UINTPTR_MAX)
        (void)unrecurse_stack_get(); /* the thread's first call: set the bound */
    return (uintptr_t)__builtin_frame_address(0) < unrecurse__native_bound;
}

size_t unrecurse_set_native_budget(size_t bytes)
{
    unrecurse_stack *s = unrecurse_stack_get();
    size_t old = s->native_budget;

    s->native_budget = bytes;
    unrecurse__native_refresh(s);
    return old;
}

/* ---- telling the sanitizers ------------------------------------------- */

/* Just before the switch from where C was called onto C's segment. */
static void unrecurse__announce_enter(segment_call *c)
{
#ifdef UNRECURSE__ASAN
    __sanitizer_start_switch_fiber(&c->fake_stack, c->segment, SEGMENT_SIZE);
#endif
#ifdef SEGMENT_TSAN
    c->back_fiber = __tsan_get_current_fiber();
    c->fiber = __tsan_create_fiber(0);
    __tsan_switch_to_fiber(c->fiber, 0);
#endif
    (void)c;
}

/* First thing on C's segment. */
static void unrecurse__announce_entered(segment_call *c)
{
#ifdef UNRECURSE__ASAN
    __sanitizer_finish_switch_fiber(NULL, &c->back_bottom, &c->back_size);
#endif
    (void)c;
}

/* Just before the switch from the segment running now back to where C was
 * called, for good: the segment will be freed. */
static void unrecurse__announce_leave(segment_call *c)
{
#ifdef UNRECURSE__ASAN
    __sanitizer_start_switch_fiber(NULL, c->back_bottom, c->back_size);
#endif
#ifdef SEGMENT_TSAN
    __tsan_switch_to_fiber(c->back_fiber, 0);
#endif
    (void)c;
}

/* First thing back where C was called. */
static void unrecurse__announce_back(segment_call *c)
{
#ifdef UNRECURSE__ASAN
    __sanitizer_finish_switch_fiber(c->fake_stack, NULL, NULL);
#endif
    (void)c;
}

/* C's segment is about to be freed, and the fiber that ran on it ends. */
static void unrecurse__announce_gone(segment_call *c)
{
#ifdef SEGMENT_TSAN
    __tsan_destroy_fiber(c->fiber);
#endif
    (void)c;
}

/* ---- runs on segments -------------------------------------------------- */

static void unrecurse__segment_entry(void)
{
    segment_call *c = unrecurse__segment_call;

    unrecurse__announce_entered(c);
    c->fn(c->arg);
    unrecurse__announce_leave(c);
    setcontext(&c->back);
}

/* Allocates a segment for a nested run of FUNCTION, counted in
 * s->reserved, or raises. */
static char *unrecurse__segment_alloc(unrecurse_stack *s, const unrecurse_function *function)
{
    char *segment;

    if (s->reserved > s->limit || s->limit - s->reserved < SEGMENT_SIZE)
        unrecurse__raise(s, UNRECURSE_ELIMIT, function, NULL, 0);
    segment = malloc(SEGMENT_SIZE);
    if (!segment)
        unrecurse__raise(s, UNRECURSE_ENOMEM, function, NULL, 0);
    s->reserved += SEGMENT_SIZE;
    return segment;
}

static void unrecurse__segment_free(unrecurse_stack *s, char *segment)
{
    free(segment);
    s->reserved -= SEGMENT_SIZE;
}

/* After an error left the segments (unrecurse__leave_segments): frees the
 * segments of the calls inside OUTERMOST, innermost first. Each call lives
 * on the segment below its own, so none is read after it is freed. */
static void unrecurse__free_inner(unrecurse_stack *s, segment_call *outermost)
{
    segment_call *c = unrecurse__segment_call;

    while (c != outermost) {
        segment_call *outer = c->outer;
        unrecurse__announce_gone(c);
        unrecurse__segment_free(s, c->segment);
        c = outer;
    }
}

void unrecurse_run_on_segment(unrecurse_stack *s, void (*fn)(void *), void *arg,
                              const unrecurse_function *function)
{
    segment_call call;
    ucontext_t ctx;
    char *low = s->native_low;

    call.segment = unrecurse__segment_alloc(s, function);
    if (getcontext(&ctx) != 0) {
        unrecurse__segment_free(s, call.segment);
        unrecurse__raise(s, UNRECURSE_ENOMEM, function, NULL, 0);
    }
    call.fn = fn;
    call.arg = arg;
    call.outer = unrecurse__segment_call;
    call.failed = 0;
    ctx.uc_stack.ss_sp = call.segment;
    ctx.uc_stack.ss_size = SEGMENT_SIZE;
    ctx.uc_link = &call.back;
    makecontext(&ctx, unrecurse__segment_entry, 0);
    s->native_low = call.segment + SEGMENT_MARGIN;
    unrecurse__segment_call = &call;
    unrecurse__native_refresh(s);
    unrecurse__announce_enter(&call);
    swapcontext(&call.back, &ctx);
    unrecurse__announce_back(&call);
    if (call.failed)
        unrecurse__free_inner(s, &call);
    unrecurse__segment_call = call.outer;
    s->native_low = low;
    unrecurse__native_refresh(s);
    unrecurse__announce_gone(&call);
    unrecurse__segment_free(s, call.segment);
    if (call.failed)
        unrecurse__handle(s, &call.error);
}

size_t unrecurse__segments(void)
{
    const segment_call *c;
    size_t n = 0;

    for (c = unrecurse__segment_call; c; c = c->outer)
        n++;
    return n;
}

void unrecurse__leave_segments(const unrecurse_error *err)
{
    segment_call *c = unrecurse__segment_call;

    if (!c)
        return;
    while (c->outer)
        c = c->outer;
    c->error = *err;
    c->failed = 1;
    unrecurse__announce_leave(c);
    setcontext(&c->back);
    abort(); /* setcontext does not fail on a context getcontext made */
}
