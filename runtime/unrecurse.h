/*
 * unrecurse.h - public interface of libunrecurse, the runtime that runs the
 * heap frames of functions rewritten by the unrecurse tool.
 *
 * A rewritten function keeps its name and signature, and its own body,
 * which runs natively while the thread's native stack is within its
 * native budget (see "Native first" below). Past it, the call runs the
 * function's state machine, whose activation records ("frames") live in a
 * per-thread frame stack made of chunks on the heap: frames never move
 * once pushed, so pointers to their locals stay valid, and recursion depth
 * is bounded by the frame-memory limit instead of the native stack.
 *
 * Annotate the functions to rewrite with UNRECURSE. Without the tool the
 * macro expands to nothing and the file builds as ordinary recursive C.
 *
 * Naming: unrecurse_* is public API; unrecurse__* is private to the runtime
 * and to generated code, and may change between versions.
 */
#ifndef UNRECURSE_H
#define UNRECURSE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef UNRECURSE_TOOL
#define UNRECURSE __attribute__((annotate("unrecurse")))
#else
#define UNRECURSE
#endif

#define UNRECURSE_VERSION "0.1.0"

/* The header also serves C89 code built without the tool. */
#if defined(__GNUC__)
#define UNRECURSE__INLINE static __inline__
#elif defined(__cplusplus) || (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L)
#define UNRECURSE__INLINE static inline
#else
#define UNRECURSE__INLINE static
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Static description of a rewritten function, emitted by the tool. */
typedef struct unrecurse_function {
    const char *name;  /* the function's name in the user's source */
    const char *file;  /* the source file it was rewritten from */
    size_t frame_size; /* of its frames (UNRECURSE_FRAME_SIZE), 0 if it has
                        * none: reports estimate depths with it */
} unrecurse_function;

/* The head of a frame linked to its caller's frame (NULL for the outermost
 * frame of a run), for code that links its frames: given such a frame as
 * unrecurse_push's CALLER, the runtime counts the depth of a failed push
 * through the links. The frames the tool generates have no link: a frame
 * holds only what outlives a call, and the caller's frame is found below
 * it from its size (unrecurse_pop_to, unrecurse_top); they pass NULL. */
typedef struct unrecurse_frame {
    struct unrecurse_frame *caller;
} unrecurse_frame;

typedef enum unrecurse_status {
    UNRECURSE_OK = 0,
    UNRECURSE_ELIMIT = -1, /* the frame-memory limit would be exceeded */
    UNRECURSE_ENOMEM = -2  /* the allocator failed */
} unrecurse_status;

/* What went wrong, handed to the error handler. An error is a frame that
 * could not be pushed, or the native stack segment a nested run needed
 * (see unrecurse_run_on_segment): the limit and the allocator serve both. */
typedef struct unrecurse_error {
    unrecurse_status status;
    const char *function; /* the function whose frame could not be pushed, or
                           * whose nested run could not start: "?" if unknown */
    size_t depth;         /* frames on the stack when it failed, the one
                           * that failed included: those of its run, or an
                           * estimate (see unrecurse_push); for a segment,
                           * the frames below it, estimated from FUNCTION's
                           * frame size (0 if it has no frames) */
    size_t limit;         /* the frame-memory limit in bytes */
    size_t reserved;      /* bytes held when it failed: frames and segments */
    size_t segment;       /* the native stack segment the run was on: 0 for
                           * the thread's own stack, N for the Nth segment of
                           * nested runs (calls through function pointers or
                           * code not rewritten); when the segment was the
                           * error, the number it would have had */
} unrecurse_error;

/* Called when a frame cannot be pushed, or a nested run's native stack
 * segment cannot be had. The default handler prints the error to stderr
 * and aborts, leaving the frames in place for a debugger. A handler must
 * not return (if it does, the default handler runs): it may abort or exit,
 * or longjmp to a recovery point outside every rewritten call. Before an
 * installed handler runs, the thread's frame stack is emptied: every frame
 * of every rewritten call active on the thread is discarded. And if the error was raised in a nested run on a native stack
 * segment (unrecurse_run_on_segment), the thread first returns to its own
 * stack, to where its outermost segment was entered: the handler runs
 * there, every segment freed and the thread's stack bound restored. So
 * after the longjmp nothing needs cleaning up, no frame memory stays held
 * beyond one cached chunk, no segment stays held, and new calls, deep
 * nested runs included, may start. For the same reason the handler must
 * not touch those frames (nor locals of rewritten functions through
 * pointers, nor anything on a segment), and the recovery point must be on
 * the thread's own stack (a setjmp made inside a nested run may be on a
 * segment); but the handler may call rewritten functions itself. */
typedef void (*unrecurse_error_fn)(const unrecurse_error *err, void *data);

/* Where a call is pending in a heap frame: one entry per resume point of a
 * group (a rewritten function alone, or a cycle of them), emitted by the
 * tool, for unrecurse_backtrace. */
typedef struct unrecurse_site {
    const char *call;      /* the call's text in the source, shortened */
    unsigned line;         /* its line in the file of the function making
                            * it; 0: no resume point has this number */
    unsigned short caller; /* the member of the group making the call */
    unsigned short callee; /* the member it calls */
} unrecurse_site;

/* Static description of the frames of a group, emitted by the tool. The
 * frames come in two layouts:
 *  - a frame per pending call (per_activation 0, a function alone): the
 *    caller's frame, pushed when it calls, holding its return_to at
 *    return_to_offset;
 *  - a frame per activation (per_activation 1), pushed on entry and popped
 *    on return: the frame of a callee holds its caller's return_to at
 *    offset 0 (the root frame's is not set), and, in a cycle where a
 *    member may tail-call another, the member it belongs to (an unsigned
 *    char at member_offset; without it a frame belongs to the callee of
 *    its site, or to the run's entry for the root).
 * A group with a single resume point has no return_to (return_to_size 0):
 * every pending call is at that site. */
typedef struct unrecurse_group {
    const unrecurse_function *const *functions; /* the members */
    const unrecurse_site *sites; /* sites[K] is resume point K */
    unsigned short nsites;       /* entries in sites */
    unsigned char per_activation;
    unsigned char return_to_size;   /* 1, 2 or 4 bytes, or 0 */
    unsigned short return_to_offset;
    short member_offset;            /* or -1 */
} unrecurse_group;

/* The start of a run of a group's state machine (a call that went on heap
 * frames, or any call in heap-only code): pushed on the frame stack below
 * the run's frames, so that the frames can be told apart and read. */
typedef struct unrecurse__run {
    struct unrecurse__run *prev; /* the run below (an outer call) */
    const unrecurse_group *group;
    size_t entry; /* the member the run started with */
    size_t unused; /* frames stay 16-byte aligned */
} unrecurse__run;

typedef struct unrecurse__chunk unrecurse__chunk;

/* One thread's frame stack. Fields are private; they are in the header
 * only so that push and pop can be inlined into generated code. */
typedef struct unrecurse_stack {
    char *top;              /* first free byte of the current chunk */
    char *end;              /* end of the current chunk's frame space */
    char *base;             /* first frame byte of the current chunk */
    unrecurse__chunk *chunk; /* current chunk (NULL before first use) */
    unrecurse__chunk *spare; /* an empty chunk kept to avoid thrashing */
    size_t reserved;        /* bytes held in chunks in use and spare, and
                             * in native stack segments */
    size_t limit;           /* frame-memory limit in bytes */
    unrecurse_error_fn handler;
    void *handler_data;
    char *native_low;       /* native stack below this: use a new segment */
    char *native_top;       /* the top of the thread's native stack, or
                             * NULL if unknown */
    size_t native_budget;   /* native stack that rewritten functions may
                             * use before they continue on heap frames */
    unrecurse__run *runs;   /* the innermost run, NULL if none */
} unrecurse_stack;

/* Returns the calling thread's frame stack, creating it on first use. It
 * is freed, with all its frames, when the thread exits (the main thread's
 * is left to the system at process exit). Never returns NULL: if it cannot
 * be allocated, the default error handler reports it and aborts. */
unrecurse_stack *unrecurse_stack_get(void);

/* Default frame-memory limit per thread: 1 GiB, or UNRECURSE_LIMIT from
 * the environment, read when the thread's stack is created. The limit
 * counts every byte the runtime holds for the thread: the chunks of
 * frames, and the native stack segments of its nested runs (256 KiB
 * each), so that a runaway recursion through function pointers stops at
 * it too.
 *
 * UNRECURSE_LIMIT is a number of bytes in decimal, optionally followed by
 * K, M, G or T (binary multiples, either case, also written KiB, MiB, GiB,
 * TiB) or by B: 1048576, 64K, 512M, 2GiB. Anything else (64MB, 1.5G,
 * 0x1000000, -1, an empty value, more than SIZE_MAX bytes) is ignored,
 * the default applies, and the runtime says so on stderr, on one line
 * naming the variable and its value, once per process. A limit too small
 * for any frame (UNRECURSE_LIMIT=0 or 1) is valid: the first frame fails,
 * reported as usual with its function. */
#define UNRECURSE_DEFAULT_LIMIT ((size_t)1 << 30)

/* Sets the calling thread's frame-memory limit; returns the previous one.
 * Memory already held is kept: a limit below it makes the next chunk
 * allocation fail. */
size_t unrecurse_set_limit(size_t bytes);

/* Installs the calling thread's error handler (NULL restores the default);
 * returns the previous one. */
unrecurse_error_fn unrecurse_set_error_handler(unrecurse_error_fn fn, void *data);

/* Describes a status code. */
const char *unrecurse_strerror(unrecurse_status status);

/* Bytes of frame memory the calling thread's stack holds now: the chunks
 * in use and the one kept spare, headers included, and the native stack
 * segments of the nested runs it is in. */
size_t unrecurse_reserved(void);

/* Slow paths of push and pop: a new chunk is needed / a chunk was left. */
void *unrecurse__push_chunk(unrecurse_stack *s, size_t size,
                            const unrecurse_function *fn, const void *caller);
void unrecurse__pop_chunk(unrecurse_stack *s);

/* Frame sizes are rounded up to a multiple of 8 bytes, which keeps every
 * frame 8-byte aligned and lets a caller's frame be found from its size. */
#define UNRECURSE_FRAME_SIZE(size) (((size) + 7) & ~(size_t)7)

/* Pushes a frame of SIZE bytes (a multiple of 8, at least
 * sizeof(unrecurse_frame); frames are 8-byte aligned, and 16-byte aligned
 * when every frame size is a multiple of 16) and returns it. FN and CALLER
 * only serve the error report: CALLER is the frame of the caller if frames
 * are linked through unrecurse_frame, or NULL (the depth reported is then
 * the frame bytes in use over SIZE). Never returns NULL: on failure the
 * error handler runs. */
UNRECURSE__INLINE void *unrecurse_push(unrecurse_stack *s, size_t size,
                                   const unrecurse_function *fn, const void *caller)
{
    char *p = s->top;
    if (size > (size_t)(s->end - p))
        return unrecurse__push_chunk(s, size, fn, caller);
    s->top = p + size;
    return p;
}

/* Built with AddressSanitizer? (gcc says so, clang has __has_feature.) */
#if defined(__SANITIZE_ADDRESS__)
#define UNRECURSE__ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNRECURSE__ASAN 1
#endif
#endif

/* Is the native stack nearly used up? Checked when a rewritten function is
 * entered from outside its own state machine (a nested run). */
UNRECURSE__INLINE int unrecurse_native_low(const unrecurse_stack *s)
{
#ifdef UNRECURSE__ASAN
    /* A local whose address is taken may live in one of AddressSanitizer's
     * fake frames, off the native stack (detect_stack_use_after_return);
     * the frame address is on it. */
    return (char *)__builtin_frame_address(0) < s->native_low;
#else
    char here;
    return &here < s->native_low;
#endif
}

/* Native first. A rewritten function runs as the user wrote it, its
 * recursive calls native C calls, for as long as the native stack in use
 * stays within the thread's native budget; a call made beyond that runs
 * on heap frames, and so does every recursive call made from it. The
 * budget counts from the top of the thread's native stack (or of the
 * nested run's segment, where it is at most a quarter of the segment).
 *
 * The default budget is a quarter of the thread's stack size, at most
 * UNRECURSE_DEFAULT_NATIVE_BUDGET, or UNRECURSE_NATIVE_BUDGET from the
 * environment (a size written as for UNRECURSE_LIMIT), read when the
 * thread's stack is created; it is always cut so that 48 KiB of the
 * native stack stay free for the code the heap frames run from. A budget
 * of 0 runs every call on heap frames. If the runtime cannot find the
 * thread's stack, every call runs on heap frames. */
#define UNRECURSE_DEFAULT_NATIVE_BUDGET ((size_t)4 << 20)

/* Sets the calling thread's native budget in bytes; returns the previous
 * one. Calls made after it see it. */
size_t unrecurse_set_native_budget(size_t bytes);

/* Below this address (per thread; the largest address before the thread
 * first uses the runtime) a rewritten function leaves the native stack.
 * Initial-exec: one load from the thread pointer, also in code built with
 * -fPIC (a shared library), where the default model calls __tls_get_addr
 * on every access. */
#if defined(__GNUC__)
extern __thread uintptr_t unrecurse__native_bound __attribute__((tls_model("initial-exec")));
#else
extern __thread uintptr_t unrecurse__native_bound;
#endif

/* Has the native stack passed the native budget? One comparison, made on
 * entry to a rewritten function, kept apart from any call so that the
 * compiler still inlines the function into itself. It may say yes
 * wrongly on a thread's first call: unrecurse_native_confirm says. */
#if defined(__GNUC__)
#define unrecurse_native_over()                                                   \
    __builtin_expect((uintptr_t)__builtin_frame_address(0) < unrecurse__native_bound, 0)
#else
#define unrecurse_native_over() 1
#endif

/* Has the native stack really passed the budget? Asked after
 * unrecurse_native_over said yes: on the thread's first call the runtime
 * finds the thread's stack and sets its bound first. If not, the call
 * runs natively. */
int unrecurse_native_confirm(void);

/* Calls FN(ARG) on a fresh native stack segment from the heap, freed when
 * FN returns, or before an error handler runs (unrecurse_error_fn); see
 * segment.c. The segment counts against the frame-memory limit; if it
 * would exceed it, or cannot be allocated, the error handler runs, with
 * FUNCTION (the rewritten function FN runs; NULL if none) in the report. */
void unrecurse_run_on_segment(unrecurse_stack *s, void (*fn)(void *), void *arg,
                              const unrecurse_function *function);

/* Pops FRAME, the frame pushed last on S, and returns the frame below it,
 * which must be CALLER_SIZE bytes (rounded by UNRECURSE_FRAME_SIZE): code
 * generated without caller links finds its caller's frame this way. */
UNRECURSE__INLINE void *unrecurse_pop_to(unrecurse_stack *s, void *frame, size_t caller_size);

/* Pops FRAME, which must be the frame pushed last on S. */
UNRECURSE__INLINE void unrecurse_pop(unrecurse_stack *s, void *frame)
{
    if ((char *)frame == s->base)
        unrecurse__pop_chunk(s);
    else
        s->top = (char *)frame;
}

UNRECURSE__INLINE void *unrecurse_pop_to(unrecurse_stack *s, void *frame, size_t caller_size)
{
    unrecurse_pop(s, frame);
    return s->top - caller_size;
}

/* The top of S, to compare with later: when S is back at this mark, every
 * frame pushed since has been popped. FN, the function about to push
 * frames, is named in the report should the thread's first chunk (made
 * here) exceed the limit. */
UNRECURSE__INLINE const char *unrecurse_mark(unrecurse_stack *s, const unrecurse_function *fn)
{
    if (!s->base) /* no chunk yet: make the first, so that popping back to
                   * this mark finds the same top */
        unrecurse_pop(s, unrecurse_push(s, 8, fn, NULL));
    return s->top;
}

/* Starts a run of GROUP's state machine at member ENTRY: pushes the run's
 * record, and returns the mark to compare the top with (unrecurse_at_mark)
 * to know when every frame of the run has been popped. */
UNRECURSE__INLINE const char *unrecurse_begin(unrecurse_stack *s, const unrecurse_group *group,
                                              size_t entry)
{
    unrecurse__run *r = (unrecurse__run *)unrecurse_push(s, sizeof(unrecurse__run),
                                                         group->functions[entry], NULL);
    r->prev = s->runs;
    r->group = group;
    r->entry = entry;
    s->runs = r;
    return s->top;
}

/* Ends the innermost run, whose frames have all been popped. */
UNRECURSE__INLINE void unrecurse_end(unrecurse_stack *s)
{
    unrecurse__run *r = s->runs;
    s->runs = r->prev;
    unrecurse_pop(s, r);
}

/* Is S back at MARK, every frame pushed since popped? */
UNRECURSE__INLINE int unrecurse_at_mark(const unrecurse_stack *s, const char *mark)
{
    return s->top == mark;
}

/* The frame pushed last on S, which must be SIZE bytes (rounded by
 * UNRECURSE_FRAME_SIZE). */
UNRECURSE__INLINE void *unrecurse_top(const unrecurse_stack *s, size_t size)
{
    return s->top - size;
}

/* Prints the heap frames of the calling thread to OUT (stderr if NULL),
 * innermost first: for each suspended call its function, and the file,
 * line and text of the call it waits on. Repeats are folded: a frame, or
 * a sequence of up to 8 frames, that repeats is printed once, followed by
 * how many more times it repeats (`... 999,990 more frames: the frame
 * above, 999,990 more times ...`). Runs are separated where a rewritten
 * call went through code that was not rewritten. Callable from a
 * debugger: `call unrecurse_backtrace(0)` in gdb. Frames the native part
 * of a native-first function keeps on the native stack are the
 * debugger's own backtrace. Allocates memory for the frames it shows
 * (4 bytes each), or shows the innermost ones if it cannot. Only the
 * frames of the tool's runs (unrecurse_begin) can be read: frames pushed
 * by hand inside a run show as frames that could not be read. */
void unrecurse_backtrace(FILE *out);

/* Like unrecurse_backtrace, but at most LINES lines of frames, the
 * innermost: the default error handler prints such a top. */
void unrecurse_backtrace_top(FILE *out, size_t lines);

#ifdef __cplusplus
}
#endif

#endif /* UNRECURSE_H */
