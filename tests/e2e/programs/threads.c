/*
 * threads.c - the same deep recursions in five threads at once, each on a
 * native stack of its own size (64 KiB to 1 MiB), and in the main thread:
 * each thread has its own frame stack and its own native budget (a part of
 * its own stack), so each crosses from native frames to heap frames at its
 * own depth, and none disturbs another. A tree recursion (two calls) and a
 * mutual recursion through a cycle of two functions, with the thread's
 * number in every result. Under an unlimited stack (ulimit -s unlimited,
 * where the test runs the original for the expected output at the deep
 * size) every thread gets 512 MiB instead.
 *
 * unrecurse-test: small=0,1,2,10,1000 deep=300000
 */
#include <pthread.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define THREADS 5

struct job {
    long n;
    unsigned long salt;
    unsigned long result;
};

/* A degenerate tree: the left child is the rest of the chain, the right one
 * a leaf; the recursion is not a loop gcc can see through. */
UNRECURSE static unsigned long walk(long n, unsigned long salt)
{
    unsigned long left, right;

    if (n <= 0)
        return salt;
    left = walk(n - 1, salt * 31 + (unsigned long)n);
    right = walk(n % 7 == 0 ? 0 : -1, salt + 3);
    return (left ^ (left >> 11)) * 17 + right;
}

UNRECURSE static unsigned long odd_steps(long n, unsigned long acc);

UNRECURSE static unsigned long even_steps(long n, unsigned long acc)
{
    unsigned long r;

    if (n <= 0)
        return acc;
    r = odd_steps(n - 1, acc + 2);
    return r * 3 + (unsigned long)n % 5;
}

UNRECURSE static unsigned long odd_steps(long n, unsigned long acc)
{
    unsigned long r;

    if (n <= 0)
        return acc + 1;
    r = even_steps(n - 1, acc ^ (unsigned long)n);
    return r + (r >> 9);
}

static void *run(void *arg)
{
    struct job *j = arg;

    j->result = walk(j->n, j->salt) + 7 * even_steps(j->n, j->salt);
    return NULL;
}

int main(int argc, char **argv)
{
    static const size_t stacks[THREADS] = {64 << 10, 128 << 10, 256 << 10, 512 << 10, 1 << 20};
    struct rlimit limit;
    int unlimited = getrlimit(RLIMIT_STACK, &limit) == 0 && limit.rlim_cur == RLIM_INFINITY;
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    pthread_t threads[THREADS];
    struct job jobs[THREADS + 1];
    int i;

    for (i = 0; i <= THREADS; i++) {
        jobs[i].n = n - i;
        jobs[i].salt = (unsigned long)i + 1;
    }
    for (i = 0; i < THREADS; i++) {
        pthread_attr_t attr;
        if (pthread_attr_init(&attr) != 0 || pthread_attr_setstacksize(&attr, unlimited ? (size_t)512 << 20 : stacks[i]) != 0 ||
            pthread_create(&threads[i], &attr, run, &jobs[i]) != 0) {
            fprintf(stderr, "threads: cannot start thread %d\n", i);
            return 2;
        }
        pthread_attr_destroy(&attr);
    }
    run(&jobs[THREADS]); /* the main thread too, meanwhile */
    for (i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    for (i = 0; i <= THREADS; i++)
        printf("thread %d: %lu\n", i, jobs[i].result);
    return 0;
}
