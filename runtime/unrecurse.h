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
    struct unrecurse_task *task; /* the task whose frames these are, or NULL
                                  * for a thread's */
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

/* Written by the tool before a member of every loop of calls of a cycle
 * that runs natively first. gcc (12 at -O2) inlines mutually recursive
 * functions into copies of each other while their arguments are known at
 * many call sites, and the rewritten members, each with its state
 * machine's entry, make it clone far more: minutes and gigabytes for a
 * file whose original compiles in seconds. With a member of every loop
 * kept out of line, no member is inlined into itself (bench/cost.sh
 * cycle: the cost). Define UNRECURSE_INLINE_CYCLES to leave the choice to
 * the compiler. */
#if defined(__GNUC__) && !defined(__clang__) && !defined(UNRECURSE_INLINE_CYCLES)
#define UNRECURSE__NOINLINE __attribute__((__noinline__))
#else
#define UNRECURSE__NOINLINE
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

/* ---- tasks ------------------------------------------------------------
 *
 * A call of a rewritten function can be started as a task of a queue
 * instead of called: it runs only when the queue runs it, a bounded number
 * of steps at a time, on frames of its own, so that several deep
 * computations interleave on one thread and one that takes too long can be
 * cancelled. A step is a call of the function or a return from one. What
 * the task's function calls that is not itself (other functions, rewritten
 * or not, and anything they call) runs to completion within the step that
 * calls it. A queue, and its tasks, belong to one thread at a time.
 *
 *     unrecurse_queue *q = unrecurse_queue_new();
 *     long r;
 *     unrecurse_task *t = UNRECURSE_START(q, &r, depth(tree));
 *     while (unrecurse_queue_run(q, 1000) > 0)
 *         ...other work...
 *     if (unrecurse_task_done(t)) printf("%ld\n", r);
 *     unrecurse_queue_free(q);
 *
 * Built without the tool, UNRECURSE_START makes the call at once and
 * returns a task that is done: the same results. With the tool, the
 * function started must be one it rewrites, in the same file, whose
 * definition begins before the UNRECURSE_START, and whose cycle has no
 * static local (a task runs a copy of the cycle's bodies). */

typedef struct unrecurse_queue unrecurse_queue;
typedef struct unrecurse_task unrecurse_task;

/* What the tool emits for a function that is started as a task. */
typedef struct unrecurse__task_desc {
    int (*run)(unrecurse_task *t); /* its state machine, for t->left steps:
                                    * 1 when the call has returned */
    size_t state_size;             /* of its arguments and result */
    size_t result_offset, result_size; /* the result, in the state */
} unrecurse__task_desc;

/* Where a suspended task resumes. */
enum { UNRECURSE__AT_START, UNRECURSE__AT_ENTER, UNRECURSE__AT_RETURN };

/* A task. Fields are private; they are in the header so that a step can
 * be counted inline in generated code. */
struct unrecurse_task {
    unrecurse_stack stack;            /* its frames */
    const unrecurse__task_desc *desc;
    void *state;                      /* arguments at entry, or the value
                                       * being returned */
    void *result;                     /* where the result goes, or NULL */
    void *root;                       /* its outermost frame, if any */
    size_t left;                      /* steps left in this turn (the
                                       * machine keeps it in a local and
                                       * writes it back when it returns) */
    int stop;                         /* end the turn at the next step (a
                                       * generator's batch is full) */
    size_t steps;                     /* steps taken, up to this turn */
    int at;                           /* UNRECURSE__AT_* */
    int status;                       /* running, done or cancelled */
    unrecurse_queue *queue;
    unrecurse_task *next, *prev;      /* in its queue, in start order */
};

/* A new, empty queue; NULL if out of memory. */
unrecurse_queue *unrecurse_queue_new(void);

/* Frees QUEUE and every task of it not freed yet, finished or not: an
 * unfinished one is cancelled. */
void unrecurse_queue_free(unrecurse_queue *queue);

/* Runs the unfinished tasks of QUEUE, round robin in the order they were
 * started, each for a turn of at most the queue's quantum steps, until
 * STEPS steps in all have been taken or every task has finished. Tasks
 * started meanwhile (by the tasks' functions) join the round. Returns how
 * many tasks are left unfinished. */
size_t unrecurse_queue_run(unrecurse_queue *queue, size_t steps);

/* Sets the steps of a turn (at least 1; 64 by default); returns the
 * previous value. */
size_t unrecurse_queue_set_quantum(unrecurse_queue *queue, size_t steps);

/* Has TASK finished, its result written? (A cancelled task has not.) */
int unrecurse_task_done(const unrecurse_task *task);

/* The steps TASK has taken (during its own turn: up to that turn). */
size_t unrecurse_task_steps(const unrecurse_task *task);

/* Stops TASK for good, if it has not finished: it will not run again, its
 * result is not written, and its frames are freed at once, chunk by chunk
 * (not frame by frame). */
void unrecurse_task_cancel(unrecurse_task *task);

/* Cancels TASK if need be, takes it out of its queue and frees it. */
void unrecurse_task_free(unrecurse_task *task);

/* For generated code and the macros below. */
void unrecurse__task_begin(unrecurse_queue *queue, void *result);
unrecurse_task *unrecurse__task_new(const unrecurse__task_desc *desc);
unrecurse_task *unrecurse__task_ran(unrecurse_queue *queue);

/* Is T's turn over, LEFT steps left in it? Else the machine counts the
 * step (LEFT--). */
#define unrecurse__task_over(t, left) ((left) == 0 || (t)->stop)

/* Suspends T, LEFT steps left in its turn: it resumes at AT. Returns 0,
 * for the state machine to return. */
UNRECURSE__INLINE int unrecurse__task_suspend(unrecurse_task *t, int at, size_t left)
{
    t->at = at;
    t->left = left;
    return 0;
}

/* UNRECURSE_START(QUEUE, RESULT, CALL): starts CALL, a call of a rewritten
 * function written as usual (`depth(tree)`), as a task of QUEUE, and
 * returns the task. When it finishes, its value goes to *RESULT, which
 * must have the function's return type. UNRECURSE_START_VOID(QUEUE, CALL)
 * is the same for a function returning void, or a result not wanted. */
/* A compile error naming the rule, unless *RESULT has CALL's type; then
 * nothing but a comma (GNU C: gcc, clang; other compilers: no check). */
#if defined(__GNUC__)
#define UNRECURSE__SAME_TYPE(result, call)                                        \
    (void)sizeof(struct {                                                         \
        int UNRECURSE_START_result_must_have_the_return_type_of_the_call          \
            : __builtin_types_compatible_p(__typeof__(*(result)),                 \
                                           __typeof__(call)) ? 1 : -1;            \
    }),
#else
#define UNRECURSE__SAME_TYPE(result, call)
#endif
#if defined(UNRECURSE__TASKS) /* in the tool's output */
#define UNRECURSE_START(queue, result, call)                                      \
    (UNRECURSE__SAME_TYPE(result, call) unrecurse__task_begin((queue), (result)),   \
     unrecurse__start_##call)
#define UNRECURSE_START_VOID(queue, call)                                         \
    (unrecurse__task_begin((queue), NULL), unrecurse__start_##call)
#elif defined(UNRECURSE_TOOL) /* read by the tool: the call is not made here */
#define UNRECURSE_START(queue, result, call)                                      \
    (UNRECURSE__SAME_TYPE(result, call) unrecurse__task_ran(queue))
#define UNRECURSE_START_VOID(queue, call) ((void)sizeof((call), 0), unrecurse__task_ran(queue))
#else /* without the tool: the call is made at once */
#define UNRECURSE_START(queue, result, call) (*(result) = (call), unrecurse__task_ran(queue))
#define UNRECURSE_START_VOID(queue, call) ((void)(call), unrecurse__task_ran(queue))
#endif

/* ---- generators -------------------------------------------------------
 *
 * UNRECURSE_YIELD(EXPR) in a function hands the value of EXPR to whoever
 * consumes its values, and goes on. Started as a generator,
 *
 *     unrecurse_gen *g = UNRECURSE_GEN(long, inorder(root));
 *     long key;
 *     while (unrecurse_gen_next(g, &key))
 *         if (key > limit) break;
 *     unrecurse_gen_free(g);
 *
 * the function runs as a task whose values the consumer pulls: it runs
 * only when a value is wanted, until it has yielded a batch of them (64 by
 * default; unrecurse_gen_set_batch) and reaches its next call or return,
 * where it stops; freeing the generator early frees its frames. The cost
 * of a value does not grow with the depth of the recursion.
 *
 * Built without the tool (or when the function is called directly, not
 * as a generator), UNRECURSE_YIELD hands each value to the thread's
 * callback (unrecurse_yield_to), push style; and UNRECURSE_GEN runs the
 * call at once, the values it yields kept for unrecurse_gen_next: the
 * same values, in the same order, from the same source.
 *
 * TYPE is the type of the values the function yields (they are checked
 * by size: a value of another size stops the program with a message).
 * With the tool, the function must be one it could start as a task (see
 * UNRECURSE_START). The
 * values yielded between two steps (calls or returns) of the function are
 * kept until taken, so a loop yielding many values without a call keeps
 * them all. Needs a compiler with __typeof__ (gcc, clang). */

typedef struct unrecurse_gen unrecurse_gen;

/* Takes the generator's next value into *VALUE (TYPE's size): 1, or 0
 * when the function has returned and every value has been taken. */
int unrecurse_gen_next(unrecurse_gen *gen, void *value);

/* Frees GEN, stopping its function if it has not returned (its frames
 * freed at once). */
void unrecurse_gen_free(unrecurse_gen *gen);

/* How many values the function may yield ahead of the consumer before it
 * stops (at its next call or return), at least 1; returns the previous
 * value. 1 runs it exactly as far as the values taken need. */
size_t unrecurse_gen_set_batch(unrecurse_gen *gen, size_t values);

/* The push side: FN(VALUE, SIZE, DATA) receives every value the calling
 * thread's functions yield outside a generator (NULL: values are
 * dropped, the default). Returns the previous callback. */
typedef void (*unrecurse_yield_fn)(const void *value, size_t size, void *data);
unrecurse_yield_fn unrecurse_yield_to(unrecurse_yield_fn fn, void *data);

/* For the macros. */
void unrecurse__yield(const void *value, size_t size);
unrecurse_gen *unrecurse__gen_new(size_t size, unrecurse_task *task);
void unrecurse__gen_collect(size_t size);
unrecurse_gen *unrecurse__gen_collected(void);

#if defined(UNRECURSE_TOOL) && !defined(UNRECURSE__TASKS)
/* Read by the tool: a call it need not look into, and no call made. */
void unrecurse__yield_parse();
#define UNRECURSE_YIELD(expr) unrecurse__yield_parse(expr)
#define UNRECURSE_GEN(type, call) ((void)sizeof((call), (type *)0), unrecurse__gen_collected())
#else
#define UNRECURSE_YIELD(expr)                                                     \
    do {                                                                          \
        __typeof__(expr) unrecurse__value = (expr);                               \
        unrecurse__yield(&unrecurse__value, sizeof unrecurse__value);             \
    } while (0)
#if defined(UNRECURSE__TASKS)
#define UNRECURSE_GEN(type, call)                                                 \
    unrecurse__gen_new(sizeof(type), (unrecurse__task_begin(NULL, NULL),          \
                                      unrecurse__start_##call))
#else
#define UNRECURSE_GEN(type, call)                                                 \
    (unrecurse__gen_collect(sizeof(type)), (void)(call), unrecurse__gen_collected())
#endif
#endif

/* Prints the heap frames of the calling thread to OUT (stderr if NULL),
 * innermost first: for each suspended call its function, and the file,
 * line and text of the call it waits on. Repeats are folded: a frame, or
 * a sequence of up to 8 frames, that repeats is printed once, followed by
 * how many more times it repeats (`... 999,990 more frames: the frame
 * above, 999,990 more times ...`). Runs are separated where a rewritten
 * call went through code that was not rewritten. Callable from a
 * debugger: `call unrecurse_backtrace(0)` in gdb. Frames the native part
 * of a native-first function keeps on the native stack are the
 * debugger's own backtrace. Called during a task's turn (tasks, below),
 * it shows the task's frames first. Allocates memory for the frames it shows
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
