/*
 * task.c - queues of tasks: calls of rewritten functions that run a few
 * steps at a time, interleaved, on frames of their own.
 *
 * A task is its own frame stack (an unrecurse_stack, the same chunks as a
 * thread's), its arguments or pending return value (the state, laid out
 * by the generated code), and where its state machine resumes. The
 * machine, PREFIX__task (generated), runs from there, counting a step on
 * every call and every return (unrecurse__task_over, on a local copy of
 * the steps left, written back when it returns); when the
 * turn's steps are used, it saves the parameters (at a call) or the value
 * (at a return) into the state and returns. Everything else that outlives
 * a call is already in the task's frames, so nothing on the native stack
 * has to survive the suspension.
 *
 * A queue is a doubly linked list of its tasks in start order, and a
 * cursor: the task whose turn is next. Cancelling frees a task's chunks
 * (one free per chunk, not per frame).
 */
#include "unrecurse.h"
#include "private.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TASK_RUNNING, TASK_DONE, TASK_CANCELLED };

#define UNRECURSE__QUANTUM 64

struct unrecurse_queue {
    unrecurse_task *first, *last;
    unrecurse_task *next_turn; /* the task whose turn is next, or NULL: the first */
    size_t unfinished;
    size_t quantum;
};

/* What UNRECURSE_START said, for the start function it calls next. */
static _Thread_local struct {
    unrecurse_queue *queue;
    void *result;
} unrecurse__pending;

/* The task whose turn it is on this thread (for unrecurse_backtrace). */
static _Thread_local unrecurse_task *unrecurse__running;

/* No memory for what WHAT (a macro's name) needed: the thread's handler,
 * then the default one, which aborts. */
static _Noreturn void unrecurse__no_memory(const char *what)
{
    unrecurse_error err = {UNRECURSE_ENOMEM, what, 0, 0, 0, 0};
    unrecurse__handle(unrecurse_stack_get(), &err);
}

unrecurse_queue *unrecurse_queue_new(void)
{
    unrecurse_queue *q = calloc(1, sizeof *q);
    if (q)
        q->quantum = UNRECURSE__QUANTUM;
    return q;
}

size_t unrecurse_queue_set_quantum(unrecurse_queue *q, size_t steps)
{
    size_t old = q->quantum;
    q->quantum = steps ? steps : 1;
    return old;
}

/* Frees every chunk of T's frames. */
static void unrecurse__task_release(unrecurse_task *t)
{
    unrecurse__chunk *c = t->stack.chunk;
    while (c) {
        unrecurse__chunk *prev = c->prev;
        free(c);
        c = prev;
    }
    free(t->stack.spare);
    t->stack.chunk = t->stack.spare = NULL;
    t->stack.top = t->stack.end = t->stack.base = NULL;
    t->stack.runs = NULL;
    t->stack.reserved = 0;
}

static unrecurse_task *unrecurse__task_alloc(unrecurse_queue *q, size_t state_size)
{
    /* The state follows the task, aligned for anything. */
    size_t head = (sizeof(unrecurse_task) + 15) & ~(size_t)15;
    unrecurse_task *t = calloc(1, head + state_size);
    if (!t)
        unrecurse__no_memory("UNRECURSE_START");
    t->state = (char *)t + head;
    t->queue = q;
    t->prev = q->last;
    if (q->last)
        q->last->next = t;
    else
        q->first = t;
    q->last = t;
    return t;
}

void unrecurse__task_begin(unrecurse_queue *queue, void *result)
{
    unrecurse__pending.queue = queue;
    unrecurse__pending.result = result;
}

unrecurse_task *unrecurse__task_new(const unrecurse__task_desc *desc)
{
    unrecurse_queue *q = unrecurse__pending.queue;
    unrecurse_stack *thread = unrecurse_stack_get();
    unrecurse_task *t;

    if (!q && !(q = unrecurse_queue_new())) /* a generator's: its own */
        unrecurse__no_memory("UNRECURSE_GEN");
    t = unrecurse__task_alloc(q, desc->state_size);

    t->desc = desc;
    t->result = unrecurse__pending.result;
    t->status = TASK_RUNNING;
    t->at = UNRECURSE__AT_START;
    /* Its frames count against the thread's limit, and errors go to the
     * thread's handler. */
    t->stack.task = t;
    t->stack.limit = thread->limit;
    t->stack.handler = thread->handler;
    t->stack.handler_data = thread->handler_data;
    q->unfinished++;
    return t;
}

unrecurse_task *unrecurse__task_ran(unrecurse_queue *queue)
{
    unrecurse_task *t = unrecurse__task_alloc(queue, 0);
    t->status = TASK_DONE;
    return t;
}

int unrecurse_task_done(const unrecurse_task *t)
{
    return t->status == TASK_DONE;
}

size_t unrecurse_task_steps(const unrecurse_task *t)
{
    return t->steps;
}

void unrecurse_task_cancel(unrecurse_task *t)
{
    if (t->status != TASK_RUNNING)
        return;
    t->status = TASK_CANCELLED;
    t->queue->unfinished--;
    unrecurse__task_release(t);
}

static void unrecurse__gen_failed(unrecurse_task *t);

void unrecurse__task_failed(unrecurse_task *t)
{
    unrecurse__gen_failed(t);
    unrecurse__running = NULL; /* the handler leaves every turn */
    unrecurse_task_cancel(t);
}

void unrecurse_task_free(unrecurse_task *t)
{
    unrecurse_queue *q = t->queue;
    unrecurse_task_cancel(t);
    if (q->next_turn == t)
        q->next_turn = t->next;
    if (t->prev)
        t->prev->next = t->next;
    else
        q->first = t->next;
    if (t->next)
        t->next->prev = t->prev;
    else
        q->last = t->prev;
    free(t);
}

void unrecurse_queue_free(unrecurse_queue *q)
{
    if (!q)
        return;
    while (q->first)
        unrecurse_task_free(q->first);
    free(q);
}

unrecurse_task *unrecurse__task_running(void)
{
    return unrecurse__running;
}

/* Runs T for at most STEPS steps; returns the steps taken. */
static size_t unrecurse__turn(unrecurse_queue *q, unrecurse_task *t, size_t steps)
{
    unrecurse_task *outer = unrecurse__running; /* a turn may run in a turn */
    int done;

    t->left = steps;
    t->stop = 0;
    unrecurse__running = t;
    done = t->desc->run(t);
    unrecurse__running = outer;
    steps -= t->left; /* taken */
    t->steps += steps;
    if (done) {
        const unrecurse__task_desc *d = t->desc;
        t->status = TASK_DONE;
        q->unfinished--;
        if (t->result && d->result_size)
            memcpy(t->result, (char *)t->state + d->result_offset, d->result_size);
        unrecurse__task_release(t);
    }
    return steps;
}

size_t unrecurse_queue_run(unrecurse_queue *q, size_t steps)
{
    while (steps > 0 && q->unfinished > 0) {
        unrecurse_task *t = q->next_turn ? q->next_turn : q->first;
        q->next_turn = t->next;
        if (t->status != TASK_RUNNING)
            continue;
        steps -= unrecurse__turn(q, t, steps < q->quantum ? steps : q->quantum);
    }
    return q->unfinished;
}

/* ---- generators ---------------------------------------------------------
 *
 * A generator is a task of its own queue and a queue of values, in bytes:
 * while it runs, the thread's yield callback is the generator's, which
 * keeps each value and, once a batch is kept, ends the task's turn (left =
 * 0), so that it stops at its next call or return, where a task can.
 * Without the tool the call runs at once with that callback: the values
 * are all kept before the first is taken.
 */

struct unrecurse_gen {
    unrecurse_task *task;   /* NULL: the values were collected at once */
    unrecurse_queue *queue; /* the task's own */
    size_t size;            /* of a value */
    size_t batch;
    char *values;           /* values [first, first + count), SIZE bytes each */
    size_t first, count, cap;
    unrecurse_yield_fn saved_fn; /* the callback it replaced, while it runs */
    void *saved_data;
};

#define UNRECURSE__BATCH 64

static _Thread_local struct {
    unrecurse_yield_fn fn;
    void *data;
} unrecurse__sink;

unrecurse_yield_fn unrecurse_yield_to(unrecurse_yield_fn fn, void *data)
{
    unrecurse_yield_fn old = unrecurse__sink.fn;
    unrecurse__sink.fn = fn;
    unrecurse__sink.data = fn ? data : NULL;
    return old;
}

void unrecurse__yield(const void *value, size_t size)
{
    if (unrecurse__sink.fn)
        unrecurse__sink.fn(value, size, unrecurse__sink.data);
}

/* Copies a value of SIZE bytes: the usual sizes as constants, which the
 * compiler turns into a load and a store instead of a call of memcpy. */
static inline void unrecurse__copy(void *to, const void *from, size_t size)
{
    switch (size) {
    case 8:
        memcpy(to, from, 8);
        break;
    case 4:
        memcpy(to, from, 4);
        break;
    case 16:
        memcpy(to, from, 16);
        break;
    default:
        memcpy(to, from, size);
        break;
    }
}

/* The generator's yield callback: keeps VALUE. */
static void unrecurse__gen_put(const void *value, size_t size, void *data)
{
    unrecurse_gen *g = data;
    if (size != g->size) {
        fprintf(stderr,
                "unrecurse: UNRECURSE_YIELD gave a value of %zu bytes to a generator of "
                "%zu-byte values (UNRECURSE_GEN's TYPE)\n",
                size, g->size);
        abort();
    }
    if (g->first + g->count == g->cap) {
        if (g->first > 0) { /* room at the front: move down */
            memmove(g->values, g->values + g->first * size, g->count * size);
            g->first = 0;
        } else {
            size_t cap = g->cap ? 2 * g->cap : 64;
            char *v = realloc(g->values, cap * size);
            if (!v)
                unrecurse__no_memory("UNRECURSE_GEN");
            g->values = v;
            g->cap = cap;
        }
    }
    unrecurse__copy(g->values + (g->first + g->count) * size, value, size);
    g->count++;
    if (g->task && g->count >= g->batch)
        g->task->stop = 1; /* stop at the next call or return */
}

static void unrecurse__gen_attach(unrecurse_gen *g)
{
    g->saved_fn = unrecurse__sink.fn;
    g->saved_data = unrecurse__sink.data;
    unrecurse__sink.fn = unrecurse__gen_put;
    unrecurse__sink.data = g;
}

static void unrecurse__gen_detach(unrecurse_gen *g)
{
    unrecurse__sink.fn = g->saved_fn;
    unrecurse__sink.data = g->saved_data;
}

/* T failed, and the error handler may leave unrecurse_gen_next by a
 * longjmp: if T is the generator running, its callback goes. */
static void unrecurse__gen_failed(unrecurse_task *t)
{
    if (unrecurse__sink.fn == unrecurse__gen_put &&
        ((unrecurse_gen *)unrecurse__sink.data)->task == t)
        unrecurse__gen_detach(unrecurse__sink.data);
}

static unrecurse_gen *unrecurse__gen_alloc(size_t size)
{
    unrecurse_gen *g = calloc(1, sizeof *g);
    if (!g)
        unrecurse__no_memory("UNRECURSE_GEN");
    g->size = size;
    g->batch = UNRECURSE__BATCH;
    return g;
}

unrecurse_gen *unrecurse__gen_new(size_t size, unrecurse_task *task)
{
    unrecurse_gen *g = unrecurse__gen_alloc(size);
    g->task = task;
    g->queue = task->queue;
    return g;
}

void unrecurse__gen_collect(size_t size)
{
    unrecurse__gen_attach(unrecurse__gen_alloc(size));
}

unrecurse_gen *unrecurse__gen_collected(void)
{
    unrecurse_gen *g = unrecurse__sink.data;
    unrecurse__gen_detach(g);
    return g;
}

size_t unrecurse_gen_set_batch(unrecurse_gen *g, size_t values)
{
    size_t old = g->batch;
    g->batch = values ? values : 1;
    return old;
}

int unrecurse_gen_next(unrecurse_gen *g, void *value)
{
    if (g->count == 0 && g->task && g->task->status == TASK_RUNNING) {
        unrecurse__gen_attach(g);
        while (g->count == 0 && g->task->status == TASK_RUNNING)
            unrecurse__turn(g->queue, g->task, SIZE_MAX);
        unrecurse__gen_detach(g);
    }
    if (g->count == 0)
        return 0;
    unrecurse__copy(value, g->values + g->first * g->size, g->size);
    g->first++;
    if (--g->count == 0)
        g->first = 0;
    return 1;
}

void unrecurse_gen_free(unrecurse_gen *g)
{
    if (!g)
        return;
    if (g->queue)
        unrecurse_queue_free(g->queue);
    free(g->values);
    free(g);
}
