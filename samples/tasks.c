/*
 * tasks.c - a server-like loop that parses several documents as tasks,
 * interleaved, and cancels one that takes too many steps.
 *
 * A document is a tree written with brackets: "[[][[]]]" is a node with
 * two children, the second with one child. parse() reads one node and
 * returns the height of its subtree, recursively. Each document is parsed
 * by a task of its own (UNRECURSE_START); the loop runs the queue 10,000
 * steps at a time, as a server would between polls, and cancels a task
 * that has taken more than its step budget, so that one hostile document
 * (a million brackets deep) neither crashes the server nor keeps the
 * others from finishing.
 *
 * Built without the tool, UNRECURSE_START parses a document at once: the
 * same results for ordinary documents; the hostile one overflows the
 * stack, which is what the tool is for.
 *
 * usage: tasks [hostile]    documents a to e, and with `hostile` one more,
 *                           x, 1,000,000 deep, started second
 *
 * Tested by tests/e2e/tasks.sh (it is not a difftest: the hostile run's
 * output is, by design, not the original's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unrecurse.h>

/* The height of the node at *P (an opening bracket), which it reads. */
UNRECURSE static long parse(const char **p)
{
    long height = 0;
    (*p)++; /* '[' */
    while (**p == '[') {
        long child = parse(p);
        if (child + 1 > height)
            height = child + 1;
    }
    if (**p == ']')
        (*p)++;
    return height;
}

/* A document DEPTH nodes deep, with a sibling at every level: "[[...][]][]". */
static char *nested(long depth)
{
    char *text = malloc((size_t)depth * 4 + 1), *w = text;
    long i;
    for (i = 0; i < depth; i++)
        *w++ = '[';
    for (i = 0; i < depth; i++) {
        *w++ = ']';
        if (i + 1 < depth) {
            *w++ = '[';
            *w++ = ']';
        }
    }
    *w = '\0';
    return text;
}

#define DOCUMENTS 6
#define BUDGET 200000 /* steps a document may take */

int main(int argc, char **argv)
{
    static const long depths[DOCUMENTS - 1] = {3, 1000, 20, 5000, 1};
    int hostile = argc > 1 && strcmp(argv[1], "hostile") == 0;
    char *text[DOCUMENTS], name[DOCUMENTS];
    const char *cursor[DOCUMENTS];
    long height[DOCUMENTS];
    unrecurse_task *task[DOCUMENTS];
    unrecurse_queue *queue = unrecurse_queue_new();
    int n = 0, i;

    if (!queue)
        return 1;
    for (i = 0; i < DOCUMENTS - 1; i++) {
        if (i == 1 && hostile) {
            name[n] = 'x';
            text[n++] = nested(1000000);
        }
        name[n] = (char)('a' + i);
        text[n++] = nested(depths[i]);
    }
    for (i = 0; i < n; i++) {
        cursor[i] = text[i];
        height[i] = -1;
        task[i] = UNRECURSE_START(queue, &height[i], parse(&cursor[i]));
    }
    while (unrecurse_queue_run(queue, 10000) > 0)
        for (i = 0; i < n; i++)
            if (!unrecurse_task_done(task[i]) && unrecurse_task_steps(task[i]) > BUDGET) {
                printf("document %c: cancelled after %zu steps\n", name[i],
                       unrecurse_task_steps(task[i]));
                unrecurse_task_cancel(task[i]);
            }
    for (i = 0; i < n; i++)
        if (unrecurse_task_done(task[i]))
            printf("document %c: height %ld, %zu bytes read\n", name[i], height[i],
                   (size_t)(cursor[i] - text[i]));
    unrecurse_queue_free(queue);
    for (i = 0; i < n; i++)
        free(text[i]);
    return 0;
}
