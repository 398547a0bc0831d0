/*
 * bench.h - what the main() of every benchmark subject shares.
 *
 * A subject is one annotated .c file, built three ways (natively recursive
 * with gcc -O2, rewritten by unrecurse, and with gcc -fsplit-stack), plus a
 * hand-written explicit-stack version in NAME_hand.c. Every build runs the
 * same main(): it builds the input, times the one top-level recursive call,
 * and prints
 *
 *   on stdout  one checksum line, which must be the same for every variant;
 *   on stderr  one line for bench/run.sh:
 *                bench: call_ns=T depth=D stack_bytes=S cpu_ns=C
 *              T  wall-clock time of the recursive call alone (building the
 *                 input is not counted), in nanoseconds;
 *              C  the CPU time (user and system) the process spent in it,
 *                 which a busy machine inflates less than T;
 *              D  the deepest recursion level the call reaches, computed
 *                 from the input (not counted at run time, so it costs
 *                 nothing);
 *              S  bytes of the main thread's native stack that the call
 *                 used, measured directly (see bench_paint_stack()) when
 *                 BENCH_MEASURE_STACK is set in the environment, else -1:
 *                 painting touches stack pages, which would count in the
 *                 peak memory of the timed runs.
 *
 * usage: SUBJECT N [input]
 *   With "input", only the input is built (for N) and the call is skipped:
 *   run.sh subtracts that run's peak memory from the full run's, so that
 *   bytes per recursion level do not count the list, tree or text.
 *
 * Everything here is static and outside the annotated function, so the tool
 * leaves it unchanged, and it is the same code in every variant.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Written over the unused part of the stack before the call. */
#define BENCH_PAINT 0x5ca1ab1e0ddba11ULL

/* Room left unpainted below the frame of bench_start(), for its callees. */
#define BENCH_PAINT_MARGIN 256

struct bench_run {
    long size;           /* N, the first argument */
    int input_only;      /* "input" was given: build the input, skip the call */
    uintptr_t top;       /* an address in main()'s frame: where the call starts */
    uintptr_t low;       /* low end of the stack mapping before the call */
    uintptr_t painted;   /* end of the painted range [low, painted) */
    struct timespec start;     /* CLOCK_MONOTONIC when the call started */
    struct timespec cpu_start; /* CLOCK_PROCESS_CPUTIME_ID then */
};

/* The low end of the main thread's stack mapping, or 0 if unknown. */
static inline uintptr_t bench_stack_low(void)
{
    char line[512];
    unsigned long low = 0, high;
    FILE *f = fopen("/proc/self/maps", "r");

    if (f == NULL)
        return 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strstr(line, "[stack]") != NULL && sscanf(line, "%lx-%lx", &low, &high) == 2)
            break;
        low = 0;
    }
    fclose(f);
    return (uintptr_t)low;
}

/* Reads one "Name:   N kB" line of /proc/self/status; -1 if missing. */
static inline long bench_status_kb(const char *name)
{
    char line[256];
    size_t len = strlen(name);
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");

    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, name, len) == 0 && line[len] == ':') {
            kb = strtol(line + len + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb;
}

/*
 * At exit, the peak memory of the process: VmHWM, the peak resident set
 * since exec (unlike ru_maxrss seen by a parent, it does not count the
 * parent's pages before exec), and RssFile, the resident pages of mapped
 * files (the program and its libraries) now. Those vary by a few hundred
 * KiB from run to run with the page cache, so run.sh takes VmHWM - RssFile
 * as the peak of the process's own memory (heap, stack, frames), which
 * varies by tens of KiB at most.
 */
static void bench_report_memory(void)
{
    fprintf(stderr, "bench: hwm_kb=%ld file_kb=%ld\n", bench_status_kb("VmHWM"),
            bench_status_kb("RssFile"));
}

/* Reads N (between MIN and MAX) and the optional "input" word. */
static inline void bench_init(struct bench_run *run, int argc, char **argv, long min, long max)
{
    char *end = NULL;

    if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "input") != 0))
        goto usage;
    run->size = strtol(argv[1], &end, 10);
    if (end == argv[1] || *end != '\0' || run->size < min || run->size > max)
        goto usage;
    run->input_only = argc == 3;
    atexit(bench_report_memory);
    return;
usage:
    fprintf(stderr, "usage: %s N [input]   (%ld <= N <= %ld)\n", argv[0], min, max);
    exit(2);
}

/*
 * Measuring native stack use directly, without touching the recursive
 * function: before the call, every word of the stack mapping below the
 * current frame (less a margin) is painted with BENCH_PAINT; after it, the
 * lowest word that no longer holds the paint is the deepest the call went.
 * If the call went below the mapping, the kernel grew the mapping, and its
 * new low end (page granularity) is the deepest point. The painted range
 * is already mapped, so painting it is safe; but it faults in the up to
 * 128 KiB that the kernel maps at exec, so it is done only on request.
 */
static inline void bench_paint_stack(struct bench_run *run)
{
    char here;
    volatile uint64_t *w;

    run->low = bench_stack_low();
    if (run->low == 0 || (uintptr_t)&here < run->low + 2 * BENCH_PAINT_MARGIN)
        return;
    run->painted = ((uintptr_t)&here - BENCH_PAINT_MARGIN) & ~(uintptr_t)7;
    for (w = (volatile uint64_t *)run->low; (uintptr_t)w < run->painted; w++)
        *w = BENCH_PAINT;
}

/* Bytes of stack below TOP that the call used: -1 if not measured, 0 if
 * less than the margin. */
static inline long bench_stack_used(const struct bench_run *run)
{
    volatile uint64_t *w = (volatile uint64_t *)run->low;
    uintptr_t low;

    if (run->painted == 0)
        return -1;
    while ((uintptr_t)w < run->painted && *w == BENCH_PAINT)
        w++;
    if ((uintptr_t)w == run->painted)
        return 0; /* not deeper than the margin: nothing measurable */
    /* Below the old low end, the call grew the mapping. (Look even if a
     * word at the old low end still holds the paint: a frame need not
     * write every word it reserves.) */
    low = bench_stack_low();
    if (low != 0 && low < run->low)
        return (long)(run->top - low);
    return (long)(run->top - (uintptr_t)w);
}

/* Nanoseconds from A to B. */
static inline long long bench_ns(const struct timespec *a, const struct timespec *b)
{
    return (long long)(b->tv_sec - a->tv_sec) * 1000000000LL + (b->tv_nsec - a->tv_nsec);
}

/* Call right before the recursive call, with the address of a local of
 * the function that makes it. */
static inline void bench_start(struct bench_run *run, void *frame)
{
    run->top = (uintptr_t)frame;
    /* The first call of clock_gettime resolves its PLT entry, which takes a
     * few KiB of stack: do it before painting, not during the call. */
    clock_gettime(CLOCK_MONOTONIC, &run->start);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &run->cpu_start);
    run->painted = 0;
    if (getenv("BENCH_MEASURE_STACK") != NULL)
        bench_paint_stack(run);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &run->cpu_start);
    clock_gettime(CLOCK_MONOTONIC, &run->start);
}

/* Call right after it; DEPTH is the deepest level it reached. */
static inline void bench_stop(struct bench_run *run, long depth)
{
    struct timespec end, cpu_end;
    long stack;

    clock_gettime(CLOCK_MONOTONIC, &end);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu_end);
    stack = bench_stack_used(run);
    fprintf(stderr, "bench: call_ns=%lld depth=%ld stack_bytes=%ld cpu_ns=%lld\n",
            bench_ns(&run->start, &end), depth, stack, bench_ns(&run->cpu_start, &cpu_end));
}

/* Zeroed memory for the input; exits when there is none. */
static inline void *bench_alloc(size_t count, size_t size)
{
    void *p = calloc(count, size);

    if (p == NULL) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
    return p;
}

/* Knuth's MMIX LCG: deterministic inputs, 31 well-mixed bits per call. */
static inline unsigned long bench_random(unsigned long long *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned long)(*state >> 33);
}

#endif /* BENCH_H */
