/*
 * private.h - what the runtime's modules share and users do not see.
 */
#ifndef UNRECURSE_PRIVATE_H
#define UNRECURSE_PRIVATE_H

#include "unrecurse.h"

struct unrecurse__chunk {
    unrecurse__chunk *prev; /* the chunk below, NULL for the first chunk */
    char *prev_top;         /* prev's top when this chunk was pushed on */
    size_t size;            /* bytes of the whole allocation, header included */
};

#define UNRECURSE__ALIGN 16
#define UNRECURSE__ROUND(n) (((n) + UNRECURSE__ALIGN - 1) & ~(size_t)(UNRECURSE__ALIGN - 1))
#define UNRECURSE__HEADER UNRECURSE__ROUND(sizeof(unrecurse__chunk))

/* The first frame byte of chunk C. */
static inline char *unrecurse__base(const unrecurse__chunk *c)
{
    return (char *)c + UNRECURSE__HEADER;
}

/* The calling thread's stack, or NULL if it has none yet. */
unrecurse_stack *unrecurse__stack_peek(void);

/* unrecurse_backtrace_top, printing nothing at all (QUIET) if the thread
 * has no heap frames (backtrace.c). */
void unrecurse__backtrace(FILE *out, size_t lines, int quiet);

/* The task whose turn it is on the calling thread, or NULL (task.c). */
struct unrecurse_task *unrecurse__task_running(void);

/* An error in T's frames: T is cancelled, its frames freed (task.c). */
void unrecurse__task_failed(struct unrecurse_task *t);

/* Reports STATUS for a frame of FN, FRAME_SIZE bytes, that could not be
 * pushed over CALLER, through the thread's handler (or the default one,
 * which aborts). The depth is found through the caller links or, with no
 * CALLER, estimated as the frame bytes in use over FRAME_SIZE. A
 * FRAME_SIZE of 0 is a native stack segment for a nested run of FN: the
 * depth is then that of the frames below, estimated with FN's frame size. */
_Noreturn void unrecurse__raise(unrecurse_stack *s, unrecurse_status status,
                                const unrecurse_function *fn, const void *caller,
                                size_t frame_size);

/* Hands ERR to the thread's handler, then to the default handler, which
 * aborts, should it return. */
_Noreturn void unrecurse__handle(unrecurse_stack *s, const unrecurse_error *err);

/* Sets s->native_low, native_top and native_budget (*BUDGET, or the
 * default if BUDGET is NULL) for the calling thread's native stack, and
 * its native bound (segment.c). */
void unrecurse__native_init(unrecurse_stack *s, const size_t *budget);

/* The native stack segments the calling thread's nested runs hold now
 * (segment.c). */
size_t unrecurse__segments(void);

/* Called on an error, with a handler to run: if the thread runs on a
 * segment, returns to where its outermost segment was entered, on the
 * thread's own stack, frees every segment, restores the thread's bound and
 * hands ERR to unrecurse__handle there; does not return then. On the
 * thread's own stack, returns at once (segment.c). */
void unrecurse__leave_segments(const unrecurse_error *err);

#endif
