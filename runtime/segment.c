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
 * A handler that longjmps out of a run on a segment (unrecurse_error_fn)
 * leaves that segment allocated, and s->native_low at that segment's bound
 * rather than the bound of the stack it jumps back to; the frame stack
 * itself is consistent.
 */
#define _GNU_SOURCE
#include "private.h"

#include <pthread.h>
#include <stdlib.h>
#include <ucontext.h>

enum {
    SEGMENT_SIZE = 256 * 1024,  /* native stack of one segment */
    SEGMENT_MARGIN = 32 * 1024  /* left for the code between two checks */
};

/* The call a new segment starts with. makecontext passes only ints, so the
 * segment's entry finds its call through this thread's pointer. */
typedef struct segment_call {
    void (*fn)(void *);
    void *arg;
    ucontext_t back;
} segment_call;

static _Thread_local segment_call *unrecurse__segment_call;

void unrecurse__native_init(unrecurse_stack *s)
{
    pthread_attr_t attr;
    void *addr;
    size_t size;

    s->native_low = NULL; /* unknown: never switch */
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
        size_t margin = SEGMENT_MARGIN < size / 2 ? SEGMENT_MARGIN : size / 2;
        s->native_low = (char *)addr + margin;
    }
    pthread_attr_destroy(&attr);
}

static void unrecurse__segment_entry(void)
{
    segment_call *c = unrecurse__segment_call;
    c->fn(c->arg);
    /* Returning resumes c->back, through uc_link. */
}

void unrecurse_run_on_segment(unrecurse_stack *s, void (*fn)(void *), void *arg)
{
    segment_call call, *outer = unrecurse__segment_call;
    ucontext_t ctx;
    char *low = s->native_low;
    char *segment = malloc(SEGMENT_SIZE);

    if (!segment || getcontext(&ctx) != 0) {
        free(segment);
        unrecurse__raise(s, UNRECURSE_ENOMEM, NULL, NULL, 0);
    }
    call.fn = fn;
    call.arg = arg;
    ctx.uc_stack.ss_sp = segment;
    ctx.uc_stack.ss_size = SEGMENT_SIZE;
    ctx.uc_link = &call.back;
    makecontext(&ctx, unrecurse__segment_entry, 0);
    s->native_low = segment + SEGMENT_MARGIN;
    unrecurse__segment_call = &call;
    swapcontext(&call.back, &ctx);
    unrecurse__segment_call = outer;
    s->native_low = low;
    free(segment);
}
