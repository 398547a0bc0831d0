/*
 * task.c - queues of tasks: calls of rewritten functions that run a few
 * steps at a time, interleaved, on frames of their own.
 *
 * A task is its own frame stack (an unrecurse_stack, the same chunks as a
 * thread's), its arguments or pending return value (the state, laid out
 * by the generated code), and where its state machine resumes. The
 * machine, PREFIX__task (generated), runs from there, counting a step on
 * every call and every return (unrecurse__task_tick, inline); when the
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
    if (!t) {
        unrecurse_error err = {UNRECURSE_ENOMEM, "UNRECURSE_START", 0, 0, 0, 0};
        unrecurse__handle(unrecurse_stack_get(), &err);
    }
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
    unrecurse_task *t = unrecurse__task_alloc(q, desc->state_size);

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

void unrecurse__task_failed(unrecurse_task *t)
{
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

/* Runs T for at most STEPS steps; returns the steps taken. */
static size_t unrecurse__turn(unrecurse_queue *q, unrecurse_task *t, size_t steps)
{
    t->left = steps;
    if (t->desc->run(t)) {
        const unrecurse__task_desc *d = t->desc;
        t->status = TASK_DONE;
        q->unfinished--;
        if (t->result && d->result_size)
            memcpy(t->result, (char *)t->state + d->result_offset, d->result_size);
        unrecurse__task_release(t);
    }
    return steps - t->left;
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
