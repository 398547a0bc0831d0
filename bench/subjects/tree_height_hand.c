/*
 * tree_height_hand.c - tree_height.c converted to an explicit stack by hand.
 *
 * A waiting call keeps its node, the height of its left subtree once known,
 * and where it resumes: after the left call or after the right one. The
 * frames form a growable array that doubles when full. The current node
 * and the returned height stay in locals; an empty subtree gets no frame.
 *
 * usage: tree_height_hand N [input]
 */
#include "bench.h"

struct tree {
    struct tree *left, *right;
};

struct height_frame {
    const struct tree *t;
    long left;  /* height(t->left), once known */
    int state;  /* 1: waiting for height(t->left), 2: for height(t->right) */
};

static long height(const struct tree *t)
{
    struct height_frame *frames = NULL;
    size_t count = 0, capacity = 0;
    long ret;

    for (;;) {
        /* Call height(t): go down the left children, leaving frames. */
        while (t != NULL) {
            if (count == capacity) {
                struct height_frame *grown;

                capacity = capacity ? 2 * capacity : 64;
                grown = realloc(frames, capacity * sizeof *grown);
                if (grown == NULL) {
                    fprintf(stderr, "tree_height_hand: out of memory\n");
                    exit(1);
                }
                frames = grown;
            }
            frames[count].t = t;
            frames[count].state = 1;
            count++;
            t = t->left;
        }
        ret = 0;
        /* Return ret to the waiting calls until one has a call to make. */
        for (;;) {
            struct height_frame *f;

            if (count == 0) {
                free(frames);
                return ret;
            }
            f = &frames[count - 1];
            if (f->state == 1) {
                f->left = ret;
                f->state = 2;
                t = f->t->right;
                break;
            }
            ret = 1 + (f->left > ret ? f->left : ret);
            count--;
        }
    }
}

int main(int argc, char **argv)
{
    struct bench_run run;
    unsigned long long seed = 11;
    struct tree *nodes;
    long i, value;

    bench_init(&run, argc, argv, 1, 200000000);
    nodes = bench_alloc((size_t)run.size, sizeof *nodes);
    for (i = 0; i + 1 < run.size; i++) {
        if (bench_random(&seed) & 1)
            nodes[i].right = &nodes[i + 1];
        else
            nodes[i].left = &nodes[i + 1];
    }
    if (run.input_only) {
        printf("tree of %ld nodes\n", run.size);
        return 0;
    }
    bench_start(&run, &run);
    value = height(nodes);
    bench_stop(&run, run.size + 1);
    printf("tree of %ld nodes: height %ld\n", run.size, value);
    free(nodes);
    return 0;
}
